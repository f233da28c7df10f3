"""How a query's AND, OR, NOT and -word are read (`search/boolean.py`), without an engine;
what the engines then find is tested on both in test_search_contract."""

from __future__ import annotations

import pytest

from readingroom.search.boolean import parse, positive_text, to_tantivy


@pytest.mark.parametrize(
    ("query", "tantivy"),
    [
        ("Havana partisans", "Havana partisans"),
        ("Castro OR Guevara -Khrushchev", "(Castro OR Guevara) -Khrushchev"),
        ("Castro AND NOT Khrushchev", "Castro -Khrushchev"),
        ("Castro OR Guevara Khrushchev", "(Castro OR Guevara) Khrushchev"),
        ("NOT (Castro OR Guevara) Berlin", "-(Castro OR Guevara) Berlin"),
        ("-(Castro OR Guevara) Berlin", "-(Castro OR Guevara) Berlin"),
        ('"nuclear test" -"Fidel Castro"', '"nuclear test" -"Fidel Castro"'),
        ('-title:"Soviet Report" Havana', '-title:"Soviet Report" Havana'),
        ("negotiat* OR treaty", "(negotiat* OR treaty)"),
        # a dash inside a word or between words is not an exclusion
        ("Kennedy-Khrushchev exchanges", "Kennedy-Khrushchev exchanges"),
        ("104-10107-10135", "104-10107-10135"),
        ("Castro - Khrushchev", "Castro Khrushchev"),
        # bad syntax is read as far as it goes, never an error
        ('"unclosed phrase', '"unclosed phrase'),
        ("AND (", ""),
        (")))", ""),
        ("-", ""),
        ("OR Castro", "Castro"),
    ],
)
def test_queries_as_tantivy_gets_them(query: str, tantivy: str) -> None:
    assert to_tantivy(parse(query)) == tantivy


def test_the_words_a_document_is_found_by_leave_out_the_excluded() -> None:
    assert positive_text(parse('Castro OR "Che Guevara" -Khrushchev NOT Berlin')) == (
        'Castro "Che Guevara"'
    )
