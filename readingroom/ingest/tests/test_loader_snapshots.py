"""The versions the loader writes from what it inserted (not read back) are exactly what
django-reversion would write: each object serialized by Django's JSON serializer, its
`object_repr` its `str()`, read from the database after the import."""

from __future__ import annotations

import dataclasses
import json

import pytest
from django.core import serializers
from reversion.models import Version

from readingroom.catalogue import models as m
from readingroom.conftest import SEED_000
from readingroom.ingest.loader import Loader
from readingroom.ingest.parsers.pages import parse_page_file
from readingroom.ingest.records import PlaceRecord
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


def test_a_frus_volume() -> None:
    from readingroom.conf import corpus
    from readingroom.ingest.parsers.frus import parse_volume

    loader = VolumeLoader()
    assert loader.load(parse_volume(corpus() / "frus" / "frus1961-63v06.xml")), loader.report
    models = set(Version.objects.values_list("content_type__model", flat=True))
    assert {"document", "text", "documentagent", "collectionmember", "documentsource"} <= models
    assert m.Document.objects.filter(subjects__isnull=False).exists()  # many-to-many too
    assert_versions_match_the_database()


def test_release_lists_and_scans() -> None:
    assert load(record()).counts["created"] == 1
    models = set(Version.objects.values_list("content_type__model", flat=True))
    assert {"release", "file", "collectionmember"} <= models
    assert_versions_match_the_database()


def test_many_to_many_in_the_related_models_order_and_an_update() -> None:
    r = parse_page_file(SEED_000)
    r.languages, r.funders = ["ru", "en", "de"], ["Z Fund", "A Fund", "Z Fund"]
    r.subjects, r.places = ["Berlin", "Allies", "Berlin"], [PlaceRecord("Moscow")]
    Loader().load_all([r])
    document = m.Document.objects.get(identifier=r.identifier)
    version = Version.objects.get_for_object(document).get()
    fields = json.loads(version.serialized_data)[0]["fields"]
    assert fields["languages"] == ["en", "de", "ru"]  # English, German, Russian: by name
    assert len(fields["funders"]) == 2 and len(fields["subjects"]) == 2
    assert_versions_match_the_database()
    Loader().load_all([dataclasses.replace(r, summary="Changed.", languages=["en"])])
    latest, _ = Version.objects.get_for_object(document)
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
