"""Version snapshots written in bulk, in django-reversion's own format.

Importing a volume creates thousands of documents at once; taking each snapshot through
`reversion.add_to_revision` (which follows and serializes relation by relation) costs
more than writing the documents. Here one revision per document is still created, with
the Version rows reversion would write (the document and every part it follows, each
serialized as Django's JSON serializer does), so the admin's history and revert work
unchanged. Rows go in with one executemany: at import sizes, building a model instance
per version costs more than the insert.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone
from reversion.models import Revision, Version

_PROTECTED = (type(None), int, float, bool)


def serialize(obj: models.Model) -> str:
    """What `serializers.serialize("json", [obj])` gives, without its per-call cost.

    Foreign keys as their raw id, many-to-many as lists of ids (from the prefetch cache
    when there is one), other values as the serializer's strings or JSON scalars.
    """
    meta = obj._meta
    fields: dict[str, Any] = {}
    for f in meta.local_fields:
        if f.primary_key:
            continue
        if f.remote_field is not None:
            fields[f.name] = getattr(obj, f.attname)
            continue
        value = f.value_from_object(obj)
        fields[f.name] = value if isinstance(value, _PROTECTED) or hasattr(
            value, "isoformat") else f.value_to_string(obj)  # fmt: skip
    cache = getattr(obj, "_prefetched_objects_cache", {})
    for f in meta.local_many_to_many:
        related = cache[f.name] if f.name in cache else getattr(obj, f.name).all()
        fields[f.name] = [r.pk for r in related]
    payload = [{"model": meta.label_lower, "pk": obj.pk, "fields": fields}]
    return json.dumps(payload, cls=DjangoJSONEncoder)


def write_snapshots(snapshots: Sequence[tuple[models.Model, Sequence[models.Model]]], *,
                    user=None, comment: str = "") -> None:  # fmt: skip
    """One revision per (document, parts) pair, holding a version of each object."""
    if not snapshots:
        return
    now = timezone.now()
    revisions = Revision.objects.bulk_create(
        Revision(date_created=now, user=user, comment=comment) for _ in snapshots
    )
    content_types: dict[type, int] = {}
    rows = []
    for revision, (document, parts) in zip(revisions, snapshots, strict=True):
        for obj in (document, *parts):
            model = type(obj)
            if model not in content_types:
                content_types[model] = ContentType.objects.get_for_model(model).pk
            rows.append((revision.pk, str(obj.pk), content_types[model], "default", "json",
                         serialize(obj), str(obj)))  # fmt: skip
    columns = [Version._meta.get_field(name).column for name in
               ("revision", "object_id", "content_type", "db", "format", "serialized_data",
                "object_repr")]  # fmt: skip
    sql = (f"INSERT INTO {connection.ops.quote_name(Version._meta.db_table)} "
           f"({', '.join(map(connection.ops.quote_name, columns))}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
