"""Known-item recognition, without an engine: record IDs and FRUS citations as typed."""

from __future__ import annotations

import re

import pytest

from readingroom.search.known_items import known_items, roman_to_int


@pytest.mark.parametrize(
    ("text", "identifier"),
    [
        ("Volume V, Document 196", "frus1961-63v05-d196"),
        ("FRUS 1961-63 Vol. XXII, Doc. 57", "frus1961-63v22-d57"),
        ("vol. 15 doc 200", "frus1961-63v15-d200"),
        ("v05 d196", "frus1961-63v05-d196"),
        ("volume xv document 7", "frus1961-63v15-d7"),
    ],
)
def test_frus_citations_match_the_identifier(text: str, identifier: str) -> None:
    patterns = known_items(text).identifier_patterns
    assert any(re.fullmatch(p, identifier) for p in patterns)
    assert not any(re.fullmatch(p, identifier + "0") for p in patterns)


def test_a_number_alone_is_a_record_id() -> None:
    assert known_items("862").pks == [862]
    assert known_items("record ID 862").pks == [862]
    assert known_items("1962 Berlin").pks == []


def test_plain_words_are_no_known_item() -> None:
    assert not known_items("Khrushchev Berlin wall")
    assert not known_items("voluntary documentation")


def test_roman_numerals() -> None:
    assert [roman_to_int(r) for r in ("V", "XXII", "XIV", "IX", "abc")] == [5, 22, 14, 9, None]
