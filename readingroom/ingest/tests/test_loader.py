"""The loader: idempotent re-imports, updates kept as versions, one transaction per
record, and editors' publication decisions respected."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from reversion.models import Version

from readingroom.catalogue import models as m
from readingroom.conftest import SEED_000, SEED_003
from readingroom.ingest.loader import Loader
from readingroom.ingest.parsers.pages import parse_page_file
from readingroom.ingest.records import DocumentRecord

pytestmark = pytest.mark.django_db


def records() -> list[DocumentRecord]:
    return [parse_page_file(SEED_000), parse_page_file(SEED_003)]


def test_reimport_is_idempotent() -> None:
    first = Loader().load_all(records())
    assert first.counts["created"] == 2 and not first.errors
    counts = {
        model: model.objects.count()
        for model in (
            m.Document,
            m.Text,
            m.DocumentAgent,
            m.ArchivalReference,
            m.Agent,
            m.Funder,
            m.Repository,
            m.DocumentSource,
            m.File,
            m.Caveat,
        )
    }
    versions = Version.objects.count()
    modified = dict(m.Document.objects.values_list("identifier", "modified_at"))

    second = Loader().load_all(records())
    assert second.counts["unchanged"] == 2 and second.counts["created"] == 0
    assert {model: model.objects.count() for model in counts} == counts
    assert Version.objects.count() == versions
    assert dict(m.Document.objects.values_list("identifier", "modified_at")) == modified


def test_a_changed_record_is_updated_and_its_previous_version_kept(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        Loader().load_all(records())
    record = parse_page_file(SEED_003)
    record.summary = "A corrected summary."
    with django_capture_on_commit_callbacks(execute=True):
        report = Loader().load_all([record])
    assert report.counts["updated"] == 1
    document = m.Document.objects.get(identifier=record.identifier)
    assert document.summary == "A corrected summary."
    assert m.Document.objects.count() == 2  # updated, not duplicated
    summaries = [v.field_dict["summary"] for v in Version.objects.get_for_object(document)]
    assert len(summaries) == 2  # the imported state, then the update; none by the save hook
    assert summaries[0] == "A corrected summary." and summaries[1] != "A corrected summary."


def test_reimport_never_republishes_what_an_editor_withdrew() -> None:
    Loader().load_all(records())
    record = parse_page_file(SEED_000)
    document = m.Document.objects.get(identifier=record.identifier)
    document.state, document.withdrawn_reason = "withdrawn", "Rights holder asked"
    document.save()
    record.summary = "Changed upstream."
    Loader().load_all([record])
    document.refresh_from_db()
    assert document.state == "withdrawn" and document.summary == "Changed upstream."


def test_a_failing_record_leaves_nothing_half_written() -> None:
    good, bad = records()
    # end before start violates a database constraint after parts were written
    bad = dataclasses.replace(
        bad, date=dataclasses.replace(bad.date, start=date(1962, 4, 14), end=date(1962, 4, 1))
    )
    report = Loader().load_all([bad, good])
    assert report.counts == {"failed": 1, "created": 1}
    assert bad.source.file in report.errors[0]
    assert not m.Document.objects.filter(identifier=bad.identifier).exists()
    assert not m.DocumentSource.objects.filter(id_in_source=bad.source.id_in_source).exists()
    assert m.Document.objects.filter(identifier=good.identifier).exists()


def test_every_change_reaches_the_outbox() -> None:
    Loader().load_all(records())
    pending = set(
        m.OutboxEntry.objects.filter(processed_at=None).values_list("identifier", flat=True)
    )
    assert pending == {r.identifier for r in records()}


def test_an_imported_version_can_be_reverted_with_its_parts() -> None:
    Loader().load_all(records())
    record = parse_page_file(SEED_000)
    original = m.Document.objects.get(identifier=record.identifier)
    original_agents = list(original.agent_links.values_list("agent__name", "role"))
    record.summary, record.agents = "Changed upstream.", []
    Loader().load_all([record])
    assert not m.DocumentAgent.objects.filter(document=original).exists()

    first = Version.objects.get_for_object(original).last()
    first.revision.revert(delete=True)
    restored = m.Document.objects.get(pk=original.pk)
    assert restored.summary == original.summary
    assert list(restored.agent_links.values_list("agent__name", "role")) == original_agents
    assert [lang.code for lang in restored.languages.all()] == ["en"]


def test_a_value_too_long_for_its_field_is_named() -> None:
    from readingroom.ingest.records import IdentifierRecord

    record = parse_page_file(SEED_003)
    record.identifiers = [IdentifierRecord(scheme="x" * 101, value="1")]
    report = Loader().load_all([record])
    assert report.counts == {"failed": 1}
    assert record.identifier in report.errors[0] and "scheme" in report.errors[0]
    assert "at most 100 characters (it has 101)" in report.errors[0]
    assert not m.Document.objects.filter(identifier=record.identifier).exists()
