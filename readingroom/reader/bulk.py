"""What `services.document_metadata` reads, fetched for many records at once: one query
per relation for all of them, the rows they share built once (`catalogue/bulk_read.py`;
`select_related` and `prefetch_related` built about 5,400 model instances and 2,200
QuerySets for a harvest page of 200 records, against about 2,500 instances here)."""

from __future__ import annotations

from collections.abc import Sequence

from readingroom.catalogue import models as m
from readingroom.catalogue.bulk_read import fill_many_to_many, fill_parts, share, share_ancestors

# Reverse foreign keys, and the foreign keys their rows share.
_PARTS: dict[str, tuple[str, ...]] = {
    "caveats": (),
    "identifiers": (),
    "files": (),
    "releases": (),
    "archival_references": ("repository",),
    "agent_links": ("agent",),
    "place_links": ("place",),
    "memberships": ("collection",),
}
_TERMS = ("languages", "funders", "subjects")  # many-to-many
# The document's own foreign keys that its metadata shows.
_OWN = ("document_type", "physical_form", "title_original_language")
# Chapter → volume → series: the volume a document is cited by is up to two levels up.
_COLLECTION_LEVELS = 2


def prefetch_metadata(documents: Sequence[m.Document]) -> None:
    """Fill, for each document, every relation `document_metadata` reads (texts are not
    among them)."""
    if not documents:
        return
    for name in _OWN:
        share(documents, name)
    read = fill_parts(documents, _PARTS, _PARTS)
    share_ancestors([r.collection for r in read["memberships"]], _COLLECTION_LEVELS)
    fill_many_to_many(documents, _TERMS)
