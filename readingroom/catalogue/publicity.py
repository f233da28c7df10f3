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
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from readingroom.catalogue import fast_insert
from readingroom.catalogue.models import Document, PublicationState


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
    return ("first_public_at",)


fast_insert.before_write(Document, _stamp)


@receiver(pre_save, sender=Document, dispatch_uid="stamp-first-public")
def stamp_first_public(sender, instance: Document, raw: bool = False, **kwargs) -> None:
    """Loading fixtures (raw) keeps what they say. The stored value is read, not the
    instance's: an instance reverted to an older version carries that version's."""
    if raw:
        return
    stored = None
    if instance.pk is not None:
        stored = Document.objects.filter(pk=instance.pk).values_list(
            "first_public_at", flat=True).first()  # fmt: skip
    instance.first_public_at = first_public_at(
        instance.state, instance.embargo_until, stored, timezone.now()
    )
