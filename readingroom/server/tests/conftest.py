from __future__ import annotations

import pytest
from django.core.management import call_command

from readingroom.conf import corpus

NARA = corpus() / "nara-jfk"
LIST_2023 = NARA / "releases" / "national-archives-jfk-assassination-records-2023-release.xlsx"
SCANNED = "104-10121-10174"  # two pages


@pytest.fixture
def scanned(db):
    """A released record with its scan held (pages not rendered), through the importer."""
    from readingroom.catalogue import models as m

    call_command("import", "nara-jfk", str(LIST_2023), str(NARA / "scans" / f"{SCANNED}.pdf"),
                 no_progress=True)  # fmt: skip
    return m.Document.objects.get(identifier=SCANNED)
