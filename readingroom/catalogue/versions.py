"""Versions: every change to a document keeps a snapshot of the whole document.

django-reversion serializes the document together with the rows that follow it
(texts, links, references, caveats, files...) into one revision with who, when and why.
Admin saves open a revision explicitly, the loader writes its own in bulk, and a save
made anywhere else (a shell, a script) still gets one through the post_save hook below.

An import writes no version of the documents it creates. Until one of them changes, its
state is the import's, and its DocumentSource says which importer, file and time wrote
it (the content hash checks that the source still says the same). A version of that
state would be a second copy of every imported row: most of a release list's import
time and two thirds of the demo's database. So the first change to a document that has
no version yet (an editor's save, a re-import that changes it, a part added, changed or
removed, a many-to-many link, a delete) first keeps its state as it is then, as a
version dated at its import (`keep_state_before_change`). Its history then reads as if
the version had been written at the import, and nothing a change replaces is lost.
A document that has a version already has its current state in its last version,
since every change after the first writes one.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from contextvars import ContextVar

import reversion
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.utils import timezone
from reversion.models import Version

from readingroom.catalogue import models as m
from readingroom.catalogue.bulk_read import fill_many_to_many, fill_parts
from readingroom.catalogue.snapshots import Snapshot, write_snapshots
from readingroom.flags import raised

# The document's parts: each has a `document` foreign key, and the document's version
# follows them through these related names.
PARTS = {
    m.Caveat: "caveats",
    m.DocumentIdentifier: "identifiers",
    m.ArchivalReference: "archival_references",
    m.DocumentAgent: "agent_links",
    m.DocumentPlace: "place_links",
    m.Text: "texts",
    m.File: "files",
    m.Release: "releases",
    m.DocumentRelation: "relations",
    m.CollectionMember: "memberships",
    m.DocumentSource: "sources",
}
MANY_TO_MANY = ("languages", "funders", "subjects")
# What the parts' names read (a version is stored with its object's `str()`): fetched
# with the parts, else a query per part (a release list merged into 5,000 records spent
# most of its time naming them).
PART_LABELS = {"agent_links": ("agent",), "place_links": ("place",),
               "memberships": ("collection",), "texts": ("language",)}  # fmt: skip

for _part in PARTS:
    reversion.register(_part)
reversion.register(m.Document, follow=tuple(PARTS.values()))


# Set by callers that write their own snapshots (the loader, in bulk).
_taken_by_caller: ContextVar[bool] = ContextVar("snapshots_taken_by_caller", default=False)


def snapshots_taken_by_caller() -> AbstractContextManager[None]:
    return raised(_taken_by_caller)


def keep_state_before_change(document_ids: Iterable[int]) -> int:
    """Give each of these documents that has no version yet one of its state as it is
    in the database now, dated when that state was written (its last import); call it
    before changing them. Returns how many versions were written."""
    ids = list(dict.fromkeys(document_ids))
    if not ids:
        return 0
    versioned = set(
        Version.objects.get_for_model(m.Document)
        .filter(object_id__in=[str(pk) for pk in ids])
        .values_list("object_id", flat=True)
    )
    return keep_state([pk for pk in ids if str(pk) not in versioned])


def keep_state(document_ids: Iterable[int], user=None, comment: str | None = None) -> int:
    """A version of each of these documents as it is in the database now, dated when
    that state was written (its last import; now, for one that was not imported), or
    now with `comment` (a change made here, an editor's merge). Returns how many
    versions were written."""
    ids = list(document_ids)
    if not ids:
        return 0
    documents = list(m.Document.objects.filter(pk__in=ids))
    fill_parts(documents, PARTS.values(), PART_LABELS)
    fill_many_to_many(documents, MANY_TO_MANY)
    snapshots = [_as_written(document) for document in documents]
    if comment is not None:
        now = timezone.now()
        snapshots = [Snapshot(s.document, s.parts, created=now, comment=comment)
                     for s in snapshots]  # fmt: skip
    with transaction.atomic():  # ids for the new rows are allocated inside one
        write_snapshots(snapshots, user=user)
    return len(snapshots)


def imported_comment(importer: str, file: str) -> str:
    return f"Imported by {importer} from {file}"


def _as_written(document: m.Document) -> Snapshot:
    parts = [part for name in PARTS.values() for part in getattr(document, name).all()]
    sources = sorted(document.sources.all(), key=lambda s: s.imported_at)
    if sources:
        last = sources[-1]
        return Snapshot(document, parts, created=last.imported_at,
                        comment=imported_comment(last.importer, last.file))  # fmt: skip
    # Not imported and never versioned: written where no hook saw it (a raw load).
    return Snapshot(document, parts, created=timezone.now(),
                    comment="State before a change; no earlier version was kept.")  # fmt: skip


# -- the hooks ----------------------------------------------------------------------


def _keeping(raw: bool = False) -> bool:
    return not raw and not _taken_by_caller.get()


def _before_document_change(sender, instance: m.Document, raw: bool = False, **kwargs) -> None:
    if _keeping(raw) and instance.pk is not None and not instance._state.adding:
        keep_state_before_change([instance.pk])


def _before_part_change(sender, instance, raw: bool = False, **kwargs) -> None:
    if _keeping(raw) and instance.document_id is not None:
        if not instance._state.adding:  # a part moved to another document changes both
            old = sender._base_manager.filter(pk=instance.pk).values_list("document_id")
            keep_state_before_change([instance.document_id, *(d for (d,) in old)])
        else:
            keep_state_before_change([instance.document_id])


def _before_link_change(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in ("pre_add", "pre_remove", "pre_clear") or not _keeping():
        return
    if not reverse:  # document.languages.add(...)
        keep_state_before_change([instance.pk])
    elif pk_set is not None:  # language.documents.add(...)
        keep_state_before_change(pk_set)
    else:  # language.documents.clear(): every document it is linked to
        column = sender._meta.get_field(type(instance)._meta.model_name).attname
        linked = sender.objects.filter(**{column: instance.pk})
        keep_state_before_change(linked.values_list("document_id", flat=True))


def _snapshot_unversioned_save(sender, instance: m.Document, raw: bool = False, **kwargs) -> None:
    if raw or reversion.is_active() or _taken_by_caller.get():
        return

    def snapshot() -> None:
        document = m.Document.objects.filter(pk=instance.pk).first()
        if document is None:
            return
        with reversion.create_revision():
            reversion.set_comment("Saved outside the admin and importers.")
            reversion.add_to_revision(document)

    # After commit, so the snapshot includes the texts and links saved with it.
    transaction.on_commit(snapshot)


for _signal in (pre_save, pre_delete):
    _signal.connect(_before_document_change, sender=m.Document, dispatch_uid="keep-state")
    for _part in PARTS:
        _signal.connect(_before_part_change, sender=_part, dispatch_uid="keep-state")
for _name in MANY_TO_MANY:
    m2m_changed.connect(_before_link_change, sender=getattr(m.Document, _name).through,
                        dispatch_uid=f"keep-state-{_name}")  # fmt: skip
post_save.connect(_snapshot_unversioned_save, sender=m.Document, dispatch_uid="version-snapshot")
