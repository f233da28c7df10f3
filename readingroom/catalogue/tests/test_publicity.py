"""Whether a record was ever public (catalogue/publicity.py): stamped on every write
path, kept through withdrawal, a return to draft, a new embargo and a revert; never
set for a record no reader saw."""

from __future__ import annotations

from datetime import timedelta

import pytest
import reversion
from django.utils import timezone
from reversion.models import Version

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import effective_modified, harvested_documents, is_public

pytestmark = pytest.mark.django_db


def _was_public(d: m.Document, now=None) -> bool:
    d.refresh_from_db()
    now = now or timezone.now()
    return d.first_public_at is not None and d.first_public_at <= now


def test_saves_stamp_the_first_public_moment_and_keep_it(make_document) -> None:
    draft = make_document(state=m.PublicationState.DRAFT)
    assert not _was_public(draft)
    draft.state = m.PublicationState.PUBLISHED
    draft.save()
    assert _was_public(draft)
    first = draft.first_public_at
    for state in (m.PublicationState.DRAFT, m.PublicationState.WITHDRAWN):
        draft.state, draft.withdrawn_reason = state, "Privacy"
        draft.save()
        assert _was_public(draft) and draft.first_public_at == first, state
    # A revert to a version from before it was ever public keeps what the record did.
    with reversion.create_revision():
        draft.save()
    Version.objects.get_for_object(draft).first().revision.revert()
    assert draft.first_public_at == first


def test_an_embargo_stamps_its_end_ahead_and_a_withdrawal_before_it_clears_it(
    make_document,
) -> None:
    end = timezone.now() + timedelta(days=3)
    embargoed = make_document(embargo_until=end)
    embargoed.refresh_from_db()
    assert embargoed.first_public_at == end and not _was_public(embargoed)
    assert _was_public(embargoed, now=end)  # the end comes with nothing written
    embargoed.state, embargoed.withdrawn_reason = m.PublicationState.WITHDRAWN, "Error"
    embargoed.save()
    assert embargoed.first_public_at is None  # no reader ever saw it
    assert not harvested_documents(end + timedelta(days=1)).filter(pk=embargoed.pk).exists()

    public = make_document()
    public.embargo_until = end  # a new embargo on a public record: it was public
    public.save()
    assert _was_public(public) and not is_public(public)
    assert harvested_documents().filter(pk=public.pk).exists()


def test_imports_stamp_the_records_they_create_as_published(seeded) -> None:
    for document in seeded.values():
        document.refresh_from_db()
        assert document.first_public_at == document.created_at


def test_the_stored_time_is_the_effective_one_once_an_embargo_has_passed(make_document) -> None:
    end = timezone.now() + timedelta(days=1)
    for d in (make_document(), make_document(embargo_until=end)):
        d.refresh_from_db()
        assert d.effective_modified_at == effective_modified(d, now=end + timedelta(days=1))
