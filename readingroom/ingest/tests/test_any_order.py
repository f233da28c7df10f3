"""The same catalogue whatever the order of import: the shared corpus's sources (the seed
pages, FRUS volumes, each NARA release list, the scans) imported one by one in named
orders and a few seeded random ones, each compared with the others by natural keys
(identifiers, field values, parts' content; never database ids or timestamps).

Each order runs in a savepoint rolled back after it is read, so every order starts
from an empty catalogue.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from readingroom.catalogue import models as m
from readingroom.catalogue.people import normalized_name
from readingroom.catalogue.provenance import FIELDS, value_of
from readingroom.conf import corpus
from readingroom.ingest.tests.nara_fixtures import L2021, L2022, L2023, SCANS

pytestmark = pytest.mark.django_db
FRUS = corpus() / "frus"
STEPS: dict[str, tuple[str, Path]] = {
    "seeds": ("pages", corpus() / "seeds"),
    "frus v06": ("frus", FRUS / "frus1961-63v06.xml"),
    "frus supplement": ("frus", FRUS / "frus1961-63v10-12mSupp.xml"),
    "2021 list": ("nara-jfk", L2021),
    "2022 list": ("nara-jfk", L2022),
    "2023 list": ("nara-jfk", L2023),
    "scans": ("nara-jfk", SCANS),
}
NAMED = {
    "as listed": list(STEPS),
    "newest list first, scans before lists": ["scans", "2023 list", "2022 list", "2021 list",
                                              "frus supplement", "frus v06", "seeds"],
    "2023 before 2021, scans between": ["2023 list", "seeds", "scans", "frus v06", "2021 list",
                                        "frus supplement", "2022 list"],
}  # fmt: skip
SEEDED = {f"random (seed {seed})": random.Random(seed).sample(list(STEPS), len(STEPS))
          for seed in (7, 2024)}  # fmt: skip


def import_in(order: list[str]) -> None:
    for step in order:
        importer, path = STEPS[step]
        err = io.StringIO()
        call_command("import", importer, str(path), no_progress=True, stderr=err)
        assert "0 failed" in err.getvalue(), err.getvalue()


def catalogue() -> dict[str, Any]:
    """The catalogue by natural keys: each document's fields and parts (references to
    agents, places, terms by their names), the collections."""
    out: dict[str, Any] = {}
    documents = m.Document.objects.select_related("document_type", "physical_form")
    for d in _in_chunks(documents.prefetch_related(*PARTS_PREFETCH, "languages", "funders",
                                                   "subjects")):  # fmt: skip
        fields = {name: value_of(d, name) for name in FIELDS}
        fields["terms"] = (d.document_type and d.document_type.slug,
                           d.physical_form and d.physical_form.slug)  # fmt: skip
        parts = {name: read(d) for name, read in PARTS.items()}
        parts["links"] = (sorted(x.code for x in d.languages.all()),
                          sorted(x.name for x in d.funders.all()),
                          sorted(x.term for x in d.subjects.all()))  # fmt: skip
        out[d.identifier] = (fields, parts)
    out["collections"] = sorted(m.Collection.objects.values_list(
        "identifier", "title", "kind", "parent__identifier", "position"))  # fmt: skip
    return out


# Each part by its content, in the document's order; releases and files are unions
# (their order in the document is by day; a document has at most one scan): as sets.
PARTS: dict[str, Callable[[m.Document], Any]] = {
    "caveats": lambda d: [c.text for c in d.caveats.all()],
    "identifiers": lambda d: [(x.scheme, x.value) for x in d.identifiers.all()],
    "archival_references": lambda d: [(r.as_written, r.repository and r.repository.name,
                                       *(getattr(r, f) for f in m.ArchivalReference.PART_FIELDS))
                                      for r in d.archival_references.all()],
    "agent_links": lambda d: [(a.role, _agent(a.agent), a.name_as_written, a.office, a.note,
                               a.name_withheld) for a in d.agent_links.all()],
    "place_links": lambda d: [(p.role, p.place.name, p.name_as_written)
                              for p in d.place_links.all()],
    "texts": lambda d: [(t.kind, t.format, t.html, t.language and t.language.code,
                         _agent(t.translator)) for t in d.texts.all()],
    "files": lambda d: sorted((f.role, f.name, f.media_type, f.sha256, f.size, f.note)
                              for f in d.files.all()),
    "releases": lambda d: sorted((r.released_on, r.list_name, r.file_name, r.prior_status,
                                  r.review_date, r.pages_released, r.rows, r.differences)
                                 for r in d.releases.all()),
    "memberships": lambda d: sorted(x.collection.identifier for x in d.memberships.all()),
}  # fmt: skip
PARTS_PREFETCH = ["caveats", "identifiers", "archival_references__repository",
                  "agent_links__agent", "place_links__place", "texts__language",
                  "texts__translator", "files", "releases", "memberships__collection"]  # fmt: skip


def _agent(agent: m.Agent | None) -> tuple[str, str] | None:
    """An agent by its natural key: a person by normalized name (which spelling became
    its name, "Kennedy, John F." or "John F. Kennedy", is the first source's)."""
    if agent is None:
        return None
    return (agent.kind, normalized_name(agent.name) if agent.kind == "person" else agent.name)


def _in_chunks(documents, size: int = 500):
    """The documents a few hundred at a time (SQLite bounds a prefetch's IN list)."""
    ids = list(m.Document.objects.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), size):
        yield from documents.filter(pk__in=ids[i : i + size])


def catalogue_after(order: list[str]) -> dict[str, Any]:
    with transaction.atomic():
        import_in(order)
        found = catalogue()
        transaction.set_rollback(True)
    return found


def test_the_same_catalogue_in_any_order_of_import() -> None:
    orders = {**NAMED, **SEEDED}
    (_, first), *others = orders.items()
    reference = catalogue_after(first)
    assert len(reference) > 14666 + 2  # every record number, the seeds, the volumes
    for name, order in others:
        found = catalogue_after(order)
        assert found.keys() == reference.keys(), name
        differing = [k for k in reference if found[k] != reference[k]]
        assert not differing, (name, len(differing), differing[:3], _difference(
            found[differing[0]], reference[differing[0]]))  # fmt: skip


def _difference(found: Any, reference: Any) -> dict[str, Any]:
    """What differs in one document: each field and part kind, found against reference."""
    if not isinstance(reference, tuple):
        return {"found": found, "reference": reference}
    out = {}
    for section, other in zip(found, reference, strict=True):
        out.update({k: (v, other[k]) for k, v in section.items() if other[k] != v})
    return out
