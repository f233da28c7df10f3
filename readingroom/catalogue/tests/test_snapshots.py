"""The bulk snapshot serializer writes exactly what Django's JSON serializer writes,
so django-reversion reads and reverts it like its own versions."""

from __future__ import annotations

import json
from datetime import date, time, timedelta

import pytest
from django.core import serializers
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.catalogue.snapshots import serialize

pytestmark = pytest.mark.django_db


def test_serialize_matches_djangos_serializer(make_document) -> None:
    document = make_document(
        time_start=time(12, 0),
        date_utc_offset=-300,
        embargo_until=timezone.now() + timedelta(days=1),
        source_uploaded_on=date(2020, 1, 2),
        summary="Café <b>&</b> “x”",
    )
    document.languages.add(m.Language.objects.get(code="en"), m.Language.objects.get(code="ru"))
    document.funders.add(m.Funder.objects.create(name="A Foundation"))
    document = m.Document.objects.get(pk=document.pk)
    reference = m.ArchivalReference.objects.create(
        document=document, as_written="AVP RF", fond="0104"
    )
    for obj in (document, document.texts.first(), reference):
        ours = json.loads(serialize(obj))
        djangos = json.loads(serializers.serialize("json", [obj]))
        assert ours == djangos, type(obj).__name__
