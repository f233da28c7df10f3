"""Version snapshots written in bulk, in django-reversion's own format.

Importing a volume creates thousands of documents at once; taking each snapshot through
`reversion.add_to_revision` (which follows and serializes relation by relation) costs
more than writing the documents. Here one revision per document is still created, with
the same Version rows reversion would write (the document and every part it follows,
serialized as JSON), so the admin's history and revert work unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from reversion.models import Revision, Version


def _serialized(objects: Sequence[models.Model]) -> list[str]:
    # The python serializer over the whole list, then one JSON array per object: the
    # same text `serializers.serialize("json", [obj])` gives, without its per-call cost.
    dicts = serializers.serialize("python", objects)
    return [json.dumps([d], cls=DjangoJSONEncoder) for d in dicts]


def write_snapshots(snapshots: Sequence[tuple[models.Model, Sequence[models.Model]]], *,
                    user=None, comment: str = "") -> None:  # fmt: skip
    """One revision per (document, parts) pair, holding a version of each object."""
    if not snapshots:
        return
    now = timezone.now()
    revisions = Revision.objects.bulk_create(
        Revision(date_created=now, user=user, comment=comment) for _ in snapshots
    )
    by_model: dict[type, list[tuple[Revision, models.Model]]] = {}
    for revision, (document, parts) in zip(revisions, snapshots, strict=True):
        for obj in (document, *parts):
            by_model.setdefault(type(obj), []).append((revision, obj))
    versions = []
    for model, pairs in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        texts = _serialized([obj for _, obj in pairs])
        for (revision, obj), text in zip(pairs, texts, strict=True):
            versions.append(Version(
                revision=revision, object_id=str(obj.pk), content_type=content_type,
                db="default", format="json", serialized_data=text, object_repr=str(obj)[:191],
            ))  # fmt: skip
    Version.objects.bulk_create(versions, batch_size=500)
