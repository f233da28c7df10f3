"""Issue 19, reproductions 1, 2 and 4 (the NARA part), run as a user runs them: the
import command on the real release lists and scans of the shared corpus."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Version

from readingroom.catalogue import models as m
from readingroom.files.models import Page
from readingroom.ingest.tests.nara_fixtures import L2021, L2022, L2023, RELEASES, SCANS, sample
from readingroom.ingest.tests.nara_fixtures import write_xlsx as write_list

pytestmark = pytest.mark.django_db
DAMAGE_REPORT = "104-10121-10174"  # in the 2022 and 2023 lists, scanned in 2025


def run_import(*paths: Path) -> str:
    """`readingroom import nara-jfk PATHS`; its messages (stderr)."""
    err = io.StringIO()
    call_command("import", "nara-jfk", *map(str, paths), no_progress=True, stderr=err)
    return err.getvalue()


def state(identifier: str) -> dict:
    d = m.Document.objects.get(identifier=identifier)
    return {
        "title": d.title,
        "date": (d.date_precision, d.date_start, d.date_as_written),
        "state": d.state,
        "agents": list(d.agent_links.values_list("role", "agent__name", "name_as_written")),
        "series": list(d.archival_references.values_list("series", "file", "as_written")),
        "identifiers": list(d.identifiers.values_list("scheme", "value")),
        "collections": list(d.memberships.values_list("collection__identifier", flat=True)),
        "document_type": (d.document_type_id, d.physical_form_id, d.extent_pages),
    }


# --- reproduction 1: a partial source never clobbers a full record ------------------------


def test_a_scan_alone_adds_its_file_and_release_and_changes_nothing_else(tmp_path) -> None:
    run_import(L2022, L2023)
    before = state(DAMAGE_REPORT)
    assert before["title"] == "DAMAGE REPORT." and before["state"] == "published"
    releases = list(
        m.Release.objects.filter(document__identifier=DAMAGE_REPORT).values_list(
            "released_on", "list_name", "prior_status"
        )
    )
    assert [r[0] for r in releases] == [date(2022, 12, 15), date(2023, 6, 27)]
    folder = tmp_path / "scan-only"
    folder.mkdir()
    shutil.copy(SCANS / f"{DAMAGE_REPORT}.pdf", folder)

    messages = run_import(folder)

    assert "1 updated" in messages and "0 created" in messages
    assert "merged: files added: 1 document(s)" in messages
    assert state(DAMAGE_REPORT) == before  # title, date, originator, series... as they were
    d = m.Document.objects.get(identifier=DAMAGE_REPORT)
    after = list(d.releases.values_list("released_on", "list_name", "prior_status"))
    assert after[:2] == releases and after[2][0] == date(2025, 3, 18)
    (f,) = d.files.all()
    assert f.name == f"{DAMAGE_REPORT}.pdf" and f.sha256
    assert Page.objects.filter(pdf_sha256=f.sha256).count() > 0  # paged for OCR
    # The change is a version, the state before it kept.
    assert Version.objects.get_for_object(d).count() == 2
    # Idempotent: the same folder again changes nothing.
    again = run_import(folder)
    assert "1 unchanged" in again and Version.objects.get_for_object(d).count() == 2
    # And the lists again leave the scan where it is.
    assert "unchanged" in run_import(L2022, L2023)
    assert d.files.count() == 1 and d.releases.count() == 3


def test_a_scan_of_an_unknown_record_stays_an_unpublished_placeholder(tmp_path) -> None:
    run_import(L2021)
    scan = tmp_path / "999-99999-99999.pdf"
    shutil.copy(SCANS / f"{DAMAGE_REPORT}.pdf", scan)
    messages = run_import(scan)
    assert "1 created" in messages
    assert f"{scan}: 999-99999-99999: in no release list read: imported as an unpublished" in (
        messages
    )
    d = m.Document.objects.get(identifier="999-99999-99999")
    assert d.state == "draft" and d.title.startswith("[Uncatalogued scan")
    assert d.files.count() == 1 and d.releases.count() == 1


# --- reproduction 2: folders read through symbolic links, each real file once ------------


def test_a_folder_of_links_is_read_whole_each_file_once_and_counted(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "releases").symlink_to(RELEASES, target_is_directory=True)
    (corpus / "scans").symlink_to(SCANS, target_is_directory=True)
    (corpus / "same-lists").symlink_to(RELEASES, target_is_directory=True)  # twice: read once
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)  # no endless walk
    (corpus / "2021.xlsx").symlink_to(L2021)  # a linked file already met in a folder

    messages = run_import(corpus)

    assert "48 file(s)" in messages  # 3 lists and 45 scans
    assert "14666 created" in messages and "0 failed" in messages
    assert "is in no mapping table" not in messages  # every type spelling of the lists maps
    assert not m.Document.objects.filter(state="draft").exists()  # no scan uncatalogued
    assert m.File.objects.filter(document__state="published").count() == 45
    rows = [r for value in m.Release.objects.values_list("rows", flat=True) if value
            for r in value.split(", ")]  # fmt: skip
    assert len(rows) == 17447  # every row of the three lists, each read once


def test_the_summary_counts_the_files_of_every_importer(tmp_path) -> None:
    from readingroom.conftest import SEEDS

    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "seeds").symlink_to(SEEDS, target_is_directory=True)
    err = io.StringIO()
    call_command("import", "pages", str(folder), no_progress=True, stderr=err)
    assert "2 file(s)" in err.getvalue() and "2 created" in err.getvalue()


# --- reproduction 4: a release list is checked first ------------------------------------


def test_a_list_without_its_date_column_is_refused_and_nothing_is_written(tmp_path) -> None:
    rows = sample(L2022, rows=40)
    cut = rows[0].index("Doc Date")
    broken = write_list(tmp_path / "jfk2022-no-dates.xlsx", [r[:cut] + r[cut + 1 :] for r in rows])
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import", "nara-jfk", str(broken), str(L2021), str(SCANS),
                     no_progress=True, stderr=err)  # fmt: skip
    assert failure.value.returncode == 1
    assert f"error: {broken}: missing needed column Document Date / Doc Date" in err.getvalue()
    assert "nothing was imported" in err.getvalue()
    assert not m.Document.objects.exists() and not m.Collection.objects.exists()
    assert not m.File.objects.exists() and not Page.objects.exists()


# --- type spellings: every one maps, an unknown one is reported once with its count ------


def test_an_unknown_type_spelling_is_reported_once_with_its_record_count(tmp_path) -> None:
    rows = sample(L2022, rows=40)
    column = rows[0].index("Doc Type")
    for row in rows[1:4]:
        row[column] = "PARCHMENT SCROLL"
    rows[4][column] = "UNKNOWN DOCUMENT TYPE"  # NARA's own "says nothing": known
    path = write_list(tmp_path / "odd-types.xlsx", rows)
    messages = run_import(path)
    assert messages.count("PARCHMENT SCROLL") == 1
    assert (
        "warning: document type or physical form 'PARCHMENT SCROLL' is in no mapping table:"
        " 3 record(s), kept as written"
    ) in messages
    assert "UNKNOWN DOCUMENT TYPE" not in messages
    kept = m.Document.objects.filter(document_type_as_written="PARCHMENT SCROLL")
    assert kept.count() == 3 and not kept.exclude(document_type=None).exists()
