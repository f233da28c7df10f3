"""Issue 19 on the reader's side, with the real release lists and a real scan: undated
records say "Undated" (reproduction 6), withheld names and offices show as what they are
(reproduction 5), and document types suggested from a title or a scan's form header are
accepted by an editor (kinds for records whose list gives only a physical form)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client
from lxml import html
from reversion.models import Version

from readingroom.catalogue import models as m
from readingroom.conf import corpus
from readingroom.ingest import names
from readingroom.ingest.loader import SUGGESTED
from readingroom.reader.tests.test_scanned_records import READ, read_pages

pytestmark = pytest.mark.django_db
NARA = corpus() / "nara-jfk"
L2022 = NARA / "releases" / "jfk2022.xlsx"
L2023 = NARA / "releases" / "national-archives-jfk-assassination-records-2023-release.xlsx"


def run_import(*paths) -> str:
    err = io.StringIO()
    call_command("import", "nara-jfk", *map(str, paths), no_progress=True, stderr=err)
    return err.getvalue()


def text_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    words = " ".join(" ".join(html.fromstring(response.content).body.itertext()).split())
    return words.replace(" ,", ",")  # elements side by side read as one line


# --- reproduction 6: "01/01/0000" is NARA's "no date" ------------------------------------


def test_undated_records_display_undated_and_keep_the_text_as_written(client: Client) -> None:
    run_import(L2022)
    zero = m.Document.objects.filter(date_as_written="01/01/0000")
    assert zero.count() == 641 and not zero.exclude(date_precision="undated").exists()
    record = zero.order_by("identifier").first()
    data = client.get(f"/documents/{record.identifier}.json").json()
    assert data["date"]["display"] == "Undated" and data["date"]["as_written"] == "01/01/0000"
    page = text_of(client, f"/documents/{record.identifier}/")
    assert page.count("Undated") >= 2  # the heading and the information block
    assert "(as written: 01/01/0000)" in page
    assert "01/01/0000" not in text_of(client, "/documents/").replace("as written", "")
    listing = client.get("/documents.json").json()["results"]
    assert "01/01/0000" not in {r["date"]["display"] for r in listing}


# --- reproduction 5: withheld names, offices, stations ----------------------------------


def test_a_withheld_name_is_shown_as_withheld_and_counted_with_the_releases(
    client: Client,
) -> None:
    messages = run_import(L2022)
    assert f"mapping: {names.WITHHELD}: " in messages and f"mapping: {names.TITLE}: " in messages
    assert not m.Agent.objects.filter(name__iregex=r"deleted|deletion|withheld|restricted").exists()

    acting = "104-10005-10125"  # From `ACTING CHIEF OF STATION ((DELETED))`
    data = client.get(f"/documents/{acting}.json").json()
    (author,) = [c for c in data["contributors"] if c["role"] == "author"]
    assert author == {
        "role": "author",
        "role_label": "Author",
        "name": "[name withheld]",
        "kind": None,
        "office": "ACTING CHIEF OF STATION",
        "note": None,
        "name_withheld": True,
        "name_as_written": "ACTING CHIEF OF STATION ((DELETED))",
        "url": None,
    }
    assert data["names_withheld"] == [
        {"role": "author", "role_label": "Author", "office": "ACTING CHIEF OF STATION"}
    ]
    page = text_of(client, f"/documents/{acting}/")
    assert "[name withheld], ACTING CHIEF OF STATION" in page
    assert "Names withheld: 1 (Author, ACTING CHIEF OF STATION)" in page


def test_an_office_title_is_a_position_and_its_office_an_organization(client: Client) -> None:
    run_import(L2023)
    link = m.DocumentAgent.objects.get(document__identifier=READ, role="recipient")
    assert (link.agent.name, link.agent.kind, link.office) == (
        "FAR EAST DIVISION",
        "organization",
        "CHIEF",
    )
    assert link.name_as_written == "CHIEF, FAR EAST DIVISION"
    page = text_of(client, f"/documents/{READ}/")
    assert "FAR EAST DIVISION, CHIEF" in page
    agent_page = client.get(f"/agents/{link.agent_id}.json").json()
    assert READ in {d["identifier"] for d in agent_page["documents"]}


# --- kinds: suggested from the title and the scan's form header, accepted by an editor ---


def test_types_suggested_from_title_and_scan_header_and_accepted_by_an_editor(
    editor_client: Client,
) -> None:
    messages = run_import(L2023, NARA / "scans" / f"{READ}.pdf")
    assert f"mapping: {SUGGESTED}: " in messages
    assert "is in no mapping table" not in messages  # every spelling of the list is known
    read_pages()  # the worker's OCR; the scan's header is read once its last page is
    document = m.Document.objects.get(identifier=READ)
    assert document.document_type is None and document.physical_form.slug == "textual"
    suggested = {(s.source, s.document_type.slug, s.page) for s in document.type_suggestions.all()}
    assert suggested == {("title", "report", None), ("scan", "message", 2)}

    change = editor_client.get(f"/admin/catalogue/document/{document.pk}/change/")
    assert b"DAMAGE REPORT." in change.content and b"Accept</button>" in change.content
    title = document.type_suggestions.get(source="title")
    response = editor_client.post(
        f"/admin/catalogue/document/{document.pk}/accept-type/{title.pk}/"
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.document_type.slug == "report" and not document.type_suggestions.exists()
    versions = Version.objects.get_for_object(document)
    assert "as suggested by the title: “DAMAGE REPORT.”" in versions.first().revision.comment
    assert versions.count() == 2  # the imported state kept before the change

    # A re-import that changes the record (here: its stored hash no longer matches)
    # keeps the accepted type: the list names only a form.
    m.DocumentSource.objects.filter(document=document).update(content_hash="changed")
    assert ", 1 updated," in run_import(L2023, NARA / "scans" / f"{READ}.pdf")
    document.refresh_from_db()
    assert document.document_type.slug == "report"


def test_an_editor_accepts_agreed_suggestions_from_the_document_list(editor_client) -> None:
    run_import(L2023)
    suggested = m.Document.objects.filter(type_suggestions__isnull=False).distinct()
    assert suggested.count() > 1000  # titles such as "CABLE RE …", "DISPATCH: …"
    chosen = list(suggested.order_by("identifier").values_list("pk", flat=True)[:3])
    untouched = m.Document.objects.filter(type_suggestions__isnull=True,
                                          document_type__isnull=True).first()  # fmt: skip
    expected = {
        pk: m.TypeSuggestion.objects.filter(document_id=pk).first().document_type_id
        for pk in chosen
    }
    response = editor_client.post(
        "/admin/catalogue/document/",
        {"action": "accept_suggested_types", "_selected_action": [*chosen, untouched.pk]},
        follow=True,
    )
    assert b"Type accepted for 3 document(s); 1 without one agreed suggestion" in (
        response.content
    )
    for pk, type_id in expected.items():
        assert m.Document.objects.get(pk=pk).document_type_id == type_id
    untouched.refresh_from_db()
    assert untouched.document_type is None
