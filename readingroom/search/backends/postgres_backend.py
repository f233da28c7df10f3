"""The PostgreSQL backend: tsvector with weights (title A; summary, people, places,
archive B; body C; machine-read page text D; each text and the machine-read text also in
its own language's configuration), a GIN index, websearch_to_tsquery (never
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

from readingroom.search import boolean
from readingroom.search.analysis import with_lookalikes
from readingroom.search.backends.base import (
    FACETS,
    Hit,
    SearchQuery,
    SearchResults,
    as_list,
)
from readingroom.search.fields import STEMMED_LANGUAGES
from readingroom.search.known_items import known_items
from readingroom.search.models import SearchEntry, SearchFacet, SearchTerm
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
    VECTOR += SearchVector(f"ocr_{_code}", weight="D", config=f"rr_{_config}")
# A query is read in every language's config, OR-ed: a Russian word matches the
# stems of a Russian text, an English one the English translation.
CONFIGS = [CONFIG, *(f"rr_{config}" for config in STEMMED_LANGUAGES.values())]
TSQUERY = "(" + " || ".join(["websearch_to_tsquery(%s, %s)"] * len(CONFIGS)) + ")"


def _tsquery_params(text: str) -> list[str]:
    return [p for config in CONFIGS for p in (config, text)]


TEXT_COLUMNS = ("title", "person", "place", "archive")
# A term of the field syntax researchers type (title:"Soviet Report", type:letter), which
# websearch_to_tsquery does not know.
FIELD_TERM_RE = re.compile(rf"({'|'.join([*TEXT_COLUMNS, *FACETS])}):(\"[^\"]*\"?|\S+)")
_FACET_SQL = ("EXISTS (SELECT 1 FROM search_searchfacet f WHERE "
              "f.entry_id = e.document_pk AND f.facet = %s AND f.value = %s)")  # fmt: skip
# A facet filter: any of its values (OR within a facet; the facets are AND-ed).
_FILTER_SQL = ("EXISTS (SELECT 1 FROM search_searchfacet f WHERE "
               "f.entry_id = e.document_pk AND f.facet = %s AND f.value = ANY(%s))")  # fmt: skip


def _field_term(term: str) -> tuple[str, str] | None:
    m = FIELD_TERM_RE.fullmatch(term)
    return (m[1], m[2].strip('"')) if m else None


def _words_tsquery(clauses: list[boolean.Clause]) -> tuple[str, list[Any]]:
    """One tsquery for the word-only clauses (so the GIN index serves them all): the
    found-by clauses AND-ed within each language's configuration, the configurations
    OR-ed (a stop word of one language is a word of another, so each reads the whole
    query), then every excluded clause AND-NOT-ed in all of them."""
    found = [c for c in clauses if not c.excluded]
    # Single words go in one text, as typed (websearch_to_tsquery drops stop words);
    # each alternative is a text of its own ("a OR b": websearch has no parentheses).
    texts = [" ".join(c.terms[0] for c in found if len(c.terms) == 1)]
    texts = [t for t in texts if t] + [c.text() for c in found if len(c.terms) > 1]
    parts, params = [], []
    if texts:
        per_config = " && ".join(["websearch_to_tsquery(%s, %s)"] * len(texts))
        parts.append("(" + " || ".join([f"({per_config})"] * len(CONFIGS)) + ")")
        params += [p for config in CONFIGS for text in texts for p in (config, text)]
    for clause in clauses:
        if clause.excluded:
            parts.append(f"!!{TSQUERY}")
            params += _tsquery_params(clause.text())
    return "(" + " && ".join(parts) + ")", params


def _ranked_text(clauses: list[boolean.Clause]) -> str:
    """The words a document is found by (not excluded, not field terms): what ranks and
    highlights it."""
    return " ".join(term for c in clauses if not c.excluded for term in c.terms
                    if not FIELD_TERM_RE.fullmatch(term)
                    and not FIELD_WILDCARD_RE.fullmatch(term))  # fmt: skip


def _clause_sql(terms: list[str]) -> tuple[str, list[Any]]:
    """A clause with field terms: each term's condition, OR-ed."""
    conditions, params = [], []
    for term in terms:
        field = _field_term(term)
        wildcard = FIELD_WILDCARD_RE.fullmatch(term)
        if wildcard:
            sql, sql_params = _has_value_sql(wildcard[1])
            conditions.append(sql)
            params += sql_params
            continue
        if field is None:  # a word among fields: the document's vector
            conditions.append(f"e.vector @@ {TSQUERY}")
            params += _tsquery_params(term)
        elif field[0] in TEXT_COLUMNS:
            # Written as the expression index of migration 0006 is, so it serves it.
            conditions.append(f"to_tsvector('{CONFIG}'::regconfig, e.{field[0]}) "
                              "@@ websearch_to_tsquery(%s, %s)")  # fmt: skip
            params += [CONFIG, field[1]]
        else:
            conditions.append(_FACET_SQL)
            params += list(field)
    return "(" + " OR ".join(conditions) + ")", params


# `title:*`, `type:*`: "has a value" (websearch_to_tsquery would read a lone `*` as
# nothing at all). Text columns are compared, facets looked up.
HAS_COLUMNS = ("title", "summary", "body", "ocr", "person", "place", "archive", "identifier")
FIELD_WILDCARD_RE = re.compile(rf"({'|'.join([*HAS_COLUMNS, *FACETS])}):\*")


def _has_value_sql(name: str) -> tuple[str, list[Any]]:
    if name in HAS_COLUMNS:  # a name from the tuple above, never from the query
        return f"e.{name} <> ''", []
    return ("EXISTS (SELECT 1 FROM search_searchfacet f WHERE f.entry_id = e.document_pk "
            "AND f.facet = %s)", [name])  # fmt: skip


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


# Undated documents (date 0) last in both directions.
ORDER = {"date": "e.date = 0, e.date ASC, e.document_pk", "-date": "e.date DESC, e.document_pk",
         "added": "e.public_since DESC, e.document_pk DESC"}  # fmt: skip


def _analyze_if_unknown(batch: int) -> None:
    """Statistics for the planner when it does not know the tables yet. Until they are
    analyzed it takes them for nearly empty and joins a facet filter by nested loops: an
    entity page over 11,000 freshly indexed documents then took minutes instead of
    milliseconds. Autovacuum analyzes them only after a commit and a delay (and never
    inside one long transaction, a first import's or a test's); once the planner knows
    them, its estimates grow with their size on disk, so a table it knows as ten batches
    or more is left to autovacuum. (ANALYZE counts this transaction's own new rows.)"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'search_searchentry'")
        row = cursor.fetchone()
        if row is None or row[0] < 10 * batch:
            cursor.execute("ANALYZE search_searchentry, search_searchfacet")


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
                public_from=d.get("public_from") or 0, public_since=d.get("public_since") or 0,
                person=" ; ".join(d.get("person", [])), place=" ; ".join(d.get("place", [])),
                archive=_text(" ; ".join(d.get("archive", []))), ocr=_text(d.get("ocr")),
                **{f"{kind}_{code}": _text(d.get(f"{kind}_{code}"))
                   for kind in ("body", "ocr") for code in STEMMED_LANGUAGES},
            )
            for d in documents
        )  # fmt: skip
        SearchEntry.objects.filter(pk__in=pks).update(vector=VECTOR)
        with connection.cursor() as cursor:
            # The lexicon near spellings come from: the words of titles, summaries, names
            # and places (weights A and B), as the English configuration keeps them. It
            # only grows; a suggestion is counted under the gate before it is shown.
            cursor.execute(
                "INSERT INTO search_searchterm (term) SELECT DISTINCT w FROM "
                "search_searchentry e, unnest(tsvector_to_array(ts_filter(e.vector, '{a,b}'))) w "
                "WHERE e.document_pk = ANY(%s) AND length(w) BETWEEN 3 AND 100 "
                "ON CONFLICT DO NOTHING",
                [pks],
            )
        SearchFacet.objects.bulk_create(
            SearchFacet(entry_id=d["pk"], facet=name, value=str(value))
            for d in documents
            for name in FACETS
            for value in as_list(d.get(name))
        )
        _analyze_if_unknown(len(documents))

    def delete(self, pks: Iterable[int]) -> None:
        SearchEntry.objects.filter(pk__in=list(pks)).delete()

    def clear(self) -> None:
        SearchFacet.objects.all().delete()
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()

    def _where(self, q: SearchQuery) -> tuple[str, list[Any], str]:
        """The SQL condition and its parameters, and the words that rank the matches."""
        clauses, params = [], []
        rest, dates = split_date_range(q.text)
        for low, high in (r for r in (dates, q.dates) if r):
            clauses.append("e.date BETWEEN %s AND %s")
            params += [low if low is not None else 1, high if high is not None else 99999999]
        words, other = [], []  # word-only clauses; SQL of the others
        parsed = with_lookalikes(boolean.parse(rest))  # CCCP also as СССР
        for clause in parsed:
            wildcard = any(FIELD_WILDCARD_RE.fullmatch(t) for t in clause.terms)
            if wildcard or any(FIELD_TERM_RE.fullmatch(t) for t in clause.terms):
                sql, sql_params = _clause_sql(clause.terms)
                other.append((f"NOT {sql}" if clause.excluded else sql, sql_params))
            else:
                words.append(clause)
        text = _ranked_text(parsed)
        if words:
            tsquery, match_params = _words_tsquery(words)
            match = f"e.vector @@ {tsquery}"
            if text:  # a record ID or citation also finds its document
                known, known_params = _known_sql(text)
                match = f"({match} OR e.identifier = %s{known})"
                match_params += [text.strip(), *known_params]
            clauses.append(match)
            params += match_params
        for sql, sql_params in other:
            clauses.append(sql)
            params += sql_params
        if q.within:
            clauses.append(_FACET_SQL)
            params += list(q.within)
        for name, values in q.filters.items():
            if values:
                clauses.append(_FILTER_SQL)
                params += [name, [str(value) for value in values]]
        # The gate, in the query: hits, count and facets all see only what is public.
        clauses.append("e.public_from <= %s")
        params.append(q.visible_at())
        if q.hidden:
            clauses.append("NOT (e.document_pk = ANY(%s))")
            params.append(sorted(q.hidden))
        return " AND ".join(clauses), params, text

    def search(self, q: SearchQuery) -> SearchResults:
        # Ranked and highlighted by the words a document is found by.
        where, params, text = self._where(q)
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
            hits = []
            if q.limit:
                cursor.execute(
                    f"SELECT e.document_pk, {rank} AS rank, {headline} "
                    f"FROM search_searchentry e WHERE {where} ORDER BY {order} LIMIT %s OFFSET %s",
                    [*rank_params, *headline_params, *params, q.limit, q.offset],
                )
                hits = [Hit(pk=pk, score=float(score), snippet=snippet or "")
                        for pk, score, snippet in cursor.fetchall()]  # fmt: skip
            facets = self._facets(cursor, q, where, params)
        return SearchResults(total=total, hits=hits, facets=facets)

    def _facets(self, cursor, q: SearchQuery, where: str, params: list[Any]
                ) -> dict[str, dict[str, int]]:  # fmt: skip
        """Every facet's counts in one statement: a GROUP BY over the matches, and one
        over the matches without each filtered facet's own filter (SearchQuery.facet_plan),
        joined by UNION ALL."""
        parts, all_params = [], []
        for key, names in q.facet_plan().items():
            key_where, key_params = (where, params) if key is None else \
                self._where(q.without_filter(key))[:2]  # fmt: skip
            parts.append(
                "SELECT %s, f.facet, f.value, count(*) FROM search_searchfacet f "
                "WHERE f.facet = ANY(%s) AND f.entry_id IN (SELECT e.document_pk "
                f"FROM search_searchentry e WHERE {key_where}) GROUP BY f.facet, f.value"
            )
            all_params += [key or "", list(names), *key_params]
        counted: dict[str | None, dict[str, dict[str, int]]] = {}
        if parts:
            cursor.execute(" UNION ALL ".join(parts), all_params)
            for key, facet, value, count in cursor.fetchall():
                counted.setdefault(key or None, {}).setdefault(facet, {})[value] = count
        return q.facet_counts(counted)

    def counts(self, queries: list[SearchQuery]) -> list[int]:
        if not queries:
            return []
        selects, params = [], []
        for q in queries:
            where, where_params, _ = self._where(q)
            selects.append(f"(SELECT count(*) FROM search_searchentry e WHERE {where})")
            params += where_params
        with connection.cursor() as cursor:  # one round trip for all of them
            cursor.execute("SELECT " + ", ".join(selects), params)
            return list(cursor.fetchone())

    def terms_with_prefix(self, prefix: str) -> list[str]:
        if not prefix:
            return []
        # A range the primary key's index serves, whatever the collation; then exact.
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        found = SearchTerm.objects.filter(term__gte=prefix, term__lt=upper)
        return sorted(t for t in found.values_list("term", flat=True) if t.startswith(prefix))
