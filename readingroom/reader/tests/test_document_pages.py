"""The seed documents, imported by the real importer from the real corpus, read back
through real HTTP: each page and its JSON twin show every field the seed holds."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import html

pytestmark = pytest.mark.django_db


def page_text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    # Text nodes joined by spaces, as a reader sees separate elements.
    body = html.fromstring(response.content).body
    return " ".join(" ".join(body.itertext()).split())


def test_both_seeds_are_listed(seeded, client: Client) -> None:
    data = client.get("/documents.json").json()
    assert data["count"] == 2
    assert {r["identifier"] for r in data["results"]} == {d.identifier for d in seeded.values()}
    listing = page_text(client, "/documents/")
    for document in seeded.values():
        assert document.title in listing


def test_seed_000_json(seeded, client: Client) -> None:
    data = client.get(f"/documents/{seeded['000'].identifier}.json").json()
    assert data["date"]["start"] == "1963-04-05" and data["date"]["precision"] == "day"
    assert data["title"].startswith("From the Journal of A.I. Alekseyev")
    assert data["funders"] == ["Blavatnik Family Foundation"]
    assert data["funder_line"].endswith("Blavatnik Family Foundation")
    assert data["classification"]["label"] == "Top Secret"
    assert data["classification"]["caveats"] == ["Copy Nº 1"]
    assert {"scheme": "Outgoing number", "value": "119"} in data["identifiers"]
    assert data["document_type"]["label"] == "Memorandum of Conversation"
    ref = data["archival_references"][0]
    assert ref["as_written"] == "AVP RF, f. 0104, op. 19, p. 124, d. 3, l. 89"
    assert ref["repository"]["name"] == "Archive of Foreign Policy of the Russian Federation"
    assert ref["parts"] == {"fond": "0104", "opis": "19", "papka": "124", "delo": "3", "list": "89"}
    roles = {(c["role"], c["name"]) for c in data["contributors"]}
    assert roles == {("obtained-by", "James G. Hershberg"), ("translated-by", "Gary Goldberg")}
    assert data["rights"]["text"].startswith("The History and Public Policy Program welcomes")
    assert data["rights"]["uri"] is None  # the page gives no statement URI: not invented
    assert data["source"]["record_id"] is None and data["source"]["uploaded_on"] is None
    assert data["summary"].startswith("Raul Castro discusses")
    assert len(data["texts"]) == 1 and data["texts"][0]["translator"] == "Gary Goldberg"
    assert "Raul Castro" in data["texts"][0]["html"]
    assert data["files"] == []


def test_seed_003_json(seeded, client: Client) -> None:
    data = client.get(f"/documents/{seeded['003'].identifier}.json").json()
    assert data["title"] == "Soviet Report on Havana's Plan to Train Latin American Partisans"
    assert data["date"]["start"] == "1962-04-14"
    assert data["funders"] == ["Leon Levy Foundation"]
    assert data["classification"]["label"] == "Top Secret"
    ref = data["archival_references"][0]
    assert ref["as_written"] == (
        "Archive of the Federal Intelligence Service of the Russian Federation, File 88497, vol 1"
    )
    assert ref["parts"] == {"file": "88497", "volume": "1"}
    assert data["texts"][0]["language"] == {
        "code": "en", "name": "English", "native_name": "English", "direction": "ltr"}  # fmt: skip
    assert data["texts"][0]["format_label"] == "HTML"
    assert data["summary"].startswith("Report on a conversation between the Cuban Minister")
    assert data["source"]["citation_as_written"].startswith('"Soviet Report on Havana')
    # What 003 lacks is shown as not recorded, never invented.
    assert data["document_type"] is None
    assert data["rights"] == {"uri": None, "label": None, "text": None}
    assert data["contributors"] == []
    # Its PDF viewer is known, the file itself was not captured.
    assert len(data["files"]) == 1 and data["files"][0]["held"] is False


def test_seed_000_page_shows_every_field(seeded, client: Client) -> None:
    text = page_text(client, f"/documents/{seeded['000'].identifier}/")
    for expected in [
        "April 5, 1963",
        "From the Journal of A.I. Alekseyev",
        "This document was made possible with support from Blavatnik Family Foundation",
        "Raul Castro discusses an initiative",
        "Copy citation",
        "Cite in other formats",
        "Share document",
        "Top Secret",
        "Copy Nº 1",
        "Outgoing number 119",
        "Memorandum of Conversation",
        "AVP RF, f. 0104, op. 19, p. 124, d. 3, l. 89",
        "Archive of Foreign Policy of the Russian Federation",
        "Obtained by James G. Hershberg",
        "Translated by Gary Goldberg",
        "welcomes reuse of Digital Archive materials",
        "Original uploaded date Not recorded",
        "English HTML · Translation",
    ]:
        assert expected in text, expected


def test_seed_003_page_shows_every_field(seeded, client: Client) -> None:
    text = page_text(client, f"/documents/{seeded['003'].identifier}/")
    for expected in [
        "April 14, 1962",
        "Soviet Report on Havana's Plan to Train Latin American Partisans",
        "This document was made possible with support from Leon Levy Foundation",
        "Archive of the Federal Intelligence Service of the Russian Federation, File 88497, vol 1",
        "English HTML",
        "Top Secret",
        "Document type Not recorded",
        "Rights Not recorded",
        "not in the capture",
    ]:
        assert expected in text, expected


def test_pages_advertise_their_json_twin(seeded, client: Client) -> None:
    for url in ["/documents/", f"/documents/{seeded['000'].identifier}/"]:
        response = client.get(url)
        assert 'rel="alternate"' in response["Link"]
        twin = response["Link"].split(">")[0].lstrip("<")
        assert client.get(twin)["Content-Type"] == "application/json"


def test_listing_json_is_paged_with_next_links(client: Client, make_document, settings) -> None:
    settings.PAGE_SIZE = 2
    for _ in range(5):
        make_document()
    seen, url, pages = [], "/documents.json", 0
    while url:
        data = client.get(url).json()
        assert data["count"] == 5
        seen += [r["identifier"] for r in data["results"]]
        url, pages = data["next"], pages + 1
    assert pages == 3 and len(seen) == len(set(seen)) == 5


def test_unknown_document_is_404(client: Client, db) -> None:
    assert client.get("/documents/no-such-document/").status_code == 404
    assert client.get("/documents/no-such-document.json").status_code == 404


def test_search_box_filters_the_listing(seeded, client: Client) -> None:
    data = client.get("/documents.json?q=Havana").json()
    assert [r["identifier"] for r in data["results"]] == [seeded["003"].identifier]
