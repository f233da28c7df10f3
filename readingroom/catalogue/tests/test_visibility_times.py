"""The two times every listing, search and harvest reads (catalogue/gate.py): since
when the public can see a record, and when it last changed for the public."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import (
    effective_modified,
    public_since,
    with_visibility_times,
)

pytestmark = pytest.mark.django_db


def test_public_since_is_the_later_of_publication_and_embargo_end(make_document) -> None:
    imported = make_document()  # created as published, as the importers do
    assert imported.published_at is None and public_since(imported) == imported.created_at

    draft = make_document(state=m.PublicationState.DRAFT)
    assert draft.published_at is None
    draft.state = m.PublicationState.PUBLISHED
    draft.save()
    assert draft.published_at is not None and draft.published_at > draft.created_at
    assert public_since(draft) == draft.published_at
    stamped = draft.published_at
    draft.title = "A corrected title"
    draft.save()  # a change that does not publish keeps the time it became public
    assert draft.published_at == stamped

    later = timezone.now() + timedelta(days=3)
    embargoed = make_document(embargo_until=later)
    assert public_since(embargoed) == later


def test_an_ended_embargo_is_a_change_for_the_public(make_document) -> None:
    end = timezone.now() + timedelta(days=3)
    document = make_document(embargo_until=end)
    assert effective_modified(document) == document.modified_at
    after = end + timedelta(seconds=1)
    assert effective_modified(document, now=after) == end
    document.title = "Changed while the embargo runs"
    document.save()  # before its end: the end is still the later change
    assert effective_modified(document, now=after) == end


def test_the_database_computes_the_same_times(make_document) -> None:
    now = timezone.now()
    make_document()
    make_document(embargo_until=now + timedelta(days=1))
    make_document(embargo_until=now - timedelta(days=1))
    draft = make_document(state=m.PublicationState.DRAFT)
    draft.state = m.PublicationState.PUBLISHED
    draft.save()
    for moment in (now, now + timedelta(days=2)):
        for d in with_visibility_times(m.Document.objects.all(), moment):
            assert d.public_since == public_since(d), d.identifier
            assert d.effective_modified == effective_modified(d, moment), d.identifier
