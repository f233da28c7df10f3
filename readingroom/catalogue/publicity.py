"""Whether a record was ever public: `Document.first_public_at`, stamped at every write.

A harvester that took a record must later be told when it goes (OAI-PMH reports it
deleted), but a draft that no reader ever saw must never be named. The state alone
cannot tell them apart once a record is withdrawn or returned to draft, so every write
of a document stamps the moment it first was public:

- kept for good once it has passed (withdrawals, returns to draft, new embargoes and
  reverts to an older version never clear it);
- a published record without an embargo (or whose embargo has ended) is public now;
- a published record under an embargo will be public when the embargo ends: that
  moment is stamped ahead, so nothing needs writing when it comes, and it is moved or
  cleared again if the embargo or the state changes before then.

Two write paths: `save()` (the admin, editors' scripts, tests), through a pre_save
receiver that reads the stored value first; and the loader's bulk writes
(`fast_insert.insert`/`update`, which send no signals), through the hook registered
below. `QuerySet.update()` bypasses both, as it bypasses `modified_at`: change state and
embargo through one of the two.

Both paths also count every change that may end a record's publicity
(`publicity_changed`), as do deletions and the hiding of a page's text: whatever keeps
public answers for a while keys them on that count.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import F
from django.db.models.signals import post_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from readingroom.catalogue import fast_insert
from readingroom.catalogue.models import Document, PublicationState, PublicityChanges


def first_public_at(state: str, embargo_until: datetime | None, stamped: datetime | None,
                    now: datetime) -> datetime | None:  # fmt: skip
    """The value to store, given the record's new state and embargo and the value
    stored before this write."""
    if stamped is not None and stamped <= now:
        return stamped  # it was public: that never stops being true
    if state != PublicationState.PUBLISHED:
        return None  # never was, and a moment stamped ahead will not come
    return embargo_until if embargo_until is not None and embargo_until > now else now


def _stamp(documents: Sequence[Document], now: datetime) -> tuple[str, ...]:
    for d in documents:
        d.first_public_at = first_public_at(d.state, d.embargo_until, d.first_public_at, now)
    # The loader does not read what it replaces: a record it writes as not public now
    # may have been public before.
    if any(d.state != PublicationState.PUBLISHED or d.embargo_until is not None
           for d in documents):  # fmt: skip
        publicity_changed()
    return ("first_public_at",)


fast_insert.before_write(Document, _stamp)


@receiver(pre_save, sender=Document, dispatch_uid="stamp-first-public")
def stamp_first_public(sender, instance: Document, raw: bool = False, **kwargs) -> None:
    """Loading fixtures (raw) keeps what they say. The stored value is read, not the
    instance's: an instance reverted to an older version carries that version's."""
    if raw:
        return
    stored, before = None, None
    if instance.pk is not None:
        before = Document.objects.filter(pk=instance.pk).values_list(
            "first_public_at", "state", "embargo_until").first()  # fmt: skip
    if before is not None:
        stored = before[0]
        if before[1:] != (instance.state, instance.embargo_until):
            publicity_changed()
    instance.first_public_at = first_public_at(
        instance.state, instance.embargo_until, stored, timezone.now()
    )


@receiver(post_delete, sender=Document, dispatch_uid="deleted-was-public")
def deleted(sender, instance: Document, **kwargs) -> None:
    publicity_changed()


# -- the count of publicity changes ------------------------------------------------------


def publicity_changed() -> None:
    """Something may have stopped being public: counted in the change's transaction,
    so that anything kept from before it is keyed on an older count."""
    if not PublicityChanges.objects.update(count=F("count") + 1):
        PublicityChanges.objects.create(count=1)


def publicity_changes() -> int:
    return PublicityChanges.objects.values_list("count", flat=True).first() or 0
