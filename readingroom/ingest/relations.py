"""Relations between imported records linked once both are in the catalogue.

A record names the other record of a relation by its source key (importer and id in
source, `DocumentRelation.target_key`); the loader links the ones already catalogued
when it writes the record. Rows of a sheet point at each other (resolution 2758 in
Russian and in English, each the other's language version), so whichever is written
first names one not written yet: it is linked here, after the import.
"""

from __future__ import annotations

from collections.abc import Iterable

from readingroom.catalogue import models as m


def link_relations(importers: Iterable[str]) -> int:
    """Link the unlinked relations of these importers' records to the documents their
    keys now name; returns how many were linked."""
    linked = 0
    for importer in importers:
        prefix = f"{importer}:"
        open_ = m.DocumentRelation.objects.filter(target__isnull=True,
                                                  target_key__startswith=prefix)  # fmt: skip
        keys = {key[len(prefix):] for key in open_.values_list("target_key", flat=True)}
        if not keys:
            continue
        found = dict(m.DocumentSource.objects.filter(importer=importer, id_in_source__in=keys)
                     .values_list("id_in_source", "document_id"))  # fmt: skip
        for key, document_id in found.items():
            linked += open_.filter(target_key=prefix + key).update(target_id=document_id)
    return linked
