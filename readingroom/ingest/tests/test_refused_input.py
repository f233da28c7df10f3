"""Issue 19, reproduction 4 (FRUS, captured pages, field lengths): every importer first
checks that a file is what it claims, refuses a value longer than its field with a
message naming file, record and field, exits non-zero, and leaves nothing behind when
nothing imported. Altered copies of the real corpus files, written to tmp_path."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from readingroom.catalogue import models as m
from readingroom.conf import corpus
from readingroom.conftest import SEED_000, SEED_003, subprocess_env
from readingroom.ingest.tests.nara_fixtures import L2023, sample, write_xlsx

pytestmark = pytest.mark.django_db(transaction=True)
V06 = corpus() / "frus" / "frus1961-63v06.xml"
LONG = 32_767  # a whole spreadsheet cell


def import_failing(source: str, *paths: Path) -> str:
    """Run the import in process; it must fail with exit status 1. Returns stderr."""
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", source, *map(str, paths), no_progress=True, stderr=err)
    assert caught.value.returncode == 1
    return err.getvalue()


LEFT = (m.Document, m.Collection, m.Agent, m.AgentIdentification, m.Subject, m.Place,
        m.Funder, m.Repository, m.OutboxEntry)  # fmt: skip


def rows() -> dict[str, int]:
    """How many rows an import could have left (vocabularies and organizations are
    there from `migrate`)."""
    return {model.__name__: model.objects.count() for model in LEFT}


@pytest.fixture
def nothing_left():
    """Call it after a failed import: every table as it was before."""
    before = rows()
    return lambda: rows() == before


def v06_text() -> str:
    return V06.read_text(encoding="utf-8")


# -- FRUS: what a file is ---------------------------------------------------------------


def test_a_non_tei_xml_file_is_refused_as_a_process_exits(tmp_path: Path, nothing_left) -> None:
    """`import frus` on XML that is not TEI created a public, untitled collection."""
    text = v06_text()
    other = tmp_path / "catalog.xml"  # the same XML under another root and namespace
    other.write_text(
        text.replace('<TEI xmlns="http://www.tei-c.org/ns/1.0"', '<catalog xmlns="urn:x-books"', 1)
        .replace("</TEI>", "</catalog>"),
        encoding="utf-8",
    )  # fmt: skip
    bare = tmp_path / "no-namespace.xml"  # TEI's element names without its namespace
    bare.write_text(text.replace(' xmlns="http://www.tei-c.org/ns/1.0"', "", 1), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "readingroom", "import", "frus", str(tmp_path), "--no-progress"],
        env=subprocess_env(), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    for path, root in (
        (other, "<catalog> in namespace urn:x-books"),
        (bare, "<TEI> in no namespace"),
    ):
        line = next(x for x in result.stderr.splitlines() if str(path) in x)
        assert f"not a TEI file: its root element is {root}" in line, line
    assert "2 volume(s) failed" in result.stderr
    assert nothing_left()


def test_unreadable_or_empty_volumes_leave_nothing(tmp_path: Path, nothing_left) -> None:
    text = v06_text()
    (tmp_path / "empty.xml").write_bytes(b"")
    (tmp_path / "binary.xml").write_bytes(V06.read_bytes()[:4096][::-1])
    body = text.index("<body>") + len("<body>")
    (tmp_path / "no-documents.xml").write_text(  # a whole header, a body of nothing
        text[:body] + "</body></text></TEI>", encoding="utf-8"
    )
    untitled = text.replace(text[text.index("<titleStmt>") : text.index("</titleStmt>")],
                            "<titleStmt>", 1)  # fmt: skip
    (tmp_path / "untitled.xml").write_text(untitled, encoding="utf-8")
    err = import_failing("frus", *sorted(tmp_path.iterdir()))
    assert "4 volume(s) failed" in err, err
    assert f"{tmp_path / 'empty.xml'}: file: the file is empty" in err
    assert f"{tmp_path / 'binary.xml'}: xml: line 1" in err
    assert f'{tmp_path / "no-documents.xml"}: body: no document (<div type="document">)' in err
    assert f"{tmp_path / 'untitled.xml'}: title: the TEI header gives the volume no title" in err
    assert nothing_left()


# -- captured pages: the blocks that make a page ----------------------------------------


def test_a_seed_page_cut_at_300_bytes_is_refused(tmp_path: Path, nothing_left) -> None:
    cut = tmp_path / SEED_000.name
    cut.write_bytes(SEED_000.read_bytes()[:300])
    err = import_failing("pages", cut)
    assert f"{cut}: source: neither a citation nor a Document Information block" in err
    assert "5 April 1" not in err or "0 created" in err
    assert nothing_left()
    # The whole capture next to it still imports.
    shutil.copy(SEED_003, tmp_path)
    err = import_failing("pages", tmp_path)
    assert "1 created" in err and "1 failed" in err
    assert list(m.Document.objects.values_list("identifier", flat=True)) == [
        "page-72ecfa0892306d99"
    ]


# -- field lengths, every importer ------------------------------------------------------


def test_a_title_longer_than_its_field_is_refused_by_every_importer(tmp_path: Path) -> None:
    title = "A" * LONG
    # Captured pages: the title comes from the citation.
    page = tmp_path / "pages" / SEED_003.name
    page.parent.mkdir()
    text = SEED_003.read_text(encoding="utf-8")
    printed = "Soviet Report on Havana's Plan to Train Latin American Partisans"
    page.write_text(text.replace(printed, title), encoding="utf-8")
    err = import_failing("pages", page)
    assert f"{page}: page-72ecfa0892306d99: title: Ensure this value has at most 1000 " \
           f"characters (it has {LONG})." in err  # fmt: skip
    # FRUS: a document's head; the volume is all or nothing.
    volume = tmp_path / "frus1961-63v06.xml"
    text = v06_text()
    head = text.index("Telegram From President", text.index('xml:id="d5"'))
    volume.write_text(text[:head] + title + text[head:], encoding="utf-8")
    err = import_failing("frus", volume)
    line = next(x for x in err.splitlines() if str(volume) in x)
    assert line.startswith(f"error: {volume}: frus1961-63v06-d5: "), line
    # The type is read from the title's first words, so it is too long as well.
    assert re.search(r"; title: Ensure this value has at most 1000 characters \(it has 3\d+", line)
    assert "(volume frus1961-63v06 not imported" in err
    assert not m.Document.objects.filter(identifier__startswith="frus").exists()
    assert not m.Collection.objects.exists()
    # NARA release lists: that record alone.
    rows = sample(L2023, rows=10)
    rows[3][rows[0].index("Title")] = title
    listed = write_xlsx(tmp_path / "list.xlsx", rows)
    number = rows[3][rows[0].index("Record Num")]
    err = import_failing("nara-jfk", listed)
    assert f"{listed}: {number}: title: Ensure this value has at most 1000" in err, err
    assert "9 created" in err and "1 failed" in err
    assert not m.Document.objects.filter(identifier=number).exists()


def test_names_longer_than_their_rows_are_refused_naming_the_record(
    tmp_path: Path, nothing_left
) -> None:
    """An agent's name is written to a row of its own before the document: checked
    first, so PostgreSQL never fails a whole batch and SQLite never stores it."""
    name = "B" * 400
    page = tmp_path / SEED_000.name
    page.write_text(SEED_000.read_text(encoding="utf-8").replace("Gary Goldberg", name), "utf-8")
    err = import_failing("pages", page)
    assert f"{page}: page-b8f08a8b72a18c0b: agent name: Ensure this value has at most " \
           "300 characters (it has 400)." in err  # fmt: skip
    assert not m.Agent.objects.filter(name=name).exists()
    assert nothing_left()


def test_an_unreadable_release_list_leaves_no_empty_collection(
    tmp_path: Path, nothing_left
) -> None:
    """The release set's collections are written before its records: when none of its
    records imported, the collections it created are removed again."""
    broken = tmp_path / "jfk2021.xlsx"
    broken.write_bytes(L2023.read_bytes()[:5000])  # a spreadsheet cut short
    err = import_failing("nara-jfk", broken)
    assert f"{broken}: cannot read as a spreadsheet" in err
    assert nothing_left()
