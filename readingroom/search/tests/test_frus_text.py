"""FRUS as a reader searches it, on both backends: a microfiche supplement's entry is
found by its description (issue 19, reproduction 3), and footnote marks never reach
the indexed text or its snippets (reproduction 6: "Chairman Khrushchev 0 Washington")."""

from __future__ import annotations

import html
import re

import pytest
from django.core.management import call_command

from readingroom.catalogue import models as m
from readingroom.conf import corpus
from readingroom.search.fields import plain_text
from readingroom.search.service import search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("backend")]
FRUS = corpus() / "frus"


@pytest.fixture
def volumes(search_index) -> None:
    for name in ("frus1961-63v06.xml", "frus1961-63v10-12mSupp.xml"):
        call_command("import", "frus", str(FRUS / name), no_progress=True)
    search_index()


def identifiers(data) -> list[str]:
    return [h["document"].identifier for h in data["hits"]]


def test_a_supplement_entry_is_found_by_its_description(volumes) -> None:
    found = identifiers(search("Garthoff tradeoff"))
    assert found[:1] == ["frus1961-63v10-12mSupp-d433"], found
    # The summary holds the description, not the title: a word only it has.
    assert "frus1961-63v10-12mSupp-d433" in identifiers(search("Turkey Cuba tradeoff"))


def test_footnote_marks_reach_neither_snippets_nor_indexed_text(volumes) -> None:
    data = search("Khrushchev Washington")
    assert data["total"] > 20
    snippets = [h["snippet"] for h in data["hits"] if h["snippet"]]
    assert snippets
    for snippet in snippets:
        words = re.sub(r"<[^>]+>", "", snippet)
        assert not re.search(r"\bKhrushchev \d+ Washington\b", words), snippet
        assert "↩" not in words
    # The text the index gets, for every document of the volume: the same characters
    # as the HTML with each note's mark (<sup> linking to it) and way back taken out,
    # the note's own text kept.
    texts = m.Text.objects.filter(document__identifier__startswith="frus1961-63v06-")
    assert texts.count() == 120
    marks = re.compile(r'<sup id="fnref-[^"]*">.*?</sup>|<a href="#fnref-[^"]*"[^>]*>[^<]*</a>')
    for text in texts:
        expected = html.unescape(re.sub(r"<[^>]+>", "", marks.sub("", text.html)))
        assert "".join(plain_text(text.html).split()) == "".join(expected.split())
    d5 = m.Text.objects.get(document__identifier="frus1961-63v06-d5")
    assert "Chairman Khrushchev Washington, February 13, 1961." in plain_text(d5.html)
    assert '<sup id="fnref-d5fn0">' in d5.html  # the page still links its note
