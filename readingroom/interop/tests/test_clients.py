"""Every export read back by the clients researchers use, never by string search:
bibtexparser 2 (BibTeX and BibLaTeX), rispy (RIS), jsonschema with the CSL data schema
(CSL-JSON), lxml with the OAI Dublin Core schema, and extruct (the page's Dublin Core
and JSON-LD) beside lxml's HTML parser (Highwire and Zotero meta tags)."""

from __future__ import annotations

import json

import bibtexparser
import extruct
import pytest
import rispy
from django.test import Client
from jsonschema import Draft7Validator
from lxml import etree, html

from readingroom.conf import corpus
from readingroom.interop.tests import schemas

pytestmark = pytest.mark.django_db

SCHEMAS = corpus().parent / "schemas"
TITLES = {
    "seed": "Soviet Report on Havana's Plan to Train Latin American Partisans",
    "seed-000": "From the Journal of A.I. Alekseyev, 'Record of a Conversation with Raul Castro "
                "Ruz, Minister of the Armed Forces of the Republic of Cuba, 25 February 1963'",
    "frus": "Telegram From the Embassy in the Soviet Union to the Department of State",
    "nara": "DAMAGE REPORT",
}
ARCHIVES = {
    "seed": ("Archive of the Federal Intelligence Service of the Russian Federation",
             "File 88497, vol 1"),
    "seed-000": ("Archive of Foreign Policy of the Russian Federation",
                 "f. 0104, op. 19, p. 124, d. 3, l. 89"),
    "frus": ("U.S. Department of State", "Department of State, Central Files, 101/5-1862"),
    "nara": ("U.S. National Archives and Records Administration",
             "JFK Assassination Records Collection, Record Number 104-10121-10174"),
}  # fmt: skip
DATES = {"seed": "1962-04-14", "seed-000": "1963-04-05", "frus": "1962-05-18",
         "nara": "1963-01-01"}  # fmt: skip


def get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_bibtex_and_biblatex_parse_with_bibtexparser(cited, client: Client) -> None:
    for kind, document in cited.items():
        for style in ("bibtex", "biblatex"):
            text = get(client, f"/documents/{document.identifier}/cite/?style={style}&format=text")
            library = bibtexparser.parse_string(text)
            assert library.failed_blocks == [], (kind, style)
            (entry,) = library.entries
            assert entry.entry_type == "unpublished" and entry.key == document.identifier
            assert entry["title"].strip("{}") == TITLES[kind].strip("{}")
            assert entry["url"] == f"http://testserver/documents/{document.identifier}/"
            if style == "biblatex":
                assert entry["date"] == DATES[kind]
                assert entry["library"] == ARCHIVES[kind][0]
            else:
                assert entry["year"] == DATES[kind][:4]
    nara = bibtexparser.parse_string(get(client, f"/documents/{cited['nara'].identifier}.bib"))
    assert nara.entries[0]["author"] == "{Central Intelligence Agency}"  # one corporate name


def test_ris_reads_back_with_rispy(cited, client: Client) -> None:
    for kind, document in cited.items():
        (entry,) = rispy.loads(get(client, f"/documents/{document.identifier}.ris"))
        assert entry["type_of_reference"] == "MANSCPT"
        assert entry["title"] == TITLES[kind]
        assert entry["date"] == DATES[kind].replace("-", "/") + "/"
        assert (entry["name_of_database"], entry["accession_number"]) == ARCHIVES[kind]
        assert entry["urls"] == [f"http://testserver/documents/{document.identifier}/"]
        assert entry["language"] == "en"
    nara = rispy.loads(get(client, f"/documents/{cited['nara'].identifier}.ris"))[0]
    assert nara["call_number"] == "104-10121-10174"
    assert nara["authors"] == ["Central Intelligence Agency"]
    assert nara["file_attachments1"].endswith("/104-10121-10174.pdf")
    frus = rispy.loads(get(client, f"/documents/{cited['frus'].identifier}.ris"))[0]
    assert frus["authors"] == ["Thompson, Llewellyn E., Jr."]
    assert frus["secondary_authors"] == ["Sampson, Charles S.", "Joyce, John Michael"]
    assert frus["type_of_work"] == "Telegram"


def test_csl_json_is_valid_csl_data(cited, client: Client) -> None:
    validator = Draft7Validator(json.loads((SCHEMAS / "csl" / "csl-data.json").read_text()))
    for kind, document in cited.items():
        items = json.loads(get(client, f"/documents/{document.identifier}.csl.json"))
        errors = [e.message for e in validator.iter_errors(items)]
        assert errors == [], (kind, errors)
        (item,) = items
        assert (item["type"], item["title"]) == ("manuscript", TITLES[kind])
        assert (item["archive"], item["archive_location"]) == ARCHIVES[kind]
        assert item["issued"]["date-parts"] == [[int(p) for p in DATES[kind].split("-")]]
    frus = json.loads(get(client, f"/documents/{cited['frus'].identifier}.csl.json"))[0]
    assert frus["editor"][0] == {"family": "Sampson", "given": "Charles S."}
    assert frus["container-title"].endswith("Volume V, Soviet Union")


def test_dublin_core_is_valid_oai_dc(cited, client: Client) -> None:
    schema = schemas.oai_dc()
    for kind, document in cited.items():
        text = get(client, f"/documents/{document.identifier}/cite/?style=dublin-core&format=text")
        record = etree.fromstring(text.encode())
        assert schema.validate(record), (kind, schema.error_log)
        dc = "{http://purl.org/dc/elements/1.1/}"
        assert record.findtext(f"{dc}title") == TITLES[kind]
        assert record.findtext(f"{dc}date") == DATES[kind]


def _meta(page: str) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for meta in html.fromstring(page).xpath("//head/meta[@name]"):
        tags.setdefault(meta.get("name"), []).append(meta.get("content"))
    return tags


def test_document_pages_embed_metadata_that_extractors_read(cited, client: Client) -> None:
    for kind, document in cited.items():
        url = f"http://testserver/documents/{document.identifier}/"
        page = get(client, url)
        meta = _meta(page)
        assert meta["citation_title"] == [TITLES[kind]]
        assert meta["citation_date"] == [DATES[kind].replace("-", "/")]
        assert meta["citation_language"] == ["en"]
        assert meta["citation_abstract_html_url"] == [url]
        assert meta["DC.type"] == ["manuscript"]
        assert meta["DC.coverage"] == [ARCHIVES[kind][1]]
        assert meta["z.archive"] == [ARCHIVES[kind][0]]
        assert "Z3988" not in page  # no COinS: Zotero would read nothing else
        data = extruct.extract(page, base_url=url, syntaxes=["json-ld", "dublincore"])
        (ld,) = data["json-ld"]
        assert (ld["@type"], ld["name"], ld["url"]) == ("ArchiveComponent", TITLES[kind], url)
        assert ld["holdingArchive"]["name"] == ARCHIVES[kind][0]
        assert ld["dateCreated"] == DATES[kind]
        dc = {e["name"].lower(): e["content"] for e in data["dublincore"][0]["elements"]}
        assert dc["dc.title"] == TITLES[kind] and dc["dc.date"] == DATES[kind]
    seed = _meta(get(client, f"/documents/{cited['seed'].identifier}/"))
    assert seed["citation_abstract"][0].startswith("Report on a conversation")
    assert "citation_pdf_url" not in seed  # its PDF was not captured: none is claimed
    nara = _meta(get(client, f"/documents/{cited['nara'].identifier}/"))
    assert nara["citation_pdf_url"][0].endswith("/104-10121-10174.pdf")
    assert "citation_author" not in nara and "DC.creator" not in nara  # see embedded.py
    assert nara["z.callNumber"] == ["104-10121-10174"]
    frus = _meta(get(client, f"/documents/{cited['frus'].identifier}/"))
    assert frus["citation_author"] == ["Thompson, Llewellyn E., Jr."]
    assert frus["DC.rights"][0] == "https://creativecommons.org/publicdomain/mark/1.0/"
