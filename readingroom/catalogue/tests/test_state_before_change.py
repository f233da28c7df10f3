"""An import writes no version; the first change of any kind to an imported document
keeps its state as imported, dated at the import, so nothing a change replaces is lost
and the history reads as if the version had been written by the import."""

from __future__ import annotations

from datetime import date

import pytest
from reversion.models import Version

from readingroom.catalogue import models as m
from readingroom.catalogue.tests.test_admin_versions import admin_form_data
from readingroom.ingest.tests.test_release_loading import load, record

pytestmark = pytest.mark.django_db
NUMBER = "104-10107-10135"


@pytest.fixture
def imported() -> m.Document:
    assert load(record(NUMBER)).counts["created"] == 1
    document = m.Document.objects.get(identifier=NUMBER)
    assert not Version.objects.get_for_object(document).exists()
    return document


def imported_version(document: m.Document) -> Version:
    """The document's oldest version, checked to be its imported state."""
    oldest = Version.objects.get_for_object_reference(m.Document, document.pk).last()
    source = m.DocumentSource.objects.get(document_id=document.pk)
    assert oldest.revision.date_created == source.imported_at
    assert oldest.revision.comment == f"Imported by nara-jfk from {source.file}"
    assert oldest.revision.user is None
    return oldest


def parts_in(version: Version) -> dict[str, int]:
    models = version.revision.version_set.values_list("content_type__model", flat=True)
    return {model: list(models).count(model) for model in set(models)}


def test_an_editors_first_save_keeps_the_imported_state_then_its_own(
    imported, editor_client
) -> None:
    history = editor_client.get(f"/admin/catalogue/document/{imported.pk}/history/")
    history = history.content.decode()
    assert "Imported by nara-jfk" in history and "jfk2022.xlsx" in history

    data = admin_form_data(editor_client, imported)
    data["title"] = "CABLE RE OSWALD (corrected)"
    response = editor_client.post(f"/admin/catalogue/document/{imported.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]

    newest, oldest = Version.objects.get_for_object(imported)
    assert imported_version(imported) == oldest
    assert oldest.field_dict["title"] == "CABLE RE OSWALD"
    assert newest.field_dict["title"] == "CABLE RE OSWALD (corrected)"
    assert newest.revision.user.username == "editor"
    # The whole document as imported: both releases, its file, source, collection.
    assert parts_in(oldest) == {"document": 1, "release": 2, "file": 1, "documentsource": 1,
                                "collectionmember": 1}  # fmt: skip

    # A second change keeps no second imported state, only its own version.
    data = admin_form_data(editor_client, imported)
    data["title"] = "CABLE RE OSWALD (corrected twice)"
    editor_client.post(f"/admin/catalogue/document/{imported.pk}/change/", data)
    assert Version.objects.get_for_object(imported).count() == 3

    # And reverting to the imported state brings it back, parts and all.
    oldest.revision.revert(delete=True)
    restored = m.Document.objects.get(pk=imported.pk)
    assert restored.title == "CABLE RE OSWALD"
    assert restored.releases.count() == 2


def test_publishing_from_the_document_list_keeps_the_imported_state(
    imported, editor_client
) -> None:
    response = editor_client.post("/admin/catalogue/document/", {
        "action": "make_draft", "_selected_action": [imported.pk]})  # fmt: skip
    assert response.status_code == 302
    newest, oldest = Version.objects.get_for_object(imported)
    assert imported_version(imported) == oldest
    assert oldest.field_dict["state"] == "published" and newest.field_dict["state"] == "draft"


def test_a_part_added_changed_or_removed_keeps_the_state_before_it(imported) -> None:
    caveat = m.Caveat.objects.create(document=imported, text="Personal data on page 3")
    oldest = imported_version(imported)
    assert "caveat" not in parts_in(oldest)  # the state before the caveat
    caveat.text = "Personal data on pages 3 and 4"
    caveat.save()
    caveat.delete()
    imported.releases.first().delete()
    assert Version.objects.get_for_object(imported).count() == 1  # kept once, at the first


def test_a_part_moved_to_another_document_keeps_both(imported) -> None:
    assert load(record("104-10004-10143")).counts["created"] == 1
    other = m.Document.objects.get(identifier="104-10004-10143")
    release = imported.releases.first()
    release.document, release.released_on = other, date(2023, 6, 27)
    release.save()
    imported_version(imported)
    imported_version(other)


def test_a_link_added_from_either_side_keeps_the_state_before_it(imported) -> None:
    english = m.Language.objects.get(code="en")
    imported.languages.add(english)
    assert imported_version(imported).field_dict["languages"] == []
    assert load(record("104-10004-10143")).counts["created"] == 1
    other = m.Document.objects.get(identifier="104-10004-10143")
    english.documents.add(other)
    assert imported_version(other).field_dict["languages"] == []
    assert load(record("104-10004-10144")).counts["created"] == 1
    third = m.Document.objects.get(identifier="104-10004-10144")
    third.languages.add(english)  # kept: its state without it
    Version.objects.get_for_object(third).delete()  # as if never kept
    english.documents.clear()  # from the other side, all at once
    assert imported_version(third).field_dict["languages"] == [english.pk]


def test_a_deleted_imported_document_can_be_recovered(imported) -> None:
    pk = imported.pk
    imported.delete()
    deleted = Version.objects.get_deleted(m.Document)
    assert [v.object_id for v in deleted] == [str(pk)]
    deleted.get().revision.revert(delete=True)
    recovered = m.Document.objects.get(pk=pk)
    assert recovered.identifier == NUMBER and recovered.releases.count() == 2


def test_a_reimport_that_changes_it_keeps_both_states(imported) -> None:
    assert load(record(NUMBER, title="CABLE RE OSWALD, RELEASED IN FULL")).counts["updated"] == 1
    newest, oldest = Version.objects.get_for_object(imported)
    assert oldest.field_dict["title"] == "CABLE RE OSWALD"
    assert newest.field_dict["title"] == "CABLE RE OSWALD, RELEASED IN FULL"
    assert oldest.revision.date_created < newest.revision.date_created
    # The imported state was dated at the first import, before the re-import moved it.
    assert oldest.revision.comment.startswith("Imported by nara-jfk")


def test_an_unchanged_reimport_keeps_nothing(imported) -> None:
    assert load(record(NUMBER)).counts["unchanged"] == 1
    assert not Version.objects.exists()
