"""Issue 20's reproduction, run as a new user runs it: import the two seed pages; as an
editor (in the admin) add a Russian original text to the first and correct its title;
change one sentence of that seed file and import it again. The source updates what it
asserts (its English text), and the editor's title and Russian text stay."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils.html import escape
from reversion.models import Version

from readingroom.catalogue import models as m
from readingroom.catalogue.tests.test_admin_versions import admin_form_data
from readingroom.conftest import SEED_000, SEED_003

pytestmark = pytest.mark.django_db
FIRST = "page-b8f08a8b72a18c0b"
SENTENCE = "I had a conversation with Raul Castro during a reception"
CHANGED = "I spoke with Raul Castro at a reception"
CORRECTED = "Record of a Conversation with Raúl Castro Ruz, 25 February 1963 (corrected)"
RUSSIAN = "<p>Я беседовал с Раулем Кастро на приёме.</p>"


def run_import(folder: Path, *options: str) -> str:
    err = io.StringIO()
    call_command("import", "pages", str(folder), *options, no_progress=True, stderr=err)
    return err.getvalue()


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for seed in (SEED_000, SEED_003):
        shutil.copy(seed, folder / seed.name)
    return folder


def edit_in_admin(client: Client, document: m.Document) -> None:
    """Correct the title and add a Russian original text, through the change form."""
    data = admin_form_data(client, document)
    data["title"] = CORRECTED
    n = int(data["texts-TOTAL_FORMS"])
    russian = m.Language.objects.get(code="ru")
    data.update({"texts-TOTAL_FORMS": str(n + 1), f"texts-{n}-kind": "original",
                 f"texts-{n}-format": "html", f"texts-{n}-html": RUSSIAN,
                 f"texts-{n}-position": str(n), f"texts-{n}-language": str(russian.pk),
                 f"texts-{n}-document": str(document.pk)})  # fmt: skip
    response = client.post(f"/admin/catalogue/document/{document.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]


def change_seed(folder: Path, old: str, new: str) -> None:
    path = folder / SEED_000.name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def texts(identifier: str) -> dict[tuple[str, str], str]:
    d = m.Document.objects.get(identifier=identifier)
    return {(t.kind, t.language.code): t.html for t in d.texts.select_related("language")}


def test_the_editors_title_and_translation_survive_a_changed_reimport(
    seeds: Path, editor_client: Client
) -> None:
    assert "2 created" in run_import(seeds)
    document = m.Document.objects.get(identifier=FIRST)
    edit_in_admin(editor_client, document)
    edits = m.DocumentEdits.objects.get(document=document)
    assert set(edits.fields) == {"title"} and set(edits.parts["texts"]) == {"original|ru"}

    change_seed(seeds, SENTENCE, CHANGED)
    messages = run_import(seeds)

    assert "1 updated" in messages and "1 unchanged" in messages
    document.refresh_from_db()
    assert document.title == CORRECTED
    found = texts(FIRST)
    assert found[("original", "ru")] == RUSSIAN
    assert CHANGED in found[("translation", "en")] and SENTENCE not in found[("translation", "en")]
    assert not m.Conflict.objects.exists()  # the source did not change the title
    # Public at once, and the import's change is a version like any other.
    page = Client().get(f"/documents/{FIRST}/").content.decode()
    assert CORRECTED in page and CHANGED in page
    latest = Version.objects.get_for_object(document).first()
    assert latest.field_dict["title"] == CORRECTED
    # Imported again unchanged: nothing happens.
    assert "2 unchanged" in run_import(seeds)


def test_a_source_changing_an_edited_title_waits_in_the_queue_and_can_be_accepted(
    seeds: Path, editor_client: Client
) -> None:
    run_import(seeds)
    document = m.Document.objects.get(identifier=FIRST)
    imported_title = document.title
    edit_in_admin(editor_client, document)
    change_seed(seeds, "From the Journal of A.I. Alekseyev", "From the Diary of A.I. Alekseyev")

    messages = run_import(seeds)

    document.refresh_from_db()
    assert document.title == CORRECTED  # the editor's value stays
    conflict = m.Conflict.objects.get(document=document)
    new_title = imported_title.replace("Journal", "Diary")
    assert (conflict.name, conflict.editor_value, conflict.source_value) == (
        "title", CORRECTED, new_title)  # fmt: skip
    assert "conflicts raised" in messages
    # Imported again: the same conflict, not a second one.
    run_import(seeds)
    assert m.Conflict.objects.filter(document=document).count() == 1

    queue = editor_client.get("/admin/catalogue/conflict/")
    assert queue.status_code == 200
    page = queue.content.decode()
    assert escape(new_title) in page and escape(CORRECTED) in page
    versions_before = Version.objects.get_for_object(document).count()
    response = editor_client.post("/admin/catalogue/conflict/",
                                  {"action": "accept_conflicts", "_selected_action": [conflict.pk],
                                   "index": 0})  # fmt: skip
    assert response.status_code == 302

    document.refresh_from_db()
    conflict.refresh_from_db()
    assert document.title == new_title
    assert conflict.status == m.ConflictStatus.ACCEPTED and conflict.decided_by is not None
    assert Version.objects.get_for_object(document).count() == versions_before + 1
    assert "title" not in m.DocumentEdits.objects.get(document=document).fields
    assert russian_still_there()
    # The title is the source's again: its next change is applied, no conflict.
    change_seed(seeds, "From the Diary of A.I. Alekseyev", "From the Notes of A.I. Alekseyev")
    run_import(seeds)
    document.refresh_from_db()
    assert document.title == imported_title.replace("Journal", "Notes")
    assert m.Conflict.objects.filter(status=m.ConflictStatus.OPEN).count() == 0


def russian_still_there() -> bool:
    return texts(FIRST).get(("original", "ru")) == RUSSIAN


def test_a_dismissed_conflict_keeps_the_editors_value(seeds: Path, editor_client: Client) -> None:
    run_import(seeds)
    document = m.Document.objects.get(identifier=FIRST)
    edit_in_admin(editor_client, document)
    change_seed(seeds, "From the Journal of A.I. Alekseyev", "From the Diary of A.I. Alekseyev")
    run_import(seeds)
    conflict = m.Conflict.objects.get(document=document)
    versions_before = Version.objects.get_for_object(document).count()
    response = editor_client.post("/admin/catalogue/conflict/",
                                  {"action": "dismiss_conflicts",
                                   "_selected_action": [conflict.pk], "index": 0})  # fmt: skip
    assert response.status_code == 302
    conflict.refresh_from_db()
    document.refresh_from_db()
    assert conflict.status == m.ConflictStatus.DISMISSED and document.title == CORRECTED
    assert Version.objects.get_for_object(document).count() == versions_before + 1
    run_import(seeds)  # the same source value again: no new conflict
    assert m.Conflict.objects.filter(status=m.ConflictStatus.OPEN).count() == 0


def test_provenance_beside_each_field_in_the_admin_and_in_the_staff_json(
    seeds: Path, editor_client: Client
) -> None:
    run_import(seeds)
    document = m.Document.objects.get(identifier=FIRST)
    edit_in_admin(editor_client, document)

    form = editor_client.get(f"/admin/catalogue/document/{document.pk}/change/").content.decode()
    assert "Provenance: changed by editor at " in form  # the title
    assert "Provenance: from pages b8f08a8b72a18c0b." in form  # the summary, the date...
    staff = editor_client.get(f"/documents/{FIRST}.json").json()["provenance"]
    assert staff["fields"]["title"]["editor"]["by"] == "editor"
    assert staff["fields"]["summary"] == {"sources": ["pages b8f08a8b72a18c0b"]}
    assert staff["parts"]["texts"]["original|ru"]["editor"]["op"] == "added"
    assert staff["parts"]["texts"]["translation|en"] == {"sources": ["pages b8f08a8b72a18c0b"]}
    public = Client().get(f"/documents/{FIRST}.json")
    assert public.status_code == 200 and "provenance" not in public.json()
