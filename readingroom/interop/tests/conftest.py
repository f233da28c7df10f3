"""The three kinds of record the archive cites, imported by the real importers from the
shared corpus: a seed page, a FRUS document, a NARA record with its scan."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from readingroom.catalogue import models as m
from readingroom.conf import corpus

HPPP = "History and Public Policy Program Digital Archive"
FRUS_V05 = corpus() / "frus" / "frus1961-63v05.xml"
NARA = corpus() / "nara-jfk"
NARA_LIST = NARA / "releases" / "national-archives-jfk-assassination-records-2023-release.xlsx"
NARA_SCAN = NARA / "scans" / "104-10121-10174.pdf"


@pytest.fixture
def cited(seeded, settings) -> dict[str, m.Document]:
    """Seeds, FRUS vol. V and a scanned NARA record, with the site named as the seeds'
    archive and every citation the sources print blanked: citations come from fields."""
    call_command("import", "frus", str(FRUS_V05), no_progress=True)
    call_command("import", "nara-jfk", str(NARA_LIST), str(NARA_SCAN), no_progress=True)
    m.Document.objects.update(citation_as_written="")
    settings.SITE_NAME = HPPP
    settings.BASE_URL = ""
    for document in seeded.values():
        document.refresh_from_db()
    return {
        "seed": seeded["003"],
        "seed-000": seeded["000"],
        "frus": m.Document.objects.get(identifier="frus1961-63v05-d196"),
        "nara": m.Document.objects.get(identifier="104-10121-10174"),
    }
