"""The PostgreSQL backend: tsvector with weights (title A; summary, people, places,
archive B; body C; machine-read page text D), a GIN index, websearch_to_tsquery (never
a syntax error), ranked by ts_rank, snippets by ts_headline, facet counts by GROUP BY
over the matches: exact by construction. For deployments that run on PostgreSQL
(READINGROOM_SEARCH_BACKEND=postgres).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from readingroom.search.backends.base import (
    COUNTED_FACETS,
    FACETS,
    Hit,
    SearchQuery,
    SearchResults,
    as_list,
    with_derived_counts,
)
from readingroom.search.fields import STEMMED_LANGUAGES
from readingroom.search.known_items import known_items
from readingroom.search.models import SearchEntry, SearchFacet
from readingroom.search.query import split_date_range

# Our configurations (migration 0005): the built-in ones plus accent folding.
CONFIG = "rr_english"
VECTOR = (
    SearchVector("title", weight="A", config=CONFIG)
    + SearchVector("summary", "person", "place", "archive", weight="B", config=CONFIG)
    + SearchVector("body", weight="C", config=CONFIG)
    + SearchVector("ocr", weight="D", config=CONFIG)
)
for _code, _config in STEMMED_LANGUAGES.items():
    VECTOR += SearchVector(f"body_{_code}", weight="C", config=f"rr_{_config}")
# A query is read in every language's config, OR-ed: a Russian word matches the
# stems of a Russian text, an English one the English translation.
CONFIGS = [CONFIG, *(f"rr_{config}" for config in STEMMED_LANGUAGES.values())]
TSQUERY = "(" + " || ".join(["websearch_to_tsquery(%s, %s)"] * len(CONFIGS)) + ")"


def _tsquery_params(text: str) -> list[str]:
    return [p for config in CONFIGS for p in (config, text)]


TEXT_COLUMNS = ("title", "person", "place", "archive")
FIELD_RE = re.compile(rf"\b({'|'.join([*TEXT_COLUMNS, *FACETS])}):(\"[^\"]*\"|\S+)")


def split_fields(text: str) -> tuple[str, list[tuple[str, str]]]:
    """'title:"Soviet Report" Havana' → ("Havana", [("title", "Soviet Report")]): the
    field syntax researchers type, which websearch_to_tsquery does not know."""
    fields = [(m[1], m[2].strip('"')) for m in FIELD_RE.finditer(text)]
    return FIELD_RE.sub(" ", text), fields


def _known_sql(text: str) -> tuple[str, list[Any]]:
    """A record ID or FRUS citation as extra OR-ed conditions (search/known_items.py)."""
    items = known_items(text)
    sql = "".join(" OR e.document_pk = %s" for _ in items.pks)
    sql += "".join(" OR e.identifier ~* %s" for _ in items.identifier_patterns)
    return sql, [*items.pks, *(f"^{p}$" for p in items.identifier_patterns)]


# PostgreSQL's parser reads "89-61" as one hyphenated token but "89–61" (en dash, as
# printed) as two numbers: dashes are indexed as the hyphen a researcher types.
DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))


def _text(value: str | None) -> str:
    return (value or "").translate(DASHES)


ORDER = {"date": "e.date ASC, e.document_pk", "-date": "e.date DESC, e.document_pk",
         "added": "e.document_pk DESC"}  # fmt: skip


class PostgresBackend:
    def __init__(self) -> None:
        if connection.vendor != "postgresql":
            raise ValueError("READINGROOM_SEARCH_BACKEND=postgres needs DATABASE_URL=postgres://")

    @transaction.atomic
    def index(self, documents: Iterable[dict[str, Any]]) -> None:
        documents = list(documents)
        pks = [d["pk"] for d in documents]
        SearchEntry.objects.filter(pk__in=pks).delete()
        SearchEntry.objects.bulk_create(
            SearchEntry(
                document_pk=d["pk"], identifier=d["identifier"], title=_text(d["title"]),
                summary=_text(d["summary"]), body=_text(d["body"]), date=d.get("date") or 0,
                person=" ; ".join(d.get("person", [])), place=" ; ".join(d.get("place", [])),
                archive=_text(" ; ".join(d.get("archive", []))), ocr=_text(d.get("ocr")),
                **{f"body_{code}": d.get(f"body_{code}") or "" for code in STEMMED_LANGUAGES},
            )
            for d in documents
        )  # fmt: skip
        SearchEntry.objects.filter(pk__in=pks).update(vector=VECTOR)
        SearchFacet.objects.bulk_create(
            SearchFacet(entry_id=d["pk"], facet=name, value=str(value))
            for d in documents
            for name in FACETS
            for value in as_list(d.get(name))
        )

    def delete(self, pks: Iterable[int]) -> None:
        SearchEntry.objects.filter(pk__in=list(pks)).delete()

    def clear(self) -> None:
        SearchFacet.objects.all().delete()
        SearchEntry.objects.all().delete()

    def _where(self, q: SearchQuery) -> tuple[str, list[Any]]:
        clauses, params = [], []
        rest, dates = split_date_range(q.text)
        text, fields = split_fields(rest)
        if dates:
            low, high = dates
            clauses.append("e.date BETWEEN %s AND %s")
            params += [low if low is not None else 1, high if high is not None else 99999999]
        if text.strip():
            known, known_params = _known_sql(text)
            clauses.append(f"(e.vector @@ {TSQUERY} OR e.identifier = %s{known})")
            params += [*_tsquery_params(text), text.strip(), *known_params]
        for name, value in fields:
            if name in TEXT_COLUMNS:
                # Written as the expression index of migration 0006 is, so it serves it.
                clauses.append(f"to_tsvector('{CONFIG}'::regconfig, e.{name}) "
                               "@@ websearch_to_tsquery(%s, %s)")  # fmt: skip
                params += [CONFIG, value]
            else:
                q.filters = {**q.filters, name: [*q.filters.get(name, []), value]}
        for name, values in q.filters.items():
            for value in values:
                clauses.append(
                    "EXISTS (SELECT 1 FROM search_searchfacet f WHERE "
                    "f.entry_id = e.document_pk AND f.facet = %s AND f.value = %s)"
                )
                params += [name, str(value)]
        return (" AND ".join(clauses) or "TRUE"), params

    def search(self, q: SearchQuery) -> SearchResults:
        where, params = self._where(q)
        text = split_fields(split_date_range(q.text)[0])[0].strip()
        known, known_params = _known_sql(text) if text else ("", [])
        rank = (
            (
                f"(CASE WHEN e.identifier = %s{known} THEN 1000 ELSE 0 END + "
                "ts_rank(e.vector, websearch_to_tsquery(%s, %s)))"
            )
            if text
            else "0"
        )
        rank_params = [text, *known_params, CONFIG, text] if text else []
        order = ORDER.get(q.sort, "rank DESC, e.document_pk")
        headline = (
            (
                "ts_headline(%s, COALESCE(NULLIF(e.body, ''), e.ocr), "
                "websearch_to_tsquery(%s, %s), "
                "'StartSel=<b>, StopSel=</b>, MaxFragments=1, MaxWords=30')"
            )
            if text
            else "''"
        )
        headline_params = [CONFIG, CONFIG, text] if text else []
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM search_searchentry e WHERE {where}", params)
            total = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT e.document_pk, {rank} AS rank, {headline} FROM search_searchentry e "
                f"WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
                [*rank_params, *headline_params, *params, q.limit, q.offset],
            )
            hits = [Hit(pk=pk, score=float(score), snippet=snippet or "")
                    for pk, score, snippet in cursor.fetchall()]  # fmt: skip
            cursor.execute(
                "SELECT f.facet, f.value, count(*) FROM search_searchfacet f "
                f"WHERE f.facet = ANY(%s) AND f.entry_id IN (SELECT e.document_pk "
                f"FROM search_searchentry e WHERE {where}) GROUP BY f.facet, f.value",
                [list(COUNTED_FACETS), *params],
            )
            facets: dict[str, dict[str, int]] = {name: {} for name in COUNTED_FACETS}
            for facet, value, count in cursor.fetchall():
                facets[facet][value] = count
        return SearchResults(total=total, hits=hits, facets=with_derived_counts(facets))
