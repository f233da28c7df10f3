"""Source spellings map to the two vocabularies through tables kept as data."""

from __future__ import annotations

import pytest

from readingroom.catalogue import models as m
from readingroom.catalogue.vocabularies import (
    document_type_for,
    load_data,
    normalize_spelling,
    physical_form_for,
    repository_for,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("spelling", "slug"),
    [
        ("Memorandum of Conversation", "memorandum-of-conversation"),
        ("MEMORNADUM", "memorandum"),
        ("memo", "memorandum"),
        ("Telegram", "telegram"),
        ("National Intelligence Estimate", "intelligence-estimate"),
    ],
)
def test_document_type_spellings(spelling: str, slug: str) -> None:
    assert document_type_for(spelling).slug == slug


@pytest.mark.parametrize(
    ("spelling", "slug"),
    [
        ("PAPER - TEXTUAL DOCUMENT", "textual"),
        ("PAPER, TEXTUAL DOCUMENT", "textual"),
        ("PAPER-TEXTUAL DOCUMENT", "textual"),
        ("paper", "textual"),
        ("SOUND RECORDING", "sound-recording"),
        ("PHOTOGRAPH", "photograph"),
    ],
)
def test_physical_form_spellings(spelling: str, slug: str) -> None:
    assert physical_form_for(spelling).slug == slug


def test_unknown_spellings_map_to_nothing() -> None:
    assert document_type_for("Scroll of prophecy") is None
    assert physical_form_for("") is None


def test_every_data_entry_is_in_the_tables() -> None:
    for entry in load_data("document_types.json"):
        for spelling in entry["spellings"]:
            row = m.DocumentTypeSpelling.objects.get(spelling=normalize_spelling(spelling))
            assert row.term.slug == entry["slug"]
    assert m.Language.objects.get(code="ru").name == "Russian"


def test_repositories_match_by_abbreviation_and_other_names() -> None:
    avp = repository_for("AVP RF")
    assert avp.name == "Archive of Foreign Policy of the Russian Federation"
    assert repository_for("avprf") == avp
    assert repository_for("Nowhere Archive") is None
