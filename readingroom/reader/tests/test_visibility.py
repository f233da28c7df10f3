"""Drafts, withdrawn and embargoed documents never reach an anonymous reader through
any public surface, and appear once published."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from readingroom.catalogue import models as m

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(make_document) -> list[m.Document]:
    return [
        make_document(title="Hidden draft memo", state=m.PublicationState.DRAFT),
        make_document(
            title="Hidden withdrawn memo",
            state=m.PublicationState.WITHDRAWN,
            withdrawn_reason="Personal data",
        ),
        make_document(
            title="Hidden embargoed memo", embargo_until=timezone.now() + timedelta(days=365)
        ),
    ]


def surfaces(document: m.Document) -> list[str]:
    return [f"/documents/{document.identifier}/", f"/documents/{document.identifier}.json"]


def test_hidden_documents_do_not_leak(client: Client, hidden, make_document) -> None:
    visible = make_document(title="Visible memo")
    for document in hidden:
        for url in surfaces(document):
            assert client.get(url).status_code == 404, url
    for url in [
        "/documents/",
        "/documents.json",
        "/documents/?q=memo",
        "/documents.json?q=draft",
        "/documents.json?q=embargoed",
    ]:
        body = client.get(url).content.decode()
        for document in hidden:
            assert document.title not in body, url
            assert f"/documents/{document.identifier}/" not in body, url
    assert client.get("/documents.json").json()["count"] == 1
    assert visible.identifier in client.get("/documents.json").content.decode()


def test_published_documents_appear(client: Client, hidden) -> None:
    for document in hidden:
        document.state = m.PublicationState.PUBLISHED
        document.embargo_until = None
        document.save()
    for document in hidden:
        for url in surfaces(document):
            assert client.get(url).status_code == 200, url
    assert client.get("/documents.json").json()["count"] == 3


def test_staff_preview_drafts_with_a_banner(client: Client, hidden) -> None:
    staff = get_user_model().objects.create_superuser("staff", "s@example.org", "pw-staff-123")
    client.force_login(staff)
    response = client.get(surfaces(hidden[0])[0])
    assert response.status_code == 200
    assert "Staff preview" in response.content.decode()
