"""A scanned, released record end to end: `readingroom import nara-jfk` with real lists
and scans, pages rendered and read by real Tesseract, the page with its images, its
machine-read text and its release timeline, search finding words only the scan holds
and placing them on the page image, an editor hiding a page's text, drafts kept out."""

from __future__ import annotations

import dataclasses
from collections import Counter
from functools import cache

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import public_documents
from readingroom.conf import corpus
from readingroom.files.models import Page
from readingroom.files.pages import PageResult, claim, do_page_work, save_result, work_for
from readingroom.files.storage import path_for
from readingroom.search.service import search

pytestmark = pytest.mark.django_db
NARA = corpus() / "nara-jfk"
LIST_2023 = NARA / "releases" / "national-archives-jfk-assassination-records-2023-release.xlsx"
READ = "104-10121-10174"  # two pages: read by Tesseract in these tests
ITKIN = "104-10107-10135"  # five pages, released 2022, 2023 and 2025


@cache
def _read(pdf: str, number: int) -> PageResult:
    # Tesseract takes ~1.5 s a page: each page is read once per test session.
    page = Page.objects.get(pdf_sha256=pdf, number=number)
    return do_page_work(work_for(page))


def read_pages() -> int:
    """What the worker does, with each page's reading done once per session."""
    done = 0
    while pages := claim(10):
        for page in pages:
            save_result(dataclasses.replace(_read(page.pdf_sha256, page.number), pk=page.pk))
            done += 1
    return done


@pytest.fixture
def imported(search_index) -> None:
    call_command("import", "nara-jfk", str(LIST_2023), str(NARA / "scans" / f"{READ}.pdf"),
                 no_progress=True)  # fmt: skip
    read_pages()
    search_index()


def scan_sha(identifier: str) -> str:
    return m.Document.objects.get(identifier=identifier).files.get().sha256


def test_the_record_page_shows_its_scan_text_and_releases(imported, client: Client) -> None:
    sha = scan_sha(READ)
    pages = Page.objects.filter(pdf_sha256=sha)
    assert pages.count() == 2 and {p.text_state for p in pages} == {"done"}
    assert all(p.text_source == "ocr" and p.image_sha256 and p.thumbnail_sha256 for p in pages)

    html = client.get(f"/documents/{READ}/").content.decode()
    assert html.count('class="page"') == 2 and "Machine-read text" in html
    assert "Declassification history" in html
    data = client.get(f"/documents/{READ}.json").json()
    assert [r["released_on"] for r in data["releases"]] == sorted(
        r["released_on"] for r in data["releases"]
    )
    assert data["releases"][-1]["released_on"] == "2025-03-18"
    page = data["scans"][0]["pages"][0]
    assert page["text_source"] == "ocr" and page["text"]
    assert "2025 RELEASE UNDER" not in page["text"]  # the banner is not the document's text

    image = client.get(page["image"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    words = client.get(page["words_url"]).json()
    assert words["uncorrected"] is True and words["words"]

    pdf = client.get(data["files"][0]["url"])
    assert pdf["Content-Type"] == "application/pdf" and f"{READ}.pdf" in pdf["Content-Disposition"]
    assert b"".join(pdf.streaming_content) == (NARA / "scans" / f"{READ}.pdf").read_bytes()


def test_words_only_on_the_scan_find_it_and_are_marked_on_the_page(imported, client) -> None:
    word = "Pottstown"  # typed on page 1 of the dispatch; in no catalogue field
    assert not m.Document.objects.filter(title__icontains=word).exists()
    data = search(word)
    assert [h["document"].identifier for h in data["hits"]] == [READ]
    hit = data["hits"][0]
    assert hit["pages"] == [1]
    assert "machine-read" in {t["kind"] for t in hit["matched_texts"]}

    html = client.get(f"/documents/{READ}/?q={word}").content.decode()
    assert html.count('<rect class="hit"') >= 1
    # The banner every scan carries is not searchable: it would match every scan.
    assert search('"Kennedy Assassination Records Act"')["total"] == 0


def test_an_editor_hides_a_page_text_and_it_leaves_search_at_once(
    imported, django_capture_on_commit_callbacks, settings
) -> None:
    settings.PAGE_CACHE_SERVING = True  # as `readingroom serve` keeps public answers
    sha = scan_sha(READ)
    page = Page.objects.get(pdf_sha256=sha, number=1)
    client = Client()
    assert client.get(f"/documents/{READ}/files/{m.File.objects.get(sha256=sha).pk}"
                      f"/pages/1.json").status_code == 200  # fmt: skip
    # Asked (and kept) while the text is public: the search and the record's JSON.
    assert READ in client.get("/search.json", {"q": "Pottstown"}).content.decode()
    assert client.get(f"/documents/{READ}.json").json()["scans"][0]["pages"][0]["text"]
    editor = User.objects.create_superuser("editor", "e@example.org", "pw")
    staff = Client()
    staff.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):  # as after a real commit
        response = staff.post("/admin/files/page/", {"action": "hide_text",
                                                     "_selected_action": [page.pk]})  # fmt: skip
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.text_hidden and page.hidden_by == editor
    assert search("Pottstown")["total"] == 0  # no worker run in between
    assert client.get("/search.json", {"q": "Pottstown"}).json()["total"] == 0
    data = client.get(f"/documents/{READ}.json").json()
    first = data["scans"][0]["pages"][0]
    assert first["text"] is None and first["text_hidden"] and first["image"]
    assert client.get(f"/documents/{READ}/files/{m.File.objects.get(sha256=sha).pk}"
                      f"/pages/1.json").status_code == 404  # fmt: skip


def test_record_number_finds_its_record_first(imported) -> None:
    assert search(ITKIN)["hits"][0]["document"].identifier == ITKIN
    assert search(READ)["hits"][0]["document"].identifier == READ


def test_release_facets_count_exactly(imported) -> None:
    data = search("")
    public = public_documents()
    years = Counter(
        year
        for pk in public.values_list("pk", flat=True)
        for year in {r.year for r in m.Release.objects.filter(document_id=pk)
                     .values_list("released_on", flat=True)}
    )  # fmt: skip
    assert dict(data["facets"]["release_year"]["values"]) == {str(y): n for y, n in years.items()}
    prior = Counter(
        status
        for pk in public.values_list("pk", flat=True)
        for status in set(m.Release.objects.filter(document_id=pk).exclude(prior_status="")
                          .values_list("prior_status", flat=True))
    )  # fmt: skip
    assert dict(data["facets"]["prior_status"]["values"]) == dict(prior)
    redacted = search("", {"prior_status": ["Redact"], "release_year": ["2025"]})
    assert redacted["total"] == public.filter(
        releases__prior_status="Redact").filter(releases__released_on__year=2025).distinct().count()


def test_pages_of_unpublished_records_are_not_served(imported) -> None:
    document = m.Document.objects.get(identifier=READ)
    file = document.files.get()
    url = f"/documents/{READ}/files/{file.pk}/pages/1/image"
    assert Client().get(url).status_code == 200
    document.state = m.PublicationState.DRAFT
    document.save()
    assert Client().get(url).status_code == 404
    assert Client().get(f"/documents/{READ}/files/{file.pk}/pages/1.json").status_code == 404
    staff = Client()
    staff.force_login(User.objects.create_superuser("ed", "ed@example.org", "pw"))
    assert staff.get(url).status_code == 200


def test_a_scan_without_a_list_row_is_kept_as_a_draft(search_index) -> None:
    scan = NARA / "scans" / f"{ITKIN}.pdf"
    call_command("import", "nara-jfk", str(scan), no_progress=True)
    document = m.Document.objects.get(identifier=ITKIN)
    assert document.state == "draft" and document.files.get().sha256
    assert not public_documents().filter(pk=document.pk).exists()


def test_ocr_command_records_failures_and_retries_them(search_index, tmp_path) -> None:
    call_command("import", "nara-jfk", str(NARA / "scans" / f"{READ}.pdf"), no_progress=True)
    sha = scan_sha(READ)
    stored = path_for(sha)
    moved = tmp_path / "away.pdf"
    stored.rename(moved)  # a store that lost the file: every page fails, and says why
    with pytest.raises(CommandError, match="retry-failed") as failure:
        call_command("ocr", no_progress=True, jobs=1)
    assert failure.value.returncode == 1
    failed = Page.objects.filter(pdf_sha256=sha, text_state="failed")
    assert failed.count() == 2 and all(p.error for p in failed)
    call_command("ocr", no_progress=True, jobs=1)  # failed pages wait for --retry-failed
    assert Page.objects.filter(pdf_sha256=sha, text_state="failed").count() == 2

    moved.rename(stored)
    call_command("ocr", "--retry-failed", no_progress=True, jobs=2)
    assert set(Page.objects.filter(pdf_sha256=sha).values_list("text_state", flat=True)) == {
        "done"
    }


def test_markings_read_from_a_scan_are_suggested_to_editors_never_applied(search_index) -> None:
    form = "124-10180-10295"  # begins with a typed identification form
    call_command("import", "nara-jfk", str(LIST_2023), str(NARA / "scans" / f"{form}.pdf"),
                 no_progress=True)  # fmt: skip
    read_pages()
    document = m.Document.objects.get(identifier=form)
    assert document.classification_level == "not-recorded"  # the lists have no such column
    from readingroom.files.models import MarkingSuggestion

    suggestion = MarkingSuggestion.objects.get(pdf_sha256=scan_sha(form), page=1)
    assert suggestion.level == "secret" and "CLASSIFICATION" in suggestion.evidence.upper()
    assert suggestion.boxes  # where on the page image the words are
    staff = Client()
    staff.force_login(User.objects.create_superuser("cat", "cat@example.org", "pw"))
    html = staff.get(f"/admin/catalogue/document/{document.pk}/change/").content.decode()
    assert "read from the scan" in html.lower() and suggestion.evidence in html
