"""`readingroom import --dry-run --report FILE.json|FILE.csv`: per record, each field and
part that would change, from what to what and by which rule; nothing written. The
import after it writes the same report. On the real seed pages and release lists."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from readingroom.catalogue import models as m
from readingroom.ingest.tests.nara_fixtures import L2022, L2023
from readingroom.ingest.tests.test_editors_survive import (
    CHANGED,
    CORRECTED,
    FIRST,
    SENTENCE,
    change_seed,
    edit_in_admin,
    run_import,
    seeds,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.django_db
TITLE_WORD, NEW_WORD = "From the Journal of", "From the Diary of"


def state() -> list[tuple]:
    return sorted(
        (d.identifier, d.title, tuple(t.html for t in d.texts.order_by("pk")),
         tuple(d.releases.values_list("released_on", "list_name")))
        for d in m.Document.objects.prefetch_related("texts")
    )  # fmt: skip


def test_dry_run_report_lists_the_exact_changes_and_the_import_writes_the_same(
    seeds: Path,  # noqa: F811
    editor_client: Client,
    tmp_path: Path,
) -> None:
    run_import(seeds)
    edit_in_admin(editor_client, m.Document.objects.get(identifier=FIRST))
    change_seed(seeds, SENTENCE, CHANGED)
    change_seed(seeds, TITLE_WORD, NEW_WORD)
    before, conflicts = state(), m.Conflict.objects.count()

    messages = run_import(seeds, "--dry-run", "--report", str(tmp_path / "dry.json"))

    assert state() == before and m.Conflict.objects.count() == conflicts  # nothing kept
    assert "1 updated" in messages
    report = json.loads((tmp_path / "dry.json").read_text(encoding="utf-8"))
    assert report["summary"]["dry_run"] is True and report["summary"]["updated"] == 1
    (record,) = report["records"]  # the other seed did not change
    assert (record["identifier"], record["outcome"]) == (FIRST, "updated")
    by_what = {(c["what"], c["name"], c["key"]): c for c in record["changes"]}
    assert set(by_what) == {("part", "texts", "translation|en"), ("conflict", "title", "")}
    text = by_what[("part", "texts", "translation|en")]
    assert SENTENCE in text["from"]["html"] and CHANGED in text["to"]["html"]
    assert text["rule"].startswith("changed: pages b8f08a8b72a18c0b asserts it")
    conflict = by_what[("conflict", "title", "")]
    assert conflict["from"] == CORRECTED and NEW_WORD in conflict["to"]
    assert "an editor changed it" in conflict["rule"]

    run_import(seeds, "--dry-run", "--report", str(tmp_path / "dry.csv"))
    with (tmp_path / "dry.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["identifier"], r["what"], r["name"]) for r in rows] == [
        (FIRST, c["what"], c["name"]) for c in record["changes"]
    ]

    run_import(seeds, "--report", str(tmp_path / "real.json"))
    real = json.loads((tmp_path / "real.json").read_text(encoding="utf-8"))
    assert real["summary"]["dry_run"] is False
    assert real["records"] == report["records"]
    assert state() != before and m.Conflict.objects.count() == conflicts + 1


def test_a_newer_release_list_reported_before_it_is_imported(tmp_path: Path) -> None:
    err = io.StringIO()
    call_command("import", "nara-jfk", str(L2022), no_progress=True, stderr=err)
    before = m.Release.objects.count()
    out = tmp_path / "2023.json"
    call_command("import", "nara-jfk", str(L2023), "--dry-run", "--report", str(out),
                 no_progress=True, stderr=err)  # fmt: skip
    assert m.Release.objects.count() == before
    records = {r["identifier"]: r for r in json.loads(out.read_text("utf-8"))["records"]}
    itkin = records["104-10107-10135"]  # in both lists
    assert itkin["outcome"] == "updated"
    added = [c for c in itkin["changes"] if c["name"] == "releases"]
    assert [(c["to"]["released_on"], c["to"]["list_name"]) for c in added] == [
        ("2023-06-27", L2023.name)
    ]
    assert added[0]["rule"].startswith("added: union of every source's releases")
    # Every record of the 2023 list is in the 2022 list: each is updated, and a field
    # that changes takes the newer list's value (the precedence table's rule).
    assert {r["outcome"] for r in records.values()} == {"updated"}
    fields = [c for r in records.values() for c in r["changes"] if c["what"] == "field"]
    assert fields and all(L2023.name in c["rule"] for c in fields)
