"""The citation URLs over real HTTP: suffix routes before `.json` (identifiers hold
dots), the gate in front of every one, fragments and text by Accept, downloads."""

from __future__ import annotations

import pytest
from django.test import Client

from readingroom.catalogue import models as m
from readingroom.interop.formats.registry import FORMATS

pytestmark = pytest.mark.django_db


def test_suffix_routes_win_over_json_for_a_dotted_identifier(make_document, client) -> None:
    dotted = make_document(identifier="rg.59.box-3.f.12")
    # A document whose identifier is the dotted one plus a suffix's first part: the
    # `.csl.json` route must not hand `rg.59.box-3.f.12.csl` to the JSON view.
    routes = [(".ris", "application/x-research-info-systems"),
              (".bib", "application/x-bibtex"),
              (".csl.json", "application/vnd.citationstyles.csl+json")]  # fmt: skip
    for suffix, media_type in routes:
        response = client.get(f"/documents/{dotted.identifier}{suffix}")
        assert response.status_code == 200, suffix
        assert response["Content-Type"].startswith(media_type)
        assert f'filename="{dotted.identifier}{suffix}"' in response["Content-Disposition"]
        assert dotted.title in response.content.decode()
    assert client.get(f"/documents/{dotted.identifier}.json").json()["identifier"] == (
        dotted.identifier
    )
    csl = client.get(f"/documents/{dotted.identifier}.csl.json").json()
    assert csl[0]["id"] == dotted.identifier and csl[0]["type"] == "manuscript"


@pytest.mark.parametrize(
    "state", [{"state": "draft"}, {"state": "withdrawn", "withdrawn_reason": "Returned"}]
)
def test_hidden_documents_have_no_citation_for_the_public(
    make_document, client: Client, editor_client: Client, state
) -> None:
    hidden = make_document(**state)
    urls = [f"/documents/{hidden.identifier}{f.suffix}" for f in FORMATS if f.route]
    urls += [f"/documents/{hidden.identifier}/cite/"]
    urls += [f"/documents/{hidden.identifier}/cite/?style={f.name}" for f in FORMATS]
    urls += [f"/documents/{hidden.identifier}/cite/?style=ris&download=1"]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert editor_client.get(url).status_code == 200, url


def test_an_embargoed_document_is_hidden_until_its_embargo_ends(make_document, client) -> None:
    from datetime import timedelta

    from django.utils import timezone

    d = make_document(embargo_until=timezone.now() + timedelta(days=1))
    assert client.get(f"/documents/{d.identifier}.ris").status_code == 404
    m.Document.objects.filter(pk=d.pk).update(embargo_until=timezone.now() - timedelta(days=1))
    assert client.get(f"/documents/{d.identifier}.ris").status_code == 200


def test_fragment_by_default_text_by_accept_or_format(make_document, client: Client) -> None:
    d = make_document()
    url = f"/documents/{d.identifier}/cite/"
    html = client.get(url, {"style": "mla"})
    assert html["Content-Type"].startswith("text/html")
    assert html.content.decode().startswith('<p class="citation" data-style="mla">')
    assert "<html" not in html.content.decode()  # a fragment, for the page's script
    assert "Accept" in html["Vary"]
    text = client.get(url, {"style": "mla"}, headers={"accept": "text/plain"})
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert text.content.decode().startswith("“Test document")
    assert client.get(url, {"style": "mla", "format": "text"}).content == text.content
    # Browsers ask for HTML first and get it.
    browser = client.get(url, {"style": "mla"}, headers={"accept": "text/html,*/*;q=0.8"})
    assert browser["Content-Type"].startswith("text/html")
    assert client.get(url, {"style": "no-such-style"}).status_code == 400


def test_every_format_downloads_as_a_file_named_after_the_document(make_document, client) -> None:
    d = make_document()
    for f in FORMATS:
        response = client.get(f"/documents/{d.identifier}/cite/", {"style": f.name,
                                                                   "download": "1"})  # fmt: skip
        assert response.status_code == 200
        assert response["Content-Type"] == f.media_type
        assert response["Content-Disposition"] == (
            f'attachment; filename="{f.filename(d.identifier)}"'
        )


def test_the_plain_page_lists_every_format_with_its_download(make_document, client) -> None:
    from lxml import html

    d = make_document()
    page = html.fromstring(client.get(f"/documents/{d.identifier}/cite/").content)
    assert [li.get("id") for li in page.xpath("//li[@class='citation-format']")] == [
        f"format-{f.name}" for f in FORMATS
    ]
    for f in FORMATS:
        link = page.xpath(f"//li[@id='format-{f.name}']//a[@download]")[0]
        assert client.get(link.get("href")).status_code == 200
