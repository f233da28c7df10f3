"""Releases and scans through the one loader: a release history as rows, scans stored by
content with their pages, re-imports idempotent, a bad record failing alone."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from reversion.models import Version

from readingroom.catalogue import models as m
from readingroom.conf import corpus
from readingroom.files.models import Page
from readingroom.files.storage import path_for, sha256_of
from readingroom.ingest.records import (
    CollectionRecord,
    DateRecord,
    DocumentRecord,
    FileRecord,
    RecordSet,
    ReleaseRecord,
    SourceRecord,
)
from readingroom.ingest.set_loader import SetLoader

pytestmark = pytest.mark.django_db
SCAN = corpus() / "nara-jfk" / "scans" / "104-10107-10135.pdf"


def record(number: str = "104-10107-10135", **changes) -> DocumentRecord:
    values = dict(
        identifier=number,
        source=SourceRecord("nara-jfk", "jfk2022.xlsx", number),
        title="CABLE RE OSWALD",
        date=DateRecord("month", "08/00/1963", date(1963, 8, 1), date(1963, 8, 31)),
        document_type="PAPER - TEXTUAL DOCUMENT",
        physical_form="PAPER - TEXTUAL DOCUMENT",
        extent_pages=5,
        releases=[
            ReleaseRecord(date(2022, 12, 15), "jfk2022.xlsx", "2022/104-10107-10135.pdf",
                          "Redact", date(2022, 11, 18), 5, [12]),
            ReleaseRecord(date(2025, 3, 18), "NARA release 2025-03-18 (scans)",
                          "104-10107-10135.pdf", "", None, 5),
        ],
        files=[FileRecord(name=f"{number}.pdf", path=str(SCAN), sha256=sha256_of(SCAN), pages=5)],
        collections=["jfk"],
    )  # fmt: skip
    values.update(changes)
    return DocumentRecord(**values)


def load(*records: DocumentRecord):
    loader = SetLoader()
    loader.load(RecordSet(collections=[CollectionRecord("jfk", "JFK", "series")],
                          documents=list(records)))  # fmt: skip
    return loader.report


def test_releases_files_and_pages() -> None:
    report = load(record())
    assert report.counts["created"] == 1 and not report.errors
    d = m.Document.objects.get(identifier="104-10107-10135")
    releases = list(d.releases.values_list("released_on", "prior_status", "pages_released"))
    assert releases == [(date(2022, 12, 15), "Redact", 5), (date(2025, 3, 18), "", 5)]
    assert d.extent_pages == 5
    assert d.physical_form.slug == "textual" and d.document_type is None
    f = d.files.get()
    assert f.sha256 == sha256_of(SCAN) and path_for(f.sha256).read_bytes() == SCAN.read_bytes()
    pages = Page.objects.filter(pdf_sha256=f.sha256)
    assert list(pages.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert not pages.filter(has_text_layer=True).exists()  # image-only, as published
    assert set(pages.values_list("text_state", flat=True)) == {"pending"}


def test_reimport_is_idempotent_and_a_change_keeps_the_old_version() -> None:
    load(record())
    versions, pages = Version.objects.count(), Page.objects.count()
    assert load(record()).counts["unchanged"] == 1
    assert (Version.objects.count(), Page.objects.count()) == (versions, pages)

    changed = record()
    changed.releases = [*changed.releases[:1],
                        ReleaseRecord(date(2023, 6, 27), "2023.xlsx", "x.pdf", "Redact"),
                        *changed.releases[1:]]  # fmt: skip
    assert load(changed).counts["updated"] == 1
    d = m.Document.objects.get(identifier="104-10107-10135")
    assert d.releases.count() == 3
    assert Page.objects.count() == pages  # the same scan is never paged twice
    history = Version.objects.get_for_object(d)
    assert history.count() == 2
    old = history.last().revision.version_set.filter(content_type__model="release")
    assert old.count() == 2  # the previous version still lists its two releases


def test_a_bad_record_fails_alone_in_its_batch() -> None:
    good = [record(f"104-10000-{n:05d}", files=[], releases=[]) for n in range(3)]
    bad = record("104-10000-99999", files=[],
                 date=DateRecord("day", "x", date(1963, 2, 1), date(1963, 1, 1)))  # fmt: skip
    report = load(good[0], bad, *good[1:])
    assert report.counts["created"] == 3 and report.counts["failed"] == 1
    assert "104-10000-99999" in report.errors[0] and "date" in report.errors[0]
    assert m.Document.objects.filter(identifier__startswith="104-10000-").count() == 3


def test_a_scan_changed_after_parsing_is_refused(tmp_path) -> None:
    copy = tmp_path / "scan.pdf"
    copy.write_bytes(SCAN.read_bytes())
    r = record(files=[dataclasses.replace(record().files[0], path=str(copy))])
    copy.write_bytes(SCAN.read_bytes() + b"\n% appended")
    report = load(r)
    assert report.counts["failed"] == 1 and "checksum" in report.errors[0]
    assert not m.Document.objects.filter(identifier="104-10107-10135").exists()


def test_import_command_reports_a_bad_scan_and_imports_the_rest(tmp_path) -> None:
    from django.core.management import CommandError, call_command

    broken = tmp_path / "104-10107-10135.pdf"
    broken.write_bytes(SCAN.read_bytes()[:5000])  # a download cut short
    releases = corpus() / "nara-jfk" / "releases"
    with pytest.raises(CommandError) as failure:
        call_command("import", "nara-jfk", str(releases / "jfk2021.xlsx"), str(broken),
                     no_progress=True)  # fmt: skip
    assert failure.value.returncode == 1
    assert m.Document.objects.filter(sources__importer="nara-jfk").count() == 1491
    assert not m.File.objects.exists() and not Page.objects.exists()  # the bad scan: not stored
