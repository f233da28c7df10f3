"""Versions: every save of a document keeps a snapshot of the whole document.

django-reversion serializes the document together with the rows that follow it
(texts, links, references, caveats, files...) into one revision with who, when and why.
Admin saves and imports open a revision explicitly; a save made anywhere else (a shell,
a script) still gets one through the post_save hook below.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from contextvars import ContextVar

import reversion
from django.db import transaction
from django.db.models.signals import post_save

from readingroom.catalogue import models as m
from readingroom.flags import raised

for _part in (
    m.Caveat,
    m.DocumentIdentifier,
    m.ArchivalReference,
    m.DocumentAgent,
    m.DocumentPlace,
    m.Text,
    m.File,
    m.Release,
    m.CollectionMember,
    m.DocumentSource,
):
    reversion.register(_part)

reversion.register(
    m.Document,
    follow=(
        "caveats",
        "identifiers",
        "archival_references",
        "agent_links",
        "place_links",
        "texts",
        "files",
        "releases",
        "memberships",
        "sources",
    ),
)


# Set by callers that write their own snapshots (the loader, in bulk).
_taken_by_caller: ContextVar[bool] = ContextVar("snapshots_taken_by_caller", default=False)


def snapshots_taken_by_caller() -> AbstractContextManager[None]:
    return raised(_taken_by_caller)


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


post_save.connect(_snapshot_unversioned_save, sender=m.Document, dispatch_uid="version-snapshot")
