"""Bulk inserts without the ORM's compiler: the same rows as `bulk_create`, ids that
never collide or reuse a deleted row's, instances that behave like the ORM's own."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from readingroom.catalogue import models as m
from readingroom.catalogue.fast_insert import (
    allocate_ids,
    build,
    delete_where,
    insert,
    insert_rows,
    update,
)

pytestmark = pytest.mark.django_db

DOCUMENT = dict(title="Telegram", date_start=date(1962, 10, 1), date_end=date(1962, 10, 2),
                time_start=time(9, 30, 15), date_precision="time", date_utc_offset=-300,
                extent_pages=4, state="published")  # fmt: skip


def stored(model, pk: int) -> dict:
    """A row as the ORM reads it back, without its id and timestamps (a document's
    first public moment and effective modification time are timestamps too)."""
    skip = {"id", "created_at", "modified_at", "uploaded_at", "imported_at",
            "first_public_at", "effective_modified_at"}  # fmt: skip
    row = model.objects.values().get(pk=pk)
    return {k: v for k, v in row.items() if k not in skip}


def test_build_makes_what_the_constructor_makes() -> None:
    language = m.Language.objects.get(code="en")
    document = m.Document.objects.create(identifier="x-1", title="X")
    ours = build(m.Text, document=document, kind="original", html="<p>x</p>", language=language)
    django = m.Text(document=document, kind="original", html="<p>x</p>", language=language)
    assert {k: v for k, v in vars(ours).items() if k != "_state"} == {
        k: v for k, v in vars(django).items() if k != "_state"
    }
    with CaptureQueriesContext(connection) as queries:
        assert str(ours) == str(django) and ours.document is document
    assert not queries.captured_queries  # related objects come from the cache


def test_insert_writes_what_bulk_create_writes() -> None:
    theirs = m.Document.objects.bulk_create([m.Document(identifier="theirs", **DOCUMENT)])[0]
    ours = build(m.Document, identifier="ours", **DOCUMENT)
    insert([ours])
    assert ours.pk and not ours._state.adding
    assert ours.created_at is not None and ours.created_at == ours.modified_at
    a, b = stored(m.Document, theirs.pk), stored(m.Document, ours.pk)
    assert a.pop("identifier") == "theirs" and b.pop("identifier") == "ours"
    assert a == b
    refreshed = m.Document.objects.get(pk=ours.pk)
    assert refreshed.created_at == ours.created_at  # the timestamp round-trips
    # What bulk_create does not do: a record created published is public from then
    # (catalogue/publicity.py's hook), like one created through save().
    assert refreshed.first_public_at == ours.created_at


def test_parts_with_foreign_keys_and_nulls() -> None:
    document = build(m.Document, identifier="d-1", title="D")
    insert([document])
    release = build(m.Release, document=document, released_on=date(2022, 12, 15),
                    list_name="jfk2022.xlsx", review_date=None, pages_released=5)  # fmt: skip
    insert([release])
    assert stored(m.Release, release.pk) == {
        "document_id": document.pk, "released_on": date(2022, 12, 15),
        "list_name": "jfk2022.xlsx", "file_name": "", "prior_status": "", "review_date": None,
        "pages_released": 5, "rows": "", "differences": "", "position": 0,
    }  # fmt: skip
    assert m.Document.objects.get(pk=document.pk).releases.get() == release


def test_ids_follow_the_highest_ever_used() -> None:
    first = build(m.Caveat, document=m.Document.objects.create(identifier="c", title="C"),
                  text="Eyes Only")  # fmt: skip
    insert([first])
    m.Caveat.objects.filter(pk=first.pk).delete()
    # A deleted row's id is never given again: old versions still name it.
    assert allocate_ids(m.Caveat, 3)[0] > first.pk
    ids = allocate_ids(m.Caveat, 3)
    assert len(set(ids)) == 3 and ids == sorted(ids)


# Only where it applies (no skip): SQLite allocates by MAX(id), which is safe only
# while the transaction holds the write lock; PostgreSQL's sequences need none.
if connection.vendor == "sqlite":

    def test_sqlite_allocates_only_inside_a_transaction() -> None:
        connection.in_atomic_block, saved = False, connection.in_atomic_block
        try:
            with pytest.raises(RuntimeError, match="inside a transaction"):
                allocate_ids(m.Caveat, 1)
        finally:
            connection.in_atomic_block = saved


def test_insert_rows_without_ids() -> None:
    document = m.Document.objects.create(identifier="l", title="L")
    through = m.Document.languages.through
    with transaction.atomic():
        insert_rows(
            through, ["document_id", "language_id"], [(document.pk, "en"), (document.pk, "ru")]
        )
    assert sorted(document.languages.values_list("code", flat=True)) == ["en", "ru"]


def test_update_writes_what_save_writes() -> None:
    ours = m.Document.objects.create(identifier="u-1", **DOCUMENT)
    theirs = m.Document.objects.create(identifier="u-2", **DOCUMENT)
    before = ours.modified_at
    for obj in (ours, theirs):
        obj.title, obj.date_end, obj.extent_pages = "After", date(1962, 10, 5), None
    theirs.save()
    with transaction.atomic():
        update([ours])
    a, b = stored(m.Document, ours.pk), stored(m.Document, theirs.pk)
    assert a.pop("identifier") == "u-1" and b.pop("identifier") == "u-2"
    assert a == b and a["title"] == "After" and a["extent_pages"] is None
    refreshed = m.Document.objects.get(pk=ours.pk)
    assert refreshed.modified_at > before and refreshed.created_at == ours.created_at


def test_update_of_some_fields_only() -> None:
    document = m.Document.objects.create(identifier="s-1", title="T")
    source = m.DocumentSource.objects.create(document=document, importer="x", id_in_source="1",
                                             file="a", content_hash="h1")  # fmt: skip
    source.file, source.content_hash, source.importer = "b", "h2", "not written"
    with transaction.atomic():
        update([source], ["file", "content_hash", "imported_at"])
    row = m.DocumentSource.objects.get(pk=source.pk)
    assert (row.file, row.content_hash, row.importer) == ("b", "h2", "x")


def test_delete_where() -> None:
    documents = [m.Document.objects.create(identifier=f"del-{n}", title="D") for n in range(3)]
    for d in documents:
        m.Caveat.objects.create(document=d, text="Eyes Only")
    with transaction.atomic():
        delete_where(m.Caveat, "document_id", [documents[0].pk, documents[2].pk])
    assert list(m.Caveat.objects.values_list("document_id", flat=True)) == [documents[1].pk]
    # A table others point to goes through the ORM, which follows the cascade.
    delete_where(m.Document, "id", [documents[1].pk])
    assert not m.Caveat.objects.exists()
