"""An editor's change in the admin reaches the public page at once and is kept as a
version of the whole document, with who and when."""

from __future__ import annotations

import pytest
from django.test import Client
from reversion.models import Version

from readingroom.catalogue import models as m

pytestmark = pytest.mark.django_db


def admin_form_data(client: Client, document: m.Document) -> dict[str, str]:
    """The change form as the browser would submit it, read from the real page."""
    from lxml import html

    page = client.get(f"/admin/catalogue/document/{document.pk}/change/")
    assert page.status_code == 200
    form = html.fromstring(page.content).get_element_by_id("document_form")
    data: dict[str, str | list[str]] = {}
    for name, value in form.form_values():
        if name in data:
            existing = data[name]
            data[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            data[name] = value
    return data


def test_admin_edit_shows_on_page_and_keeps_a_version(editor_client, make_document) -> None:
    document = make_document(title="Telegram about Berlin")
    m.Caveat.objects.create(document=document, text="Eyes Only")
    data = admin_form_data(editor_client, document)
    data["title"] = "Telegram about Berlin, corrected"
    data["summary"] = "Corrected summary."
    response = editor_client.post(f"/admin/catalogue/document/{document.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]

    public = Client().get(f"/documents/{document.identifier}/")
    assert "Telegram about Berlin, corrected" in public.content.decode()
    assert "Corrected summary." in public.content.decode()

    versions = Version.objects.get_for_object(m.Document.objects.get(pk=document.pk))
    latest = versions.first()
    assert latest.revision.user.username == "editor"
    assert latest.field_dict["title"] == "Telegram about Berlin, corrected"
    # The snapshot is of the whole document: its caveat and text are in the same revision.
    models_in_revision = {v.content_type.model for v in latest.revision.version_set.all()}
    assert {"document", "caveat", "text"} <= models_in_revision

    history = editor_client.get(f"/admin/catalogue/document/{document.pk}/history/")
    assert "editor" in history.content.decode()


def test_identifier_cannot_be_changed_in_the_admin(editor_client, make_document) -> None:
    document = make_document()
    data = admin_form_data(editor_client, document)
    data["identifier"] = "something-else"
    editor_client.post(f"/admin/catalogue/document/{document.pk}/change/", data)
    assert m.Document.objects.get(pk=document.pk).identifier == document.identifier


def test_a_save_outside_admin_and_importers_still_keeps_a_version(
    make_document, django_capture_on_commit_callbacks
) -> None:
    document = make_document()
    with django_capture_on_commit_callbacks(execute=True):
        document.title = "Changed from a shell"
        document.save()
    versions = Version.objects.get_for_object(document)
    assert versions.first().field_dict["title"] == "Changed from a shell"


def test_text_html_is_sanitized_on_save(make_document) -> None:
    document = make_document()
    text = m.Text.objects.create(
        document=document,
        kind="original",
        html='<p id="p1" onclick="x()">Hi<script>alert(1)</script></p>',
    )
    assert text.html == '<p id="p1">Hi</p>'


def test_every_back_office_list_and_add_form_opens(editor_client, seeded) -> None:
    from django.contrib import admin

    for model in admin.site._registry:
        if model._meta.app_label != "catalogue":
            continue
        base = f"/admin/catalogue/{model._meta.model_name}/"
        assert editor_client.get(base + "?q=Top").status_code == 200, base
        add = editor_client.get(base + "add/")
        assert add.status_code in (200, 403), base  # the outbox cannot be added to
    document = seeded["000"]
    change = editor_client.get(f"/admin/catalogue/document/{document.pk}/change/")
    page = change.content.decode()
    for shown in ["AVP RF, f. 0104", "Gary Goldberg", "Copy Nº 1", "Outgoing number"]:
        assert shown in page, shown
