"""The public gate hides drafts, withdrawn and embargoed documents everywhere."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import is_public, public_documents

pytestmark = pytest.mark.django_db


def test_only_published_unembargoed_documents_pass(make_document) -> None:
    now = timezone.now()
    published = make_document()
    draft = make_document(state=m.PublicationState.DRAFT)
    withdrawn = make_document(state=m.PublicationState.WITHDRAWN, withdrawn_reason="Privacy")
    embargoed = make_document(embargo_until=now + timedelta(days=30))
    expired = make_document(embargo_until=now - timedelta(seconds=1))

    visible = set(public_documents().values_list("identifier", flat=True))
    assert visible == {published.identifier, expired.identifier}
    for document in (draft, withdrawn, embargoed):
        assert not is_public(document)
    assert is_public(published) and is_public(expired)


def test_an_embargo_expires_without_any_write(make_document) -> None:
    until = timezone.now() + timedelta(days=1)
    document = make_document(embargo_until=until)
    modified = m.Document.objects.get(pk=document.pk).modified_at
    assert not public_documents().filter(pk=document.pk).exists()
    # The same rows, seen from a moment after the embargo: visible, nothing written.
    later = until + timedelta(seconds=1)
    assert public_documents(now=later).filter(pk=document.pk).exists()
    assert m.Document.objects.get(pk=document.pk).modified_at == modified


def test_a_withdrawn_document_needs_a_reason(make_document) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_document(state=m.PublicationState.WITHDRAWN, withdrawn_reason="")


def test_dates_cannot_end_before_they_start(make_document) -> None:
    from datetime import date

    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_document(date_start=date(1962, 5, 2), date_end=date(1962, 5, 1))
