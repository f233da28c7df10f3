"""Contract tests every search backend passes against the real catalogue: documents
reach the index through the outbox, only public ones, with exact facet counts and
lenient queries. tantivy always; PostgreSQL too when the suite runs on PostgreSQL
(`make test`'s second pass)."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import public_documents, with_visibility_times
from readingroom.conf import corpus
from readingroom.conftest import ON_POSTGRES
from readingroom.search.service import search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("backend")]



@pytest.fixture
def volume(search_index) -> None:
    call_command("import", "frus", str(corpus() / "frus" / "frus1961-63v06.xml"), no_progress=True)
    call_command("import", "pages", str(corpus() / "seeds"), no_progress=True)
    search_index()


def identifiers(data) -> list[str]:
    return [h["document"].identifier for h in data["hits"]]


def test_words_find_their_documents(volume) -> None:
    assert identifiers(search("Havana partisans"))[0] == "page-72ecfa0892306d99"
    # Every word must match: a word no document has finds nothing.
    assert search("Havana zzyzx")["total"] == 0
    assert search("Khrushchev")["total"] > 50
    # An exact identifier finds its document first.
    assert identifiers(search("frus1961-63v06-d21"))[0] == "frus1961-63v06-d21"


def test_bad_syntax_never_errors(volume) -> None:
    for text in ['"unclosed phrase', "AND (", "title:", ")))", "-"]:
        data = search(text)
        assert data["total"] >= 0


def test_facet_counts_equal_a_group_by(volume) -> None:
    data = search("")
    assert data["total"] == public_documents().count()
    expected = Counter(public_documents().values_list("classification_level", flat=True))
    assert dict(data["facets"]["classification"]["values"]) == dict(expected)
    types = Counter(public_documents().exclude(document_type=None)
                    .values_list("document_type__slug", flat=True))  # fmt: skip
    assert dict(data["facets"]["type"]["values"]) == dict(types)
    # Filtered: the total is the filtered set's; the filtered facet itself is counted
    # without its own filter (what choosing one more of its values would add).
    letters = search("", {"type": ["letter"]})
    assert letters["total"] == types["letter"]
    assert dict(letters["facets"]["type"]["values"]) == dict(types)
    # A volume's documents also count for the series above it.
    assert search("", {"collection": ["frus1961-63v06"]})["total"] == 120
    assert search("", {"collection": ["frus"]})["total"] == 120


def test_person_place_and_translation_facets_are_exact(volume) -> None:
    public = public_documents()
    people = Counter(
        str(pk)
        for doc in public.values_list("pk", flat=True)
        for pk in set(m.DocumentAgent.objects.filter(document_id=doc, agent__kind="person")
                      .values_list("agent_id", flat=True))
    )  # fmt: skip
    data = search("")
    shown = dict(data["facets"]["people"]["values"])
    assert data["facets"]["people"]["distinct"] == len(people)
    assert shown == {pk: people[pk] for pk in shown}
    assert len(shown) == min(len(people), 100)
    translated = public.filter(texts__kind="translation").distinct().count()
    facet = dict(data["facets"]["translated"]["values"])
    assert facet.get("yes", 0) == translated and facet.get("no", 0) == public.count() - translated
    pk, count = data["facets"]["people"]["values"][0]
    assert search("", {"people": [pk]})["total"] == count
    subjects = Counter(str(pk) for pk in public.values_list("subjects", flat=True) if pk)
    assert dict(data["facets"]["subjects"]["values"]) == dict(subjects.most_common(100))


def _group_by(documents, column: str) -> dict[str, int]:
    return {str(k): n for k, n in Counter(documents.values_list(column, flat=True)).items() if k}


def test_filters_combine_as_sql_does(volume) -> None:
    """OR within a facet, AND across facets, on both backends, against SQL over the
    catalogue; each filtered facet is counted under the other filters only."""
    public = public_documents()
    by_type = _group_by(public, "document_type__slug")
    first, second = sorted(by_type, key=lambda t: -by_type[t])[:2]
    either = public.filter(document_type__slug__in=[first, second])
    level = Counter(either.values_list("classification_level", flat=True)).most_common(1)[0][0]
    both = either.filter(classification_level=level)

    data = search("", {"type": [first, second], "classification": [level]}, size=500)
    assert data["total"] == both.count() > 0
    assert {h["document"].pk for h in data["hits"]} == set(both.values_list("pk", flat=True))
    facets = {name: dict(f["values"]) for name, f in data["facets"].items()}
    assert facets["type"] == _group_by(public.filter(classification_level=level),
                                       "document_type__slug")  # fmt: skip
    assert facets["classification"] == _group_by(either, "classification_level")
    assert facets["year"] == {str(y): n for y, n in Counter(
        d.year for d in both.values_list("date_start", flat=True) if d).items()}  # fmt: skip
    assert sum(facets["decade"].values()) == sum(facets["year"].values())
    # A value of one facet alone, and the two together, as sets.
    alone = search("", {"type": [first]})["total"]
    assert search("", {"type": [first, second]})["total"] == by_type[first] + by_type[second]
    assert alone == by_type[first]


def test_a_date_range_and_counts(volume) -> None:
    from readingroom.search.service import Asked, Visibility, counts

    in_1962 = public_documents().filter(date_start__year=1962).count()
    data = search("", dates=(19620101, 19621231), facets=("year", "decade"))
    assert data["total"] == in_1962 and set(data["facets"]) == {"year", "decade"}
    assert dict(data["facets"]["year"]["values"]) == {"1962": in_1962}
    assert search("", dates=(19620101, None))["total"] == public_documents().filter(
        date_start__gte=date(1962, 1, 1)).count()  # fmt: skip
    # A date range in the words and one beside them both apply.
    assert search("date:1961", dates=(19620101, 19621231))["total"] == 0
    at = Visibility.read()
    asked = [Asked("Khrushchev"), Asked("", {"type": ["letter"]}), Asked("zzyzx")]
    assert counts(asked, at) == [search(a.text, a.filters)["total"] for a in asked]


def test_a_search_that_finds_nothing_says_what_to_relax_and_spells(volume) -> None:
    from readingroom.search.service import Asked, Visibility
    from readingroom.search.suggest import near_spelling, relaxations

    at = Visibility.read()
    asked = Asked("Khrushchev", {"type": ["letter"]}, dates=(19000101, 19001231))
    assert search(asked.text, asked.filters, dates=asked.dates)["total"] == 0
    relax = {r["part"]: r["total"] for r in relaxations(asked, at)}
    assert relax["dates"] == search("Khrushchev", {"type": ["letter"]})["total"] > 0
    assert relax["type"] == 0 and relax["q"] == 0
    spelled = near_spelling(Asked("Khruschev Berlin"), at)
    assert spelled is not None and spelled["query"] == "Khrushchev Berlin", spelled
    assert spelled["total"] == search("Khrushchev Berlin")["total"] > 0
    assert spelled["changed"] == [{"from": "Khruschev", "to": "Khrushchev"}]
    assert near_spelling(Asked("Khrushchev"), at) is None  # it finds documents already
    assert near_spelling(Asked("qqqqqqqq"), at) is None  # nothing near


def test_unpublished_and_embargoed_leave_the_index(volume, search_index, backend) -> None:
    seed = m.Document.objects.get(identifier="page-72ecfa0892306d99")
    seed.state = m.PublicationState.DRAFT
    seed.save()
    other = m.Document.objects.get(identifier="frus1961-63v06-d21")
    other.embargo_until = timezone.now() + timedelta(days=10)
    other.save()
    # Even before the worker ran, the results pass the gate again.
    assert "page-72ecfa0892306d99" not in identifiers(search("Havana partisans"))
    processed = search_index()  # the outbox, as the worker would process it
    # PostgreSQL's index changed inside the same transactions: nothing was left pending.
    assert processed >= 2 if backend == "tantivy" else processed == 0
    assert search("Havana partisans")["total"] == 0
    assert (
        search("frus1961-63v06-d21")["hits"][:1] == []
        or identifiers(search("frus1961-63v06-d21"))[0] != "frus1961-63v06-d21"
    )
    assert search("")["total"] == public_documents().count()


def test_search_page_and_json_twin(volume, client: Client) -> None:
    data = client.get("/search.json?q=Havana").json()
    assert data["total"] >= 1 and data["hits"][0]["identifier"] == "page-72ecfa0892306d99"
    assert "<b>" in data["hits"][0]["snippet"]
    page = client.get("/search/?q=Havana&type=letter")
    assert page.status_code == 200 and 'rel="alternate"' in page["Link"]


def test_a_page_of_hits_costs_the_same_queries_as_one_hit(volume, client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/search.json?q=Khrushchev&size=1")  # warm: sessions, vocabularies
    counted = []
    for size in (1, 20):
        with CaptureQueriesContext(connection) as queries:
            many = client.get(f"/search.json?q=Khrushchev&size={size}").json()
        counted.append(len(queries))
    # Not one or more per hit: the page's documents, where each matched and the facet
    # values' names cost a few queries, whatever the page's size.
    assert counted[0] == counted[1] <= 16, counted
    assert len(many["hits"]) == 20 and all(h["document_type"] for h in many["hits"])


def test_reindex_rebuilds_from_the_catalogue(volume) -> None:
    total = search("")["total"]
    call_command("reindex")
    assert search("")["total"] == total == public_documents().count()


def test_fields_and_sorts(volume) -> None:
    by_title = identifiers(search('title:"Soviet Report"'))
    assert by_title == ["page-72ecfa0892306d99"]
    assert search("person:Khrushchev")["total"] > 10
    assert search("place:Moscow")["total"] >= 1
    assert search("archive:88497")["total"] == 1
    assert search("type:letter")["total"] == search("", {"type": ["letter"]})["total"] > 0

    def dates(sort: str) -> list:
        return [h["document"].date_start for h in search("Khrushchev", sort=sort, size=50)["hits"]
                if h["document"].date_start]  # fmt: skip

    assert dates("date") == sorted(dates("date"))
    assert dates("-date") == sorted(dates("-date"), reverse=True)
    # Recently added: by when the public could first see it, newest first (the seeds,
    # imported after the volume, come first), then by record ID.
    added = [h["document"].pk for h in search("", sort="added", size=10)["hits"]]
    newest = with_visibility_times(public_documents()).order_by("-public_since", "-pk")
    assert added == list(newest.values_list("pk", flat=True)[:10])


def test_migrate_builds_a_missing_index(settings, tmp_path, seeded) -> None:
    from readingroom.search.backends.tantivy_backend import TantivyBackend
    from readingroom.search.indexer import build_missing_index

    settings.SEARCH_BACKEND = "tantivy"
    settings.HOME = tmp_path  # a site whose index of this schema version does not exist
    assert not TantivyBackend.path_for(tmp_path / "index" / "tantivy").exists()
    build_missing_index()
    assert TantivyBackend.path_for(tmp_path / "index" / "tantivy").exists()
    assert identifiers(search("Havana partisans")) == ["page-72ecfa0892306d99"]


def ids(text: str) -> set[str]:
    return set(identifiers(search(text, size=1000)))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # (query, how its result set follows from the results of single terms)
        ("Berlin OR Laos -Cuba", lambda r: (r("Berlin") | r("Laos")) - r("Cuba")),
        ("Berlin AND NOT Cuba", lambda r: r("Berlin") - r("Cuba")),
        ("Berlin OR Laos Khrushchev", lambda r: (r("Berlin") | r("Laos")) & r("Khrushchev")),
        ("Khrushchev (Berlin OR Laos)", lambda r: r("Khrushchev") & (r("Berlin") | r("Laos"))),
        ("NOT (Berlin OR Laos) Khrushchev",
         lambda r: r("Khrushchev") - r("Berlin") - r("Laos")),
        ("Berlin -title:telegram", lambda r: r("Berlin") - r("title:telegram")),
        ('"nuclear test" OR Laos', lambda r: r('"nuclear test"') | r("Laos")),
    ],
)
def test_and_or_not_combine_results_as_sets(volume, query, expected) -> None:
    """Both backends read AND, OR, NOT and -word the same way (search/boolean.py):
    the results of a combined query are the set algebra of its terms' results."""
    want = expected(ids)
    assert want, query  # a query with results, so the test says something
    assert ids(query) == want, query


def test_each_text_is_analyzed_in_its_own_language(search_index, make_document) -> None:
    # Short phrases written for this test: the corpus has no Russian text yet.
    document = make_document(title="Record of a conversation", summary="")
    m.Text.objects.create(document=document, kind="original", language_id="ru",
                          html="<p>Переговоры с министром внутренних дел о подготовке "
                               "партизанских отрядов</p>")  # fmt: skip
    m.Text.objects.create(document=document, kind="translation", language_id="en",
                          html="<p>Talks with the minister of internal affairs about "
                               "training partisan detachments</p>")  # fmt: skip
    make_document(title="Unrelated memo", summary="Nothing about that.")
    search_index()
    for query in ["министра", "отряды", "переговоров", "detachment", "trained partisans"]:
        assert identifiers(search(query)) == [document.identifier], query
    assert search("министерство отряды zzyzx")["total"] == 0


def test_accents_and_case_fold_on_both_backends(search_index, make_document) -> None:
    document = make_document(title="Khrushchëv's démarche on Berlin", summary="")
    search_index()
    for query in ["khrushchev demarche", "KHRUSHCHËV", "Démarche", "démarches"]:
        assert identifiers(search(query)) == [document.identifier], query


def test_date_ranges(volume) -> None:
    from readingroom.search.query import split_date_range

    assert split_date_range("Berlin date:1962")[1] == (19620101, 19621231)
    assert split_date_range("date:1962-02..1962-05-10")[1] == (19620201, 19620510)
    assert split_date_range("date:..1961")[1] == (None, 19611231)
    assert split_date_range("no range")[1] is None

    def dates(query: str) -> set:
        return {h["document"].date_start for h in search(query, size=500)["hits"]}

    in_1962 = dates("date:1962")
    assert in_1962 and all(d.year == 1962 for d in in_1962)
    expected = public_documents().filter(date_start__year=1962).count()
    assert search("date:1962")["total"] == expected
    october = dates("Khrushchev date:1962-10")
    assert october and all((d.year, d.month) == (1962, 10) for d in october)
    early = dates("date:..1961-03")
    assert early and all(d <= date(1961, 3, 31) for d in early)


# Only on PostgreSQL (the suite's second pass): the property is PostgreSQL's own.
if ON_POSTGRES:

    @pytest.mark.parametrize("backend", ["postgres"], indirect=True)
    def test_postgres_index_commits_and_rolls_back_with_the_catalogue(
        make_document, backend
    ) -> None:
        """On PostgreSQL the index is tables of the same database: a change is searchable
        inside its own transaction, with no worker, and a rollback takes it back out."""
        from django.db import transaction

        class Rollback(Exception):
            pass

        with pytest.raises(Rollback), transaction.atomic():
            make_document(title="Zanzibar protocol draft")
            assert search("Zanzibar")["total"] == 1  # before any commit or worker run
            raise Rollback
        assert search("Zanzibar")["total"] == 0
        make_document(title="Zanzibar protocol final")
        assert search("Zanzibar")["total"] == 1

    @pytest.mark.parametrize("backend", ["postgres"], indirect=True)
    @pytest.mark.parametrize("field", ["title", "person", "place", "archive"])
    def test_postgres_field_queries_use_their_expression_index(volume, backend, field) -> None:
        """`title:word` must not compute a tsvector per row: the backend's condition is
        the very expression the migration indexed, so the planner can use the index
        (shown with sequential scans off: a small test table never needs it)."""
        from django.db import connection

        from readingroom.search.backends.base import SearchQuery
        from readingroom.search.backends.postgres_backend import PostgresBackend

        where, params, _ = PostgresBackend()._where(SearchQuery(text=f"{field}:Khrushchev"))
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN SELECT count(*) FROM search_searchentry e WHERE {where}",
                           params)  # fmt: skip
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert f"search_entry_{field}_tsv" in plan, plan


def test_undated_records_sort_last_both_ways(make_document, search_index, client) -> None:
    for year in (1961, 1963):
        make_document(title=f"Dated memo {year}", date_start=date(year, 1, 1),
                      date_end=date(year, 1, 1))  # fmt: skip
    make_document(title="Undated memo", date_start=None, date_end=None,
                  date_precision="undated")  # fmt: skip
    search_index()
    oldest = [h["document"].title for h in search("memo", sort="date")["hits"]]
    newest = [h["document"].title for h in search("memo", sort="-date")["hits"]]
    assert oldest == ["Dated memo 1961", "Dated memo 1963", "Undated memo"]
    assert newest == ["Dated memo 1963", "Dated memo 1961", "Undated memo"]
    listed = [d["title"] for d in client.get("/documents.json").json()["results"]]
    assert listed == ["Dated memo 1961", "Dated memo 1963", "Undated memo"]
