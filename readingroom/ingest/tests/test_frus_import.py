"""FRUS volumes through `readingroom import frus`: every document, collections as
tables of contents, people across volumes, idempotent re-import, all-or-nothing volumes."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count
from django.test import Client
from reversion.models import Version

from readingroom.catalogue import models as m
from readingroom.conf import corpus

FRUS = corpus() / "frus"
COUNTS = {
    "frus1961-63v05": 390,
    "frus1961-63v06": 120,
    "frus1961-63v10-12mSupp": 746,
    "frus1961-63v12": 434,
    "frus1961-63v15": 256,
    "frus1961-63v22": 385,
}

pytestmark = pytest.mark.django_db


def run_import(*paths: Path) -> str:
    err = StringIO()
    call_command("import", "frus", *map(str, paths), no_progress=True, stderr=err)
    return err.getvalue()


def documents_in(volume: str) -> int:
    """Documents in a volume or any of its chapters."""
    return (
        m.Document.objects.filter(memberships__collection__identifier__startswith=volume)
        .filter(identifier__startswith=f"{volume}-d")
        .distinct()
        .count()
    )


def test_all_six_volumes(client: Client, search_index) -> None:
    summary = run_import(FRUS)
    assert "2331 created" in summary, summary
    search_index()  # a person's documents are listed by the search service
    assert m.Document.objects.count() == 2331
    for volume, count in COUNTS.items():
        assert documents_in(volume) == count, volume

    d196 = client.get("/documents/frus1961-63v05-d196.json").json()
    assert d196["document_type"]["label"] == "Telegram"
    roles = {(c["role"], c["name"]) for c in d196["contributors"]}
    assert ("sender", "Embassy in the Soviet Union") in roles
    assert ("recipient", "Department of State") in roles
    assert [(p["role"], p["name"]) for p in d196["places"]] == [("written-at", "Moscow")]
    assert (d196["date"]["start"], d196["date"]["time_start"]) == ("1962-05-18", "12:00:00")
    assert d196["classification"]["label"] == "Secret"
    assert "Limit Distribution" in d196["classification"]["caveats"]
    assert "Central Files, 101/5-1862" in d196["archival_references"][0]["as_written"]
    assert d196["collections"][0]["identifier"] == "frus1961-63v05"

    # The volume reads as its table of contents, in order, with its chapters.
    toc = client.get("/collections/frus1961-63v12.json").json()
    assert toc["published"] and toc["editors"] and toc["children"]
    first_chapter = toc["children"][0]
    numbers = [int(d["identifier"].rsplit("-d", 1)[1]) for d in first_chapter["documents"]]
    assert numbers == sorted(numbers) and numbers[0] == 1
    assert [d["number"] for d in first_chapter["documents"]] == [str(n) for n in numbers]
    assert client.get("/collections/frus1961-63v12/").status_code == 200
    assert toc["ancestors"][0]["identifier"] == "frus"

    # One person, several volumes: the person page lists documents from each, and
    # keeps each volume's own identification line.
    across = (
        m.Agent.objects.annotate(volumes=Count("identifications", distinct=True))
        .filter(volumes__gte=3)
        .order_by("-volumes")
        .first()
    )
    assert across is not None
    page = client.get(f"/agents/{across.pk}.json").json()
    assert len(page["identifications"]) >= 3
    assert len({d["identifier"].rsplit("-d", 1)[0] for d in page["documents"]}) >= 2
    assert client.get(f"/agents/{across.pk}/").status_code == 200

    # Re-import: nothing rewritten.
    versions = Version.objects.count()
    again = run_import(FRUS)
    assert "0 created, 0 updated, 2331 unchanged" in again, again
    assert Version.objects.count() == versions


def test_changed_document_is_updated_and_versioned(tmp_path: Path) -> None:
    copy = tmp_path / "frus1961-63v06.xml"
    shutil.copy(FRUS / "frus1961-63v06.xml", copy)
    run_import(copy)
    text = copy.read_text(encoding="utf-8")
    anchor = '<div type="document" xml:id="d10" n="10">'
    assert anchor in text
    start = text.index("<p>", text.index(anchor))
    copy.write_text(text[: start + 3] + "CORRECTED. " + text[start + 3 :], encoding="utf-8")
    summary = run_import(copy)
    assert "0 created, 1 updated, 119 unchanged" in summary, summary
    document = m.Document.objects.get(identifier="frus1961-63v06-d10")
    assert "CORRECTED." in document.texts.first().html
    assert Version.objects.get_for_object(document).count() == 2


def test_a_broken_volume_imports_nothing_and_the_others_do(tmp_path: Path) -> None:
    good = tmp_path / "frus1961-63v06.xml"
    shutil.copy(FRUS / "frus1961-63v06.xml", good)
    # Named to come first: the good volume is parsed while the broken one is loaded,
    # and must arrive whole after the broken one's stream stopped.
    broken = tmp_path / "a-frus1961-63v15.xml"
    data = (FRUS / "frus1961-63v15.xml").read_bytes()
    broken.write_bytes(data[: len(data) * 2 // 3])  # truncated in the middle of the body
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import", "frus", str(tmp_path), no_progress=True, stderr=err)
    message = err.getvalue()
    assert "frus1961-63v15.xml" in message and "line" in message, message
    assert not m.Document.objects.filter(identifier__startswith="frus1961-63v15").exists()
    assert not m.Collection.objects.filter(identifier__startswith="frus1961-63v15").exists()
    assert m.Document.objects.filter(identifier__startswith="frus1961-63v06").count() == 120


def test_supplement_entry_as_a_reader_gets_it(client: Client) -> None:
    """Issue 19, reproduction 3: a microfiche entry keeps its description, classification,
    page count and reference; its frames and PDF size are a note on a file not held."""
    run_import(FRUS / "frus1961-63v10-12mSupp.xml")
    d433 = client.get("/documents/frus1961-63v10-12mSupp-d433.json").json()
    assert d433["title"] == "Memorandum from Kitchen to Nitze, October 27"
    assert d433["summary"].startswith("Transmits memorandum from Raymond Garthoff on Khrushchev")
    assert d433["classification"]["level"] == "secret"
    assert d433["extent_pages"] == 3
    [reference] = d433["archival_references"]
    assert reference["as_written"].startswith("WNRC, RG 330, OASD(C) A Files")
    assert d433["identifiers"] == [{"scheme": "FRUS document number", "value": "433"}]
    [pdf] = d433["files"]
    assert pdf["held"] is False and pdf["url"] is None
    assert pdf["note"].startswith("Microfiche 0022, frames 0092–0094.")
    page = client.get("/documents/frus1961-63v10-12mSupp-d433/").content.decode()
    assert "Microfiche 0022, frames 0092–0094." in page and "Turkey–Cuba tradeoff" in page
    schemes = set(m.DocumentIdentifier.objects.values_list("scheme", flat=True))
    assert schemes == {"FRUS document number"}  # no "Pages", "PDF bytes" or frames
    supplement = m.Document.objects.filter(identifier__startswith="frus1961-63v10-12mSupp")
    assert supplement.exclude(summary="").count() == 741
    assert supplement.filter(extent_pages__isnull=False).count() == 734
