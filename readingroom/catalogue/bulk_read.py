"""The related rows of many documents at once, kept where `prefetch_related` keeps them.

`prefetch_related` runs one query per relation, as here, but then builds a QuerySet per
document and relation to hold its rows (about 80 µs each: for a harvest page of 200
records with eleven relations, or the versions of 5,000 records a release list changes,
most of the time). Here each relation's rows are grouped by document and stored as a
plain list in the cache `prefetch_related` fills, which the related managers answer
`.all()` from (Django's own contract: `Manager.all()` returns `get_queryset()`, which
returns the cached value). Rows come in the order the related model's Meta gives, as
they would from `prefetch_related`, each knowing its document.

The rows documents share — a person named in fifty of them, the volume they all belong
to, their language — are built once and shared (`select_related` would build one per
link), read by primary key and put in each row's cache of its foreign key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from django.db import models

from readingroom.catalogue import models as m


def fill_parts(documents: Sequence[m.Document], accessors: Iterable[str],
               shared: Mapping[str, Sequence[str]] | None = None) -> dict[str, list]:  # fmt: skip
    """Fill each reverse foreign key `accessor` (agent_links, files...) of these
    documents; `shared` names, per accessor, the foreign keys of its rows to fill too.
    Returns the rows read, by accessor."""
    ids = [d.pk for d in documents]
    by_pk = {d.pk: d for d in documents}
    read: dict[str, list] = {}
    for accessor in accessors:
        relation = m.Document._meta.get_field(accessor)
        rows = list(relation.related_model._default_manager.filter(document_id__in=ids))
        for name in (shared or {}).get(accessor, ()):
            share(rows, name)
        back = relation.field  # the part's own `document` foreign key
        grouped: dict[int, list] = defaultdict(list)
        for row in rows:
            back.set_cached_value(row, by_pk[row.document_id])
            grouped[row.document_id].append(row)
        for d in documents:
            _cache(d)[relation.cache_name] = grouped.get(d.pk, [])
        read[accessor] = rows
    return read


def fill_many_to_many(documents: Sequence[m.Document], accessors: Iterable[str]) -> None:
    """Fill each many-to-many `accessor` (languages, subjects...) of these documents,
    each term built once."""
    ids = [d.pk for d in documents]
    for accessor in accessors:
        field = m.Document._meta.get_field(accessor)
        through, target = field.remote_field.through, field.related_model
        target_name = field.m2m_reverse_field_name()  # "language"
        order = [f"{target_name}__{o}" for o in target._meta.ordering]
        pairs = list(through.objects.filter(document_id__in=ids).order_by(*order, "pk")
                     .values_list("document_id", f"{target_name}_id"))  # fmt: skip
        terms = by_pk(target, {t for _, t in pairs})
        grouped: dict[int, list] = defaultdict(list)
        for document_id, term_id in pairs:
            grouped[document_id].append(terms[term_id])
        for d in documents:
            _cache(d)[accessor] = grouped.get(d.pk, [])


def share(rows: Sequence[models.Model], name: str) -> None:
    """Fill the foreign key `name` of every row with one instance per target row."""
    if not rows:
        return
    field = rows[0]._meta.get_field(name)
    targets = by_pk(field.related_model, {getattr(r, field.attname) for r in rows})
    for row in rows:
        key = getattr(row, field.attname)
        field.set_cached_value(row, targets[key] if key is not None else None)


def share_ancestors(collections: list[m.Collection], levels: int) -> None:
    """Fill the parents of these collections, `levels` up, each collection built once."""
    known = {c.pk: c for c in collections}
    level = list(known.values())
    for _ in range(levels):
        wanted = {c.parent_id for c in level if c.parent_id is not None} - known.keys()
        known.update(by_pk(m.Collection, wanted))
        for c in level:
            m.Collection.parent.field.set_cached_value(
                c, known[c.parent_id] if c.parent_id is not None else None)  # fmt: skip
        level = [known[c.parent_id] for c in level if c.parent_id is not None]


def by_pk(model: type[models.Model], pks: Iterable[int | None]) -> dict:
    wanted = [pk for pk in pks if pk is not None]
    return {o.pk: o for o in model._default_manager.filter(pk__in=wanted)} if wanted else {}


def _cache(document: m.Document) -> dict:
    return document.__dict__.setdefault("_prefetched_objects_cache", {})
