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
from collections import defaultdict
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
    agents, places, terms by their names), the collections. Parts are read as plain
    values, a query per kind for every document (the comparison reads five catalogues
    of 15,000 records)."""
    parts = {name: _grouped(model, columns, shape)
             for name, (model, columns, shape) in PARTS.items()}  # fmt: skip
    terms = {name: _grouped(getattr(m.Document, name).through, (column,), lambda r: r[0])
             for name, column in LINKS.items()}  # fmt: skip
    out: dict[str, Any] = {}
    documents = m.Document.objects.select_related("document_type", "physical_form")
    for d in documents.iterator(chunk_size=2000):
        fields = {name: value_of(d, name) for name in FIELDS}
        fields["terms"] = (d.document_type and d.document_type.slug,
                           d.physical_form and d.physical_form.slug)  # fmt: skip
        found = {name: rows.get(d.pk, []) for name, rows in parts.items()}
        for name in UNIONS:
            found[name] = sorted(found[name], key=repr)
        found["links"] = tuple(sorted(terms[name].get(d.pk, [])) for name in LINKS)
        out[d.identifier] = (fields, found)
    out["collections"] = sorted(m.Collection.objects.values_list(
        "identifier", "title", "kind", "parent__identifier", "position"))  # fmt: skip
    return out


def _as_is(row: tuple) -> tuple:
    return row


# Each part by its content, in the document's order (the part's Meta ordering); releases
# and files are unions (their order in the document is by day; a document has at most
# one scan): sorted. (model, columns, each row's shape)
PARTS: dict[str, tuple[type, tuple[str, ...], Callable[[tuple], Any]]] = {
    "caveats": (m.Caveat, ("text",), lambda r: r[0]),
    "identifiers": (m.DocumentIdentifier, ("scheme", "value"), _as_is),
    "archival_references": (m.ArchivalReference, ("as_written", "repository__name",
                                                  *m.ArchivalReference.PART_FIELDS), _as_is),
    "agent_links": (m.DocumentAgent, ("role", "agent__kind", "agent__name", "name_as_written",
                                      "office", "note", "name_withheld"),
                    lambda r: (r[0], _agent(r[1], r[2]), *r[3:])),
    "place_links": (m.DocumentPlace, ("role", "place__name", "name_as_written"), _as_is),
    "texts": (m.Text, ("kind", "format", "html", "language__code", "translator__kind",
                       "translator__name"), lambda r: (*r[:4], _agent(r[4], r[5]))),
    "files": (m.File, ("role", "name", "media_type", "sha256", "size", "note"), _as_is),
    "releases": (m.Release, ("released_on", "list_name", "file_name", "prior_status",
                             "review_date", "pages_released", "rows", "differences"), _as_is),
    "memberships": (m.CollectionMember, ("collection__identifier",), lambda r: r[0]),
}  # fmt: skip
UNIONS = ("files", "releases", "memberships")
LINKS = {"languages": "language__code", "funders": "funder__name", "subjects": "subject__term"}


def _grouped(model: type, columns: tuple[str, ...], shape: Callable[[tuple], Any]
             ) -> dict[int, list]:  # fmt: skip
    out: dict[int, list] = defaultdict(list)
    ordering = [*model._meta.ordering, "pk"] if model._meta.ordering else ["pk"]
    for document_id, *row in (model.objects.order_by(*ordering)
                              .values_list("document_id", *columns).iterator(chunk_size=5000)):
        out[document_id].append(shape(tuple(row)))
    return out


def _agent(kind: str | None, name: str | None) -> tuple[str, str] | None:
    """An agent by its natural key: a person by normalized name (which spelling became
    its name, "Kennedy, John F." or "John F. Kennedy", is the first source's)."""
    if kind is None:
        return None
    return (kind, normalized_name(name) if kind == "person" else name)


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
