"""Editors' changes recorded per field and part (DocumentEdits), whatever the way in:
the admin, a revert, an accepted suggestion, a script. Every save of a document or of
one of its parts outside an import is an editor's change, so the receivers here record
it, with the user of the revision being made (django-reversion's, when one is open) and
the time; the loader's own writes say so (`source_writing`) and are not recorded.

A field is recorded when any of its columns changed; a part by its key: added, changed
(same key, other content), or removed (a key changed is the old one removed and the new
one added). An import then keeps them (`ingest/merge.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Any

import reversion
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.catalogue.provenance import (
    EDITOR_FIELDS,
    FIELDS,
    KIND_OF_MODEL,
    KINDS,
    content_columns,
    content_digest,
    keyed_rows,
    value_of,
)
from readingroom.flags import raised

ADDED, CHANGED, REMOVED = "added", "changed", "removed"
_source_writing: ContextVar[bool] = ContextVar("source_writing", default=False)


def source_writing() -> AbstractContextManager[None]:
    """Writes inside are a source's (an import's), not an editor's: nothing recorded."""
    return raised(_source_writing)


def _recording(raw: bool = False) -> bool:
    return not raw and not _source_writing.get()


def _who() -> str:
    user = reversion.get_user() if reversion.is_active() else None
    return user.get_username() if user is not None else "(no user: a script)"


def record_edits(document_id: int, fields: Mapping[str, Any] | None = None,
                 parts: Iterable[tuple[str, str, str, str]] = ()) -> None:  # fmt: skip
    """Note that editors changed these fields ({field: its value before}) and parts
    ((kind, key, op, digest of its content before)) of a document. What a field or part
    was before an editor first changed it is kept: the sources' value."""
    fields, parts = dict(fields or {}), list(parts)
    if not fields and not parts:
        return
    stamp = {"at": timezone.now().isoformat(timespec="seconds"), "by": _who()}
    with transaction.atomic():
        edits, _ = m.DocumentEdits.objects.select_for_update().get_or_create(
            document_id=document_id
        )
        for name, was in fields.items():
            earlier = edits.fields.get(name)
            edits.fields[name] = {**stamp, "was": earlier["was"] if earlier else was}
        for kind, key, op, was in parts:
            earlier = edits.parts.setdefault(kind, {}).get(key)
            if earlier and earlier["op"] == ADDED and op != REMOVED:
                op = ADDED  # still the editor's own part
            entry = {**stamp, "op": op}
            if earlier and "was" in earlier:
                entry["was"] = earlier["was"]
            elif op != ADDED:
                entry["was"] = was
            edits.parts[kind][key] = entry
        edits.save()


def source_known(document_id: int, kind: str, key: str, digest: str) -> None:
    """The source's content of an editor's part is now known (a conflict raised for
    it): the same content again raises none."""
    edits = m.DocumentEdits.objects.filter(document_id=document_id).first()
    if edits is not None and key in edits.parts.get(kind, {}):
        edits.parts[kind][key]["was"] = digest
        edits.save(update_fields=["parts", "updated_at"])


def forget_edits(document_id: int, field: str = "", part: tuple[str, str] | None = None) -> None:
    """The field or part is the sources' again (a conflict accepted)."""
    edits = m.DocumentEdits.objects.filter(document_id=document_id).first()
    if edits is None:
        return
    if field:
        edits.fields.pop(field, None)
    if part:
        edits.parts.get(part[0], {}).pop(part[1], None)
    edits.save()


# ---- the document's own fields -------------------------------------------------------

_ALL_FIELDS = {**FIELDS, **EDITOR_FIELDS}


def _document_saving(sender, instance: m.Document, raw: bool = False, **kwargs) -> None:
    if not _recording(raw) or instance.pk is None or instance._state.adding:
        return
    stored = m.Document.objects.filter(pk=instance.pk).first()
    if stored is None:
        return
    changed = {name: value_of(stored, name) for name, cols in _ALL_FIELDS.items()
               if any(getattr(stored, c) != getattr(instance, c) for c in cols)}  # fmt: skip
    if changed:
        # After the save: a save that fails records nothing.
        instance._edited_fields = changed


def _document_saved(sender, instance: m.Document, raw: bool = False, **kwargs) -> None:
    changed = instance.__dict__.pop("_edited_fields", None)
    if changed:
        record_edits(instance.pk, fields=changed)


# ---- parts: keys before and after each change ----------------------------------------


def _rows(kind: str, document_id: int) -> dict[str, tuple]:
    """key → (row id, *content) of one document's parts of `kind`."""
    k = KINDS[kind]
    columns = () if k.many_to_many else content_columns(k.model)
    return keyed_rows(kind, [document_id], columns)[document_id]


def _digest(kind: str, row: tuple) -> str:
    model = KINDS[kind].model
    return content_digest(model, dict(zip(content_columns(model), row[1:], strict=True))) if (
        not KINDS[kind].many_to_many) else ""  # fmt: skip


def _part_changing(sender, instance, raw: bool = False, **kwargs) -> None:
    if not _recording(raw) or instance.document_id is None:
        return
    origin = kwargs.get("origin")
    if isinstance(origin, m.Document) or (isinstance(origin, QuerySet)
                                          and origin.model is m.Document):  # fmt: skip
        return  # the document itself is deleted
    kind = KIND_OF_MODEL[sender]
    instance._rows_before = (instance.document_id, _rows(kind, instance.document_id))
    if instance.pk is not None and not instance._state.adding:
        moved = sender._base_manager.filter(pk=instance.pk).values_list("document_id", flat=True)
        old = next(iter(moved), None)
        if old is not None and old != instance.document_id:  # moved: its old document too
            instance._rows_before_move = (old, _rows(kind, old))


def _part_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    kind = KIND_OF_MODEL[sender]
    for attribute in ("_rows_before", "_rows_before_move"):
        before = instance.__dict__.pop(attribute, None)
        if before is None:
            continue
        document_id, rows = before
        after = _rows(kind, document_id)
        changes = _differences(kind, rows, after)
        deleted = kwargs.get("signal") is post_delete
        if not deleted and attribute == "_rows_before":
            changes += [(kind, key, CHANGED, _digest(kind, rows[key]))
                        for key, row in after.items()
                        if row[0] == instance.pk and key in rows and rows[key][0] == row[0]
                        and rows[key] != row]  # fmt: skip
        record_edits(document_id, parts=changes)


def _differences(kind: str, before: dict[str, tuple],
                 after: dict[str, tuple]) -> list[tuple[str, str, str, str]]:  # fmt: skip
    return ([(kind, k, REMOVED, _digest(kind, row)) for k, row in before.items()
             if k not in after]
            + [(kind, k, ADDED, "") for k in after if k not in before])  # fmt: skip


def _links_changing(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not _recording():
        return
    kind = _M2M_KIND[sender]
    if action in ("pre_add", "pre_remove", "pre_clear"):
        ids = _linked_documents(sender, instance, reverse, pk_set)
        instance._links_before = {pk: _rows(kind, pk) for pk in ids}
    elif action in ("post_add", "post_remove", "post_clear"):
        for pk, rows in instance.__dict__.pop("_links_before", {}).items():
            record_edits(pk, parts=_differences(kind, rows, _rows(kind, pk)))


def _linked_documents(sender, instance, reverse: bool, pk_set) -> list[int]:
    if not reverse:  # document.languages.add(...)
        return [instance.pk]
    if pk_set is not None:  # language.documents.add(...)
        return list(pk_set)
    column = sender._meta.get_field(type(instance)._meta.model_name).attname
    return list(sender.objects.filter(**{column: instance.pk})
                .values_list("document_id", flat=True))  # fmt: skip


_M2M_KIND = {getattr(m.Document, k.related_name).through: name
             for name, k in KINDS.items() if k.many_to_many}  # fmt: skip

pre_save.connect(_document_saving, sender=m.Document, dispatch_uid="record-edits")
post_save.connect(_document_saved, sender=m.Document, dispatch_uid="record-edits")
for _model in KIND_OF_MODEL:
    for _signal in (pre_save, pre_delete):
        _signal.connect(_part_changing, sender=_model, dispatch_uid="record-edits")
    for _signal in (post_save, post_delete):
        _signal.connect(_part_changed, sender=_model, dispatch_uid="record-edits")
for _through in _M2M_KIND:
    m2m_changed.connect(_links_changing, sender=_through, dispatch_uid="record-edits")
