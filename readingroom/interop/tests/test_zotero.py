"""Zotero reads our pages and files as they are: its own translation server, run against
the live site (a seed page, a FRUS document and a scanned NARA record), and its import
of our RIS and BibTeX."""

from __future__ import annotations

import pytest

from readingroom.interop.tests.conftest import HPPP
from readingroom.interop.tests.test_clients import ARCHIVES, DATES, TITLES
from readingroom.testing.zotero import import_file, zotero

pytestmark = [pytest.mark.zotero, pytest.mark.django_db(transaction=True)]


def test_zotero_saves_every_kind_of_page_as_a_manuscript(live_server, cited) -> None:
    # By address: translation-server takes an IP or a dotted host name, not "localhost".
    site = live_server.url.replace("localhost", "127.0.0.1")
    urls = {kind: f"{site}/documents/{d.identifier}/" for kind, d in cited.items()}
    found = zotero("zotero-web", "--attachments", *urls.values())
    for kind, url in urls.items():
        (item,) = found[url]
        assert item["itemType"] == "manuscript", kind
        assert item["title"] == TITLES[kind]  # without the site's name
        assert item["date"].replace("/", "-") == DATES[kind]
        assert (item["archive"], item["archiveLocation"]) == ARCHIVES[kind]
        assert item["language"] == "en"
        assert item["url"] == url
        pdfs = [a for a in item["attachments"] if a.get("mimeType") == "application/pdf"]
        assert len(pdfs) == (1 if kind == "nara" else 0), kind
    seed = found[urls["seed"]][0]
    assert seed["abstractNote"].startswith("Report on a conversation between the Cuban")
    nara = found[urls["nara"]][0]
    assert nara["callNumber"] == "104-10121-10174"
    assert nara["creators"] == []  # not "Agency, Central Intelligence" (embedded.py)
    frus = found[urls["frus"]][0]
    assert frus["rights"] == "https://creativecommons.org/publicdomain/mark/1.0/"
    assert [c["lastName"] for c in frus["creators"]] == ["Thompson"]


def test_zotero_imports_our_ris_and_bibtex(live_server, cited, client, tmp_path) -> None:
    for kind, document in cited.items():
        base = f"/documents/{document.identifier}"
        ris, bib = tmp_path / f"{kind}.ris", tmp_path / f"{kind}.bib"
        ris.write_bytes(client.get(f"{base}.ris").content)
        bib.write_bytes(client.get(f"{base}.bib").content)
        (item,) = import_file(ris)
        assert item["itemType"] == "manuscript" and item["title"] == TITLES[kind]
        assert (item["archive"], item["archiveLocation"]) == ARCHIVES[kind]
        assert item["date"] == DATES[kind]
        if kind == "nara":  # RIS names the agency as one name
            assert item["creators"] == [{"name": "Central Intelligence Agency",
                                         "creatorType": "author"}]  # fmt: skip
        assert item["libraryCatalog"] == HPPP
        # BibTeX's `note` (where the original is) becomes a child note of the item.
        item, *notes = import_file(bib)
        assert [n["itemType"] for n in notes] == ["note"]
        assert item["itemType"] == "manuscript", kind
        assert item["title"] == TITLES[kind]
        assert item["date"][:4] == DATES[kind][:4]
        assert item["url"] == f"http://testserver{base}/"
