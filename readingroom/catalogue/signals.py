"""Every change to a document or anything that belongs to it goes to the outbox."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.catalogue.outbox import record_change

# Models whose rows belong to one document through a `document` foreign key.
DOCUMENT_PARTS = (
    m.Caveat,
    m.DocumentIdentifier,
    m.ArchivalReference,
    m.DocumentAgent,
    m.DocumentPlace,
    m.Text,
    m.File,
    m.Release,
    m.DocumentRelation,
    m.CollectionMember,
)


@receiver(pre_save, sender=m.Document)
def stamp_publication(sender, instance: m.Document, raw: bool = False, **kwargs) -> None:
    """A document made public by a change (not created so) is public since now: the
    time `gate.public_since` reads. Loading fixtures (raw) keeps what they say."""
    if raw or instance.pk is None or instance.state != m.PublicationState.PUBLISHED:
        return
    before = m.Document.objects.filter(pk=instance.pk).values_list("state", flat=True).first()
    if before is not None and before != m.PublicationState.PUBLISHED:
        instance.published_at = timezone.now()


@receiver(post_save, sender=m.Document)
@receiver(post_delete, sender=m.Document)
def document_changed(sender, instance: m.Document, **kwargs) -> None:
    record_change(instance.pk, instance.identifier)


def part_changed(sender, instance, **kwargs) -> None:
    document = m.Document.objects.filter(pk=instance.document_id).only("identifier").first()
    if document is not None:  # gone with a deleted document, which is recorded already
        _touch(document.pk)
        record_change(document.pk, document.identifier)


def m2m_document_changed(sender, instance, action: str, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(instance, m.Document):
        _touch(instance.pk)
        record_change(instance.pk, instance.identifier)


def _touch(document_pk: int) -> None:
    """A part changed is the record changed: its modification time moves, as a save of
    the document moves it (harvesters ask for what changed since; records written
    ahead for them are current only at the time they were written: interop)."""
    m.Document.objects.filter(pk=document_pk).update(modified_at=timezone.now())


for _model in DOCUMENT_PARTS:
    post_save.connect(part_changed, sender=_model, dispatch_uid=f"outbox-{_model.__name__}")
    post_delete.connect(part_changed, sender=_model, dispatch_uid=f"outbox-del-{_model.__name__}")
for _through in (
    m.Document.languages.through,
    m.Document.funders.through,
    m.Document.subjects.through,
):
    m2m_changed.connect(m2m_document_changed, sender=_through)
