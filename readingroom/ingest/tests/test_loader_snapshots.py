"""The versions kept of imported documents (their state before the first change, and
each re-import's new state) are exactly what django-reversion would write: each object
serialized by Django's JSON serializer, its `object_repr` its `str()`, compared with
the database."""

from __future__ import annotations

import dataclasses
import json

import pytest
from django.core import serializers
from reversion.models import Version

from readingroom.catalogue import models as m
from readingroom.catalogue.versions import keep_state_before_change
from readingroom.conftest import SEED_000
from readingroom.ingest.loader import Loader
from readingroom.ingest.parsers.pages import parse_page_file
from readingroom.ingest.records import DocumentRecord, PlaceRecord
from readingroom.ingest.tests.test_release_loading import load, record
from readingroom.ingest.volume_loader import VolumeLoader

pytestmark = pytest.mark.django_db


def assert_versions_match_the_database(versions=None) -> int:
    versions = (versions or Version.objects.all()).select_related("content_type")
    assert versions.exists()
    for version in versions:
        obj = version.content_type.model_class().objects.get(pk=version.object_id)
        expected = json.loads(serializers.serialize("json", [obj]))
        assert json.loads(version.serialized_data) == expected, version.content_type.model
        assert version.object_repr == str(obj)
    return versions.count()


def newest_revisions_versions():
    """The versions of each document's newest revision."""
    documents = m.Document.objects.all()
    newest = [Version.objects.get_for_object(d).first().revision_id for d in documents]
    return Version.objects.filter(revision_id__in=newest)


def test_a_frus_volume() -> None:
    from readingroom.conf import corpus
    from readingroom.ingest.parsers.frus import parse_volume

    path = corpus() / "frus" / "frus1961-63v06.xml"
    loader = VolumeLoader()
    assert loader.load(parse_volume(path)), loader.report
    assert not Version.objects.exists()  # created: their import is their state
    documents = m.Document.objects.count()
    # Kept before a change, read from the database: every document and part.
    assert keep_state_before_change(m.Document.objects.values_list("pk", flat=True)) == documents
    models = set(Version.objects.values_list("content_type__model", flat=True))
    assert {"document", "text", "documentagent", "collectionmember", "documentsource"} <= models
    assert m.Document.objects.filter(subjects__isnull=False).exists()  # many-to-many too
    assert_versions_match_the_database()

    # Every document updated by a re-import: its new state kept too.
    volume = parse_volume(path)
    volume.items = [
        dataclasses.replace(item, summary=f"Corrected. {item.summary}")
        if isinstance(item, DocumentRecord) else item
        for item in volume.items
    ]  # fmt: skip
    loader = VolumeLoader()
    assert loader.load(volume), loader.report
    assert loader.report.counts["updated"] == documents
    assert Version.objects.filter(content_type__model="document").count() == 2 * documents
    assert_versions_match_the_database(newest_revisions_versions())


def test_release_lists_and_scans() -> None:
    assert load(record()).counts["created"] == 1
    keep_state_before_change(m.Document.objects.values_list("pk", flat=True))
    models = set(Version.objects.values_list("content_type__model", flat=True))
    assert {"release", "file", "collectionmember"} <= models
    assert_versions_match_the_database()
    assert load(record(title="CABLE RE OSWALD, CORRECTED")).counts["updated"] == 1
    models = set(newest_revisions_versions().values_list("content_type__model", flat=True))
    assert {"release", "file", "collectionmember"} <= models
    assert_versions_match_the_database(newest_revisions_versions())


def test_many_to_many_in_the_related_models_order_and_an_update() -> None:
    r = parse_page_file(SEED_000)
    r.languages, r.funders = ["ru", "en", "de"], ["Z Fund", "A Fund", "Z Fund"]
    r.subjects, r.places = ["Berlin", "Allies", "Berlin"], [PlaceRecord("Moscow")]
    Loader().load_all([r])
    document = m.Document.objects.get(identifier=r.identifier)
    Loader().load_all([dataclasses.replace(r, summary="Changed.", languages=["ru", "de"])])
    latest, imported = Version.objects.get_for_object(document)
    fields = json.loads(imported.serialized_data)[0]["fields"]
    assert fields["languages"] == ["en", "de", "ru"]  # English, German, Russian: by name
    assert len(fields["funders"]) == 2 and len(fields["subjects"]) == 2
    fields = json.loads(latest.serialized_data)[0]["fields"]
    assert fields["languages"] == ["de", "ru"]  # as the loader linked them, in model order
    assert_versions_match_the_database(latest.revision.version_set.all())
    Loader().load_all([dataclasses.replace(r, summary="Changed again.", languages=["en"])])
    latest, _, _ = Version.objects.get_for_object(document)
    assert json.loads(latest.serialized_data)[0]["fields"]["languages"] == ["en"]
    assert_versions_match_the_database(latest.revision.version_set.all())


def test_an_update_keeps_an_editors_placement_in_the_document_and_its_version() -> None:
    assert load(record()).counts["created"] == 1
    document = m.Document.objects.get(identifier="104-10107-10135")
    shelf = m.Collection.objects.create(identifier="shelf", title="An editor's shelf")
    m.CollectionMember.objects.create(collection=shelf, document=document, position=0)
    changed = record(title="CABLE RE OSWALD, CORRECTED")
    assert load(changed).counts["updated"] == 1
    assert set(document.memberships.values_list("collection__identifier", flat=True)) == {
        "jfk", "shelf"
    }  # fmt: skip
    latest = Version.objects.get_for_object(document).first()
    members = latest.revision.version_set.filter(content_type__model="collectionmember")
    assert members.count() == 2
    assert_versions_match_the_database(latest.revision.version_set.all())
