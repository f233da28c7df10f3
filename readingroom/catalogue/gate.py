"""The public gate: the one queryset every public surface starts from.

A document is public when it is published and its embargo, if any, has passed. The
embargo is compared with the clock at query time, so an expiring embargo takes effect
without any write. Pages, JSON, listings, search, feeds, OAI-PMH, IIIF and exports
must all start here (a test walks every public URL with hidden documents present).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from readingroom.catalogue.models import Document, PublicationState


def public_filter(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(state=PublicationState.PUBLISHED) & (
        Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
    )


def public_documents(now: datetime | None = None) -> QuerySet[Document]:
    return Document.objects.filter(public_filter(now))


def is_public(document: Document, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return document.state == PublicationState.PUBLISHED and (
        document.embargo_until is None or document.embargo_until <= now
    )


def documents_visible_to(user) -> QuerySet[Document]:
    """Staff who may change documents see everything (to preview drafts); others the gate."""
    if user is not None and user.is_active and user.has_perm("catalogue.view_document"):
        return Document.objects.all()
    return public_documents()
