"""The public gate: the one queryset every public surface starts from.

A document is public when it is published and its embargo, if any, has passed. The
embargo is compared with the clock at query time, so an expiring embargo takes effect
without any write. Pages, JSON, listings, search, feeds, OAI-PMH, IIIF and exports
must all start here (a test walks every public URL with hidden documents present).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case, Expression, F, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from readingroom.catalogue.models import Document, PublicationState


def public_filter(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(state=PublicationState.PUBLISHED) & (
        Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
    )


def public_documents(now: datetime | None = None) -> QuerySet[Document]:
    return Document.objects.filter(public_filter(now))


def published_documents() -> QuerySet[Document]:
    """What the search index holds: every published document, embargoed ones included,
    each with the moment it becomes public, so that the index applies the embargo at
    query time (an embargo ends with no write) and nothing else needs re-indexing."""
    return Document.objects.filter(state=PublicationState.PUBLISHED)


def is_public(document: Document, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return document.state == PublicationState.PUBLISHED and (
        document.embargo_until is None or document.embargo_until <= now
    )


def _sees_everything(user) -> bool:
    return user is not None and user.is_active and user.has_perm("catalogue.view_document")


def documents_visible_to(user) -> QuerySet[Document]:
    """Staff who may change documents see everything (to preview drafts); others the gate."""
    if _sees_everything(user):
        return Document.objects.all()
    return public_documents()


def visible_to(user, document: Document, now: datetime | None = None) -> bool:
    """`documents_visible_to` for a row already read by its id: looking rows up by id
    and then asking this is how lists of known ids pass the gate (SQLite, asked for
    "public and one of these ids", scans the publication-state index instead)."""
    return _sees_everything(user) or is_public(document, now)


# Two times every surface that lists or harvests records reads from here (listings,
# search, and the sitemaps, feeds and OAI-PMH datestamps to come):
#
# - *public since*: when the record last became visible to the public — the later of
#   its publication (an editor's, or its creation when it was imported as published)
#   and the end of its embargo;
# - *effective modification time*: the later of its last change and the end of its
#   embargo, once that end has passed. A record whose embargo ends has changed for the
#   public at that moment, though nothing was written: a harvester asking "what changed
#   since" must be told.


def _published(d: Document) -> datetime:
    return d.published_at or d.created_at


def public_since(d: Document) -> datetime:
    if d.embargo_until is not None and d.embargo_until > _published(d):
        return d.embargo_until
    return _published(d)


def effective_modified(d: Document, now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    if d.embargo_until is not None and d.modified_at < d.embargo_until <= now:
        return d.embargo_until
    return d.modified_at


def public_since_expression() -> Expression:
    published = Coalesce("published_at", "created_at")
    return Case(When(embargo_until__gt=published, then=F("embargo_until")), default=published)


def effective_modified_expression(now: datetime | None = None) -> Expression:
    now = now or timezone.now()
    return Case(
        When(embargo_until__lte=now, embargo_until__gt=F("modified_at"), then=F("embargo_until")),
        default=F("modified_at"),
    )


def with_visibility_times(queryset: QuerySet[Document], now: datetime | None = None
                          ) -> QuerySet[Document]:  # fmt: skip
    """`queryset` with `public_since` and `effective_modified` annotated, for ordering
    and filtering in the database (the functions above give the same for one record)."""
    return queryset.annotate(
        public_since=public_since_expression(),
        effective_modified=effective_modified_expression(now),
    )


# Harvesting must also say what stopped being public: a record that was public once
# (`first_public_at`, catalogue/publicity.py) and is not now is *deleted* for a
# harvester — withdrawn, returned to draft or put under a new embargo — while a record
# that never was public is never named at all.


def was_public_filter(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(first_public_at__isnull=False, first_public_at__lte=now)


def harvested_documents(now: datetime | None = None) -> QuerySet[Document]:
    """Every record a harvester is told about: the public ones, and the ones that were
    public and are no longer (reported deleted; `is_public` tells them apart)."""
    now = now or timezone.now()
    return Document.objects.filter(public_filter(now) | was_public_filter(now))
