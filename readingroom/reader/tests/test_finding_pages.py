"""The pages researchers find documents with, read through real HTTP on the real corpus:
every link of a results page keeps the rest of the request, bad input is a 400 that
says why, the home page's counts are the search's, an index page counts public
documents and finds other names, and a document goes to its neighbours in its volume."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import public_documents
from readingroom.conf import corpus
from readingroom.reader import neighbours
from readingroom.reader.tests.test_scanned_records import LIST_2023
from readingroom.search.service import search

pytestmark = pytest.mark.django_db
FRUS = corpus() / "frus"


@pytest.fixture
def volume(search_index) -> None:
    call_command("import", "frus", str(FRUS / "frus1961-63v06.xml"), no_progress=True)
    call_command("import", "pages", str(corpus() / "seeds"), no_progress=True)
    search_index()


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_every_link_keeps_the_rest_of_the_request(volume, client: Client) -> None:
    asked = {"q": "Khrushchev", "type": "letter", "sort": "date", "from": "1961", "size": "10"}
    data = client.get("/search.json", asked).json()
    assert data["total"] > 0 and data["dates"] == {"from": "1961", "to": ""}

    def keeps(url: str, *changed: str) -> None:
        params = query_of(url)
        assert "page" not in params, url  # any change but paging goes back to page one
        for name, value in asked.items():
            if name not in changed:
                assert params.get(name) == [value], (url, name)

    for facet in data["facets"]:
        for value in facet["values"]:
            keeps(value["url"], facet["name"])
            toggled = query_of(value["url"]).get(facet["name"], [])
            assert (value["value"] in toggled) != value["selected"], value
        if facet["more_url"]:
            keeps(facet["more_url"])
    for chip in data["chips"]:
        keeps(chip["url"], {"Words": "q", "Dates": "from", "Document type": "type"}[chip["label"]])
    for sort in data["sorts"]:
        keeps(sort["url"], "sort")
    for bar in data["chart"]["bars"]:
        if bar["url"]:
            keeps(bar["url"], "from", "to")
    for number in data["pages"]["links"]:
        if not number.get("gap") and number["number"] > 1:
            assert query_of(number["url"])["page"] == [str(number["number"])]
            assert query_of(number["url"])["type"] == ["letter"]
    # The HTML carries the same links, and forms carry the rest as hidden fields.
    html = client.get("/search/", asked).content.decode()
    assert 'name="type" value="letter"' in html and 'name="sort" value="date"' in html


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("/search/?from=1962-13", "no month 13"),
        ("/search.json?from=1963&to=1962", "after"),
        ("/search.json?from=62", "not a year"),
        ("/search.json?within=nothing", "within="),
        ("/search.json?sort=name", "sort="),
        ("/people/?letter=KK", "letter="),
        ("/people.json?sort=relevance", "sort="),
    ],
)
def test_bad_input_is_a_400_that_says_why(db, client: Client, url: str, says: str) -> None:
    response = client.get(url)
    assert response.status_code == 400 and says in response.content.decode(), url


def test_the_home_page_counts_as_search_does(volume, client: Client) -> None:
    data = client.get("/home.json").json()
    assert data["total"] == public_documents().count()
    frus = next(c for c in data["collections"] if c["identifier"] == "frus")
    assert frus["documents"] == search("", {"collection": ["frus"]})["total"] == 120
    assert [p["identifier"] for p in frus["parts"]] == ["frus1961-63v06"]
    recent = [d["identifier"] for d in data["recent"]]
    assert recent == [h["document"].identifier for h in search("", sort="added", size=8)["hits"]]
    years = {b["label"]: b["count"] for b in data["years"]["bars"]}
    assert sum(years.values()) == public_documents().exclude(date_start=None).count()
    types = {t["value"]: t["count"] for t in data["by_type"]}
    assert types == dict(search("", facets=("type",))["facets"]["type"]["values"])
    assert all(t["label"] != t["value"] for t in data["by_type"])  # labels, not slugs


def test_index_pages_count_public_documents_and_find_names(search_index, client: Client) -> None:
    call_command("import", "nara-jfk", str(LIST_2023), no_progress=True)
    search_index()
    data = client.get("/organizations.json").json()
    names = [e["name"] for e in data["results"]]
    assert names == sorted(names, key=lambda n: n.lstrip("(\"'").casefold()), names
    cia = next(e for e in data["results"] if e["name"] == "Central Intelligence Agency")
    agent = m.Agent.objects.get(pk=cia["id"])
    public = public_documents().filter(agent_links__agent=agent).distinct().count()
    assert cia["documents"] == public > 1000
    assert [e["name"] for e in client.get("/organizations.json?q=CIA").json()["results"]][:1] \
        == ["Central Intelligence Agency"]  # fmt: skip
    by_count = client.get("/organizations.json?sort=count").json()["results"]
    assert by_count[0]["name"] == "Central Intelligence Agency"
    letter = client.get("/organizations.json?letter=C").json()
    assert letter["count"] == next(a["count"] for a in data["letters"] if a["letter"] == "C")
    assert all(e["name"].upper().lstrip("(").startswith("C") for e in letter["results"])
    # The organization's page: its documents through search, by date, a page at a time.
    page = client.get(f"/agents/{agent.pk}.json?size=20&page=2").json()
    assert page["total"] == public and len(page["documents"]) == 20
    assert page["kind"] == "organizations" and "CIA" in page["other_names"]
    assert all("Originating agency" in d["roles"] for d in page["documents"])
    facet = client.get("/search/facets/organizations.json?size=5").json()
    assert facet["distinct"] == data["count"] and len(facet["values"]) == 5
    assert facet["values"][0]["label"] == "Central Intelligence Agency"


def test_a_document_goes_to_its_neighbours_in_one_collection(db, client: Client) -> None:
    """A collection without chapters (a reading list, a release group) is ordered by
    the database, by position then row, the hidden skipped."""
    call_command("import", "frus", str(FRUS / "frus1961-63v15.xml"), no_progress=True)
    ids = [f"frus1961-63v15-d{n}" for n in (1, 2, 3, 4, 5)]
    docs = {d.identifier: d for d in m.Document.objects.filter(identifier__in=ids)}
    group = m.Collection.objects.create(identifier="reading-list", title="A list", kind="group")
    for identifier, position in zip(ids, (2, 0, 2, 1, 3), strict=True):  # ties: by row
        m.CollectionMember.objects.create(collection=group, document=docs[identifier],
                                          position=position)  # fmt: skip

    def around(identifier: str) -> tuple[str | None, str | None]:
        data = client.get(f"/documents/{identifier}.json").json()
        (here,) = [n for n in data["neighbours"]
                   if n["collection"]["identifier"] == group.identifier]  # fmt: skip
        return tuple((here[k] or {}).get("identifier") for k in ("previous", "next"))

    # Read in order: d2 (0), d4 (1), d1 (2), d3 (2), d5 (3).
    assert around(ids[0]) == (ids[3], ids[2])
    assert around(ids[1]) == (None, ids[3])
    assert around(ids[4]) == (ids[2], None)
    hidden = docs[ids[2]]
    hidden.state = m.PublicationState.DRAFT
    hidden.save()
    assert around(ids[0]) == (ids[3], ids[4])


@pytest.mark.parametrize("small", [neighbours.SMALL, 5], ids=["read-whole", "database-ordered"])
def test_a_document_goes_to_its_neighbours_across_chapters(db, client: Client, small: int,
                                                           monkeypatch) -> None:  # fmt: skip
    """Both ways of ordering a tree: read whole (a volume), or by the database (a tree
    bigger than neighbours.SMALL)."""
    monkeypatch.setattr(neighbours, "SMALL", small)
    call_command("import", "frus", str(FRUS / "frus1961-63v15.xml"), no_progress=True)
    last_of_first = (m.CollectionMember.objects.filter(collection__identifier="frus1961-63v15-ch1")
                     .order_by("-position").first().document)  # fmt: skip
    data = client.get(f"/documents/{last_of_first.identifier}.json").json()
    (around,) = data["neighbours"]
    assert around["collection"]["identifier"] == "frus1961-63v15"
    number = int(around["previous"]["number"])
    assert int(around["next"]["number"]) == number + 2  # by document number, into chapter 2
    first = client.get("/documents/frus1961-63v15-d1.json").json()["neighbours"][0]
    assert first["previous"] is None and first["next"]["identifier"] == "frus1961-63v15-d2"
    # A hidden neighbour is skipped.
    hidden = m.Document.objects.get(identifier="frus1961-63v15-d2")
    hidden.state = m.PublicationState.DRAFT
    hidden.save()
    first = client.get("/documents/frus1961-63v15-d1.json").json()["neighbours"][0]
    assert first["next"]["identifier"] == "frus1961-63v15-d3"
