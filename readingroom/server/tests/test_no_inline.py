"""Nothing inline that the Content-Security-Policy would block, on any page kind: the
reader's pages and every admin page an editor reaches (lists, forms, history, delete
confirmations for every registered model). The browser test (test_production_server)
confirms with Chromium's own violation reports; this one covers every admin form."""

from __future__ import annotations

import lxml.html
import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db


def inline_code(html: str) -> list[str]:
    tree = lxml.html.fromstring(html)
    found = []
    for script in tree.iter("script"):
        if not script.get("src") and script.get("type") not in {"application/json",
                                                               "application/ld+json"}:
            found.append("inline <script>")
    found += ["<style>" for _ in tree.iter("style")]
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name == "style" or name.startswith("on"):
                found.append(f"<{element.tag} {name}=...>")
            elif name in {"href", "src", "action"} and value.strip().startswith("javascript:"):
                found.append(f"<{element.tag} {name}=javascript:>")
    return found


def assert_nothing_inline(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    assert inline_code(response.content.decode()) == [], url


def test_reader_pages(client, seeded, scanned, search_index) -> None:
    search_index()
    document = seeded["000"]
    for url in ["/documents/", f"/documents/{document.identifier}/",
                f"/documents/{scanned.identifier}/", f"/documents/{scanned.identifier}/?q=CIA",
                "/search/?q=Havana", "/search/?q=&type=letter", "/collections/",
                f"/agents/{document.agent_links.first().agent_id}/"]:  # fmt: skip
        assert_nothing_inline(client, url)


def test_every_admin_page(client, editor_client, seeded, scanned) -> None:
    assert_nothing_inline(client, "/admin/login/")
    assert_nothing_inline(editor_client, "/admin/")
    assert_nothing_inline(editor_client, "/admin/password_change/")
    assert_nothing_inline(editor_client, reverse("admin:catalogue_agent_near_matches"))
    visited = 0
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        assert_nothing_inline(editor_client, reverse(f"{name}_changelist"))
        visited += 1
        if model_admin.has_add_permission(_request(editor_client)):
            assert_nothing_inline(editor_client, reverse(f"{name}_add"))
        if (obj := model.objects.first()) is not None:
            assert_nothing_inline(editor_client, reverse(f"{name}_change", args=[obj.pk]))
            assert_nothing_inline(editor_client, reverse(f"{name}_history", args=[obj.pk]))
            if model_admin.has_delete_permission(_request(editor_client), obj):
                assert_nothing_inline(editor_client, reverse(f"{name}_delete", args=[obj.pk]))
    assert visited >= 10  # catalogue, files, auth, axes, tasks: every registered model


def _request(client):
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username="editor")
    return request


def test_the_check_finds_what_it_looks_for() -> None:
    html = ('<html><body><script>alert(1)</script><style>p{}</style><p style="x" '
            'onclick="y">a</p><a href="javascript:z()">b</a>'
            '<script type="application/json">{}</script></body></html>')  # fmt: skip
    assert inline_code(html) == ["inline <script>", "<style>", "<p style=...>",
                                 "<p onclick=...>", "<a href=javascript:>"]  # fmt: skip
