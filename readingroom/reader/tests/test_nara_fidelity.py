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
from readingroom.catalogue.suggestions import suggestions_for
from readingroom.conf import corpus
from readingroom.ingest import names
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
        "sort_name": None,
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
    # A withheld name is nobody to cite: no format names "[name withheld]" as its author.
    for style in ("chicago-note", "apa", "mla", "ris", "bibtex"):
        cited = client.get(f"/documents/{acting}/cite/", {"style": style, "format": "text"})
        assert "withheld" not in cited.content.decode(), style


def test_an_office_title_is_a_position_and_its_office_an_organization(
    client: Client, search_index
) -> None:
    run_import(L2023)
    search_index()  # an organization's documents are listed through search
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
    assert "is in no mapping table" not in messages  # every spelling of the list is known
    read_pages()  # the worker's OCR; the scan's header is read once its last page is
    document = m.Document.objects.get(identifier=READ)
    assert document.document_type is None and document.physical_form.slug == "textual"
    suggested = {(s.source, s.document_type.slug, s.page, s.evidence)
                 for s in suggestions_for(document)}  # fmt: skip
    assert ("title", "report", None, "DAMAGE REPORT.") in suggested
    (scan,) = [s for s in suggested if s[0] == "scan"]
    assert scan[1:3] == ("message", 2) and "DISPATCH" in scan[3]  # the dispatch form

    change = editor_client.get(f"/admin/catalogue/document/{document.pk}/change/")
    assert b"DAMAGE REPORT." in change.content and b"Accept</button>" in change.content
    response = editor_client.post(f"/admin/catalogue/document/{document.pk}/accept-type/title/")
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.document_type.slug == "report" and suggestions_for(document) == []
    assert not document.type_suggestions.exists()
    versions = Version.objects.get_for_object(document)
    assert "as suggested by the title: “DAMAGE REPORT.”" in versions.first().revision.comment
    assert versions.count() == 2  # the imported state kept before the change

    # A re-import that reads the record again (here: its stored hash no longer matches)
    # keeps the accepted type: an editor's change, and the list names only a form.
    assert "document_type" in m.DocumentEdits.objects.get(document=document).fields
    m.DocumentSource.objects.filter(document=document).update(content_hash="changed")
    assert ", 0 updated," in run_import(L2023, NARA / "scans" / f"{READ}.pdf")
    document.refresh_from_db()
    assert document.document_type.slug == "report"


def test_an_editor_accepts_agreed_suggestions_from_the_document_list(editor_client) -> None:
    run_import(L2023)
    untyped = m.Document.objects.filter(document_type__isnull=True).order_by("identifier")
    cabled = list(untyped.filter(title__startswith="CABLE")[:3])
    silent = untyped.get(identifier="104-10107-10135")  # HERBERT ITKIN: no cue
    assert all(suggestions_for(d) for d in cabled) and suggestions_for(silent) == []
    response = editor_client.post(
        "/admin/catalogue/document/",
        {"action": "accept_suggested_types",
         "_selected_action": [*(d.pk for d in cabled), silent.pk]},
        follow=True,
    )  # fmt: skip
    assert b"Type accepted for 3 document(s); 1 without one agreed suggestion" in (
        response.content
    )
    for d in cabled:
        d.refresh_from_db()
        assert d.document_type.slug == "telegram"
    silent.refresh_from_db()
    assert silent.document_type is None
