"""Version snapshots written in bulk, in django-reversion's own format.

A re-import may change thousands of documents at once, and the state of each is kept
before (`versions.keep_state_before_change`) and after; taking each snapshot through
`reversion.add_to_revision` (which follows and serializes relation by relation, a
query each) costs more than writing the documents. Here the documents are read with
their parts in a few prefetching queries and one revision per document is created, with
the Version rows reversion would write (the document and every part it follows, each
serialized as Django's JSON serializer does), so the admin's history and revert work
unchanged. Revisions and versions go in with one executemany each.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from json.encoder import c_make_encoder, encode_basestring_ascii
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields import Field
from reversion.models import Revision, Version

from readingroom.catalogue.fast_insert import allocate_ids, insert_rows

# What Django's serializer keeps as it is (`is_protected_type`); anything else becomes
# the field's `value_to_string`.
_PROTECTED = (type(None), int, float, decimal.Decimal, datetime.datetime, datetime.date,
              datetime.time)  # fmt: skip
_KEPT = frozenset(_PROTECTED) | {bool}  # the same as exact types, for a set lookup


def _json_encoder() -> Callable[[Any], str]:
    """`json.dumps(value, cls=DjangoJSONEncoder)`, with the per-call cost taken out.

    `dumps` builds an encoder for every call, and its C encoder again for every
    `encode`, which cost more than encoding a version; here both are built once, with
    the same options, so the output is the same. A value `default` converts (dates,
    times) is converted once when the same object comes again: every timestamp of an
    import batch is one object.
    """
    encoder = DjangoJSONEncoder()
    last: tuple[Any, Any] = (object(), None)  # replaced whole: safe across threads

    def default(value: Any) -> Any:
        nonlocal last
        seen, converted = last
        if value is not seen:
            converted = encoder.default(value)
            last = (value, converted)
        return converted

    if c_make_encoder is None:  # Python built without the C accelerator
        return DjangoJSONEncoder(default=default).encode
    # The arguments JSONEncoder.iterencode passes for DjangoJSONEncoder's defaults
    # (no circular check, ASCII only, no indent, no sorting, NaN allowed).
    encode = c_make_encoder(
        None, default, encode_basestring_ascii, None, encoder.key_separator,
        encoder.item_separator, False, False, True,
    )  # fmt: skip
    return lambda value: "".join(encode(value, 0))


_encode = _json_encoder()


@dataclass(frozen=True)
class Snapshot:
    """A document and the parts its version follows (its many-to-many fields are read
    from the prefetch cache, or the database), with its revision's date and comment: a
    state kept later than it was written (`versions.keep_state_before_change`) is dated
    when it was written."""

    document: models.Model
    parts: Sequence[models.Model]
    created: datetime.datetime
    comment: str


@dataclass(frozen=True)
class _Plan:
    """How one model's fields are serialized, worked out once."""

    names: tuple[tuple[str, str], ...]  # (name, attname) of every serialized field
    # Fields whose value may need `value_to_string`: all but foreign keys, whose raw id
    # is serialized. With the field, and whether a str is kept as it is (its
    # value_to_string is the base Field's, `str(value)`).
    converted: tuple[tuple[str, Field, bool], ...]


@cache
def _plan(model: type[models.Model]) -> _Plan:
    fields = [f for f in model._meta.local_fields if not f.primary_key]
    return _Plan(
        names=tuple((f.name, f.attname) for f in fields),
        converted=tuple(
            (f.name, f, type(f).value_to_string is Field.value_to_string)
            for f in fields
            if f.remote_field is None
        ),
    )


def serialize(obj: models.Model) -> str:
    """What `serializers.serialize("json", [obj])` gives, without its per-call cost.

    Foreign keys as their raw id, many-to-many as lists of ids (from the prefetch
    cache, else a query), other values as the serializer's strings or JSON scalars.
    """
    meta = obj._meta
    plan = _plan(type(obj))
    values = obj.__dict__
    try:
        fields = {name: values[attname] for name, attname in plan.names}
    except KeyError:  # deferred fields: loaded
        fields = {name: getattr(obj, attname) for name, attname in plan.names}
    for name, field, str_as_is in plan.converted:
        value = fields[name]
        if type(value) in _KEPT or (str_as_is and type(value) is str):
            continue
        if not isinstance(value, _PROTECTED):
            fields[name] = field.value_to_string(obj)
    if meta.local_many_to_many:
        fields.update(_many_to_many(obj))
    return _encode([{"model": meta.label_lower, "pk": obj.pk, "fields": fields}])


def _many_to_many(obj: models.Model) -> dict:
    cache = getattr(obj, "_prefetched_objects_cache", {})
    fields = {}
    for f in obj._meta.local_many_to_many:
        related = cache[f.name] if f.name in cache else getattr(obj, f.name).all()
        fields[f.name] = [r.pk for r in related]
    return fields


def write_snapshots(snapshots: Sequence[Snapshot], *, user=None) -> None:
    """One revision per snapshot, holding a version of the document and of each part."""
    if not snapshots:
        return
    revision_ids = _insert_revisions(snapshots, user=user)
    content_types: dict[type, int] = {}
    rows = []
    for revision_id, snapshot in zip(revision_ids, snapshots, strict=True):
        for obj in (snapshot.document, *snapshot.parts):
            model = type(obj)
            if model not in content_types:
                content_types[model] = ContentType.objects.get_for_model(model).pk
            rows.append((revision_id, str(obj.pk), content_types[model], "default", "json",
                         serialize(obj), str(obj)))  # fmt: skip
    insert_rows(Version, ["revision_id", "object_id", "content_type_id", "db", "format",
                          "serialized_data", "object_repr"], rows)  # fmt: skip


def _insert_revisions(snapshots: Sequence[Snapshot], *, user) -> list[int]:
    """A revision for each snapshot, with its date and comment; their ids."""
    ids = allocate_ids(Revision, len(snapshots))
    user_id = user.pk if user is not None else None
    rows = [(pk, s.created, user_id, s.comment) for pk, s in zip(ids, snapshots, strict=True)]
    insert_rows(Revision, ["id", "date_created", "user_id", "comment"], rows)
    return ids
