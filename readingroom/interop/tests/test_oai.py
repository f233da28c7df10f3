"""OAI-PMH: every verb and every error condition of the protocol, each answer validated
against OAI-PMH.xsd with oai_dc.xsd, oai-identifier.xsd and the archive's own record
schema (offline); resumption by keyset while records change; deleted records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from readingroom.catalogue import models as m
from readingroom.interop.oai import tokens
from readingroom.interop.tests import schemas

pytestmark = pytest.mark.django_db

NS = "{http://www.openarchives.org/OAI/2.0/}"
PREFIX = "oai:readingroom.invalid:"


def oai(client: Client, method: str = "get", **params) -> etree._Element:
    response = getattr(client, method)("/oai", params)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    return schemas.valid(schemas.oai_pmh(), response.content)


def error(root: etree._Element) -> str | None:
    found = root.find(f"{NS}error")
    return found.get("code") if found is not None else None


@pytest.fixture
def catalogue(make_document) -> dict[str, m.Document]:
    archive = m.Repository.objects.create(name="Archive of Foreign Policy 2", abbreviation="AVP")
    series = m.Collection.objects.create(identifier="series", title="A series")
    volume = m.Collection.objects.create(identifier="volume", title="A volume", parent=series)
    docs = {name: make_document(identifier=f"oai-{name}", title=f"Record {name}")
            for name in ("a", "b", "c", "d", "e")}  # fmt: skip
    m.CollectionMember.objects.create(collection=volume, document=docs["a"])
    m.ArchivalReference.objects.create(document=docs["b"], repository=archive,
                                       as_written="AVP RF, f. 0104", fond="0104")  # fmt: skip
    never = make_document(identifier="oai-never", state=m.PublicationState.DRAFT)
    return {**docs, "never": never}


def _archive() -> m.Repository:
    return m.Repository.objects.get(name="Archive of Foreign Policy 2")


def test_every_verb_validates_and_says_what_it_should(catalogue, client: Client) -> None:
    identify = oai(client, verb="Identify").find(f"{NS}Identify")
    assert identify.findtext(f"{NS}deletedRecord") == "persistent"
    assert identify.findtext(f"{NS}granularity") == "YYYY-MM-DDThh:mm:ssZ"
    formats = oai(client, verb="ListMetadataFormats")
    assert [p.text for p in formats.iter(f"{NS}metadataPrefix")] == ["oai_dc", "readingroom"]
    schema_url = [s.text for s in formats.iter(f"{NS}schema")][1]
    assert client.get(schema_url.replace("http://testserver", "")).status_code == 200
    sets = oai(client, verb="ListSets")
    assert [s.text for s in sets.iter(f"{NS}setSpec")] == [
        "collection", "collection:series", "collection:series:volume", "repository",
        f"repository:{_archive().pk}"]  # fmt: skip
    for prefix in ("oai_dc", "readingroom"):
        record = oai(client, verb="GetRecord", identifier=PREFIX + "oai-a", metadataPrefix=prefix)
        assert [s.text for s in record.iter(f"{NS}setSpec")] == ["collection:series:volume"]
        assert "Record a" in etree.tostring(record, encoding="unicode")
        listed = oai(client, verb="ListRecords", metadataPrefix=prefix)
        assert len(listed.findall(f".//{NS}record")) == 5  # never the draft
    headers = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="collection:series")
    assert [h.text for h in headers.iter(f"{NS}identifier")] == [PREFIX + "oai-a"]
    in_archive = oai(client, "post", verb="ListIdentifiers", metadataPrefix="oai_dc",
                     set=f"repository:{_archive().pk}")  # fmt: skip
    assert [h.text for h in in_archive.iter(f"{NS}identifier")] == [PREFIX + "oai-b"]


def test_every_error_condition_of_the_protocol(catalogue, client: Client) -> None:
    bad = {
        "badVerb": [{}, {"verb": "Nonsense"}, {"verb": ["Identify", "Identify"]}],
        "badArgument": [
            {"verb": "Identify", "extra": "1"},
            {"verb": "GetRecord", "identifier": PREFIX + "oai-a"},  # no metadataPrefix
            {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]},
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-13-45"},
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2020-01-01",
             "until": "2020-01-01T00:00:00Z"},  # two granularities
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2021-01-01",
             "until": "2020-01-01"},
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "collection:nowhere"},
        ],
        "badResumptionToken": [{"verb": "ListRecords", "resumptionToken": "forged"},
                               {"verb": "ListSets", "resumptionToken": "forged"}],
        "cannotDisseminateFormat": [
            {"verb": "ListRecords", "metadataPrefix": "marc21"},
            {"verb": "GetRecord", "identifier": PREFIX + "oai-a", "metadataPrefix": "mods"}],
        "idDoesNotExist": [
            {"verb": "GetRecord", "identifier": PREFIX + "oai-never", "metadataPrefix": "oai_dc"},
            {"verb": "GetRecord", "identifier": "oai:elsewhere.org:oai-a",
             "metadataPrefix": "oai_dc"},
            {"verb": "ListMetadataFormats", "identifier": PREFIX + "nothing"}],
        "noRecordsMatch": [{"verb": "ListRecords", "metadataPrefix": "oai_dc",
                            "until": "2000-01-01"}],
    }  # fmt: skip
    for code, requests in bad.items():
        for params in requests:
            root = oai(client, **params)
            assert error(root) == code, (params, etree.tostring(root))
            request = root.find(f"{NS}request")
            if code in ("badVerb", "badArgument"):
                assert not request.attrib, params  # the protocol: echo no arguments
    # A record that was public and is not: no metadata to list formats of.
    withdrawn = catalogue["c"]
    withdrawn.state, withdrawn.withdrawn_reason = m.PublicationState.WITHDRAWN, "Error"
    withdrawn.save()
    root = oai(client, verb="ListMetadataFormats", identifier=PREFIX + "oai-c")
    assert error(root) == "noMetadataFormats"
    # A repository with no collection and no holding archive has no sets.
    m.Collection.objects.all().delete()
    m.ArchivalReference.objects.all().delete()
    for params in ({"verb": "ListSets"},
                   {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "collection"}):
        assert error(oai(client, **params)) == "noSetHierarchy", params  # fmt: skip


def test_an_expired_token_is_refused(catalogue, client: Client, settings) -> None:
    settings.OAI_PAGE_SIZE = 2
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.findtext(f".//{NS}resumptionToken")
    settings.OAI_TOKEN_HOURS = 0
    assert tokens.lifetime() == timedelta(0)
    again = oai(client, verb="ListIdentifiers", resumptionToken=token)
    assert error(again) == "badResumptionToken"


def _harvest(client: Client, **params) -> tuple[list[tuple[str, bool]], list[dict]]:
    """(identifier, deleted) of every header, through the tokens; and each token's
    attributes."""
    seen, tokens_seen = [], []
    root = oai(client, verb="ListIdentifiers", **params)
    while True:
        assert error(root) is None, etree.tostring(root)
        for h in root.iter(f"{NS}header"):
            seen.append((h.findtext(f"{NS}identifier").removeprefix(PREFIX),
                         h.get("status") == "deleted"))  # fmt: skip
        token = root.find(f".//{NS}resumptionToken")
        if token is None:
            return seen, tokens_seen
        tokens_seen.append(dict(token.attrib))
        if not token.text:
            return seen, tokens_seen
        root = oai(client, verb="ListIdentifiers", resumptionToken=token.text)


def test_tokens_hold_while_records_change_and_deletions_are_reported(
    catalogue, client: Client, settings
) -> None:
    settings.OAI_PAGE_SIZE = 2
    hour_ago = timezone.now() - timedelta(hours=1)
    for n, document in enumerate(catalogue.values()):  # changed an hour ago, in this order
        m.Document.objects.filter(pk=document.pk).update(
            modified_at=hour_ago + timedelta(seconds=n))  # fmt: skip
    seen, attrs = _harvest(client, metadataPrefix="oai_dc")
    assert [i for i, _ in seen] == [f"oai-{n}" for n in "abcde"]
    assert [a.get("cursor") for a in attrs] == ["0", "2", "4"]
    assert {a.get("completeListSize") for a in attrs} == {"5"}
    assert "expirationDate" in attrs[0] and "expirationDate" not in attrs[-1]

    # During a harvest: a record not yet sent changes, one already sent is withdrawn.
    started = datetime.now(UTC).replace(microsecond=0)
    root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = root.findtext(f".//{NS}resumptionToken")
    d, a = catalogue["d"], catalogue["a"]
    d.title = "Corrected"
    d.save()
    a.state, a.withdrawn_reason = m.PublicationState.WITHDRAWN, "Privacy"
    a.save()
    rest = []
    while token:
        page = oai(client, verb="ListIdentifiers", resumptionToken=token)
        rest += [(h.findtext(f"{NS}identifier").removeprefix(PREFIX), h.get("status"))
                 for h in page.iter(f"{NS}header")]  # fmt: skip
        token = page.findtext(f".//{NS}resumptionToken")
    # c and e once each; d moved to the end (changed); a reported deleted at its change.
    assert rest == [("oai-c", None), ("oai-e", None), ("oai-d", None), ("oai-a", "deleted")]

    # The next incremental harvest from the first one's start has exactly the changes.
    since, _ = _harvest(client, metadataPrefix="oai_dc", **{"from": started.strftime(
        "%Y-%m-%dT%H:%M:%SZ")})  # fmt: skip
    assert since == [("oai-d", False), ("oai-a", True)]
    record = oai(client, verb="GetRecord", identifier=PREFIX + "oai-a", metadataPrefix="oai_dc")
    assert record.find(f".//{NS}header").get("status") == "deleted"
    assert record.find(f".//{NS}metadata") is None


def test_an_ended_embargo_is_a_change_with_nothing_written(make_document, client: Client,
                                                           monkeypatch) -> None:  # fmt: skip
    make_document(identifier="oai-open")
    end = timezone.now() + timedelta(days=1)
    make_document(identifier="oai-embargoed", embargo_until=end)
    assert [i for i, _ in _harvest(client, metadataPrefix="oai_dc")[0]] == ["oai-open"]
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + timedelta(days=2))
    since = (end - timedelta(seconds=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _harvest(client, metadataPrefix="oai_dc", **{"from": since})[0] == [
        ("oai-embargoed", False)]
    record = oai(client, verb="GetRecord", identifier=PREFIX + "oai-embargoed",
                 metadataPrefix="oai_dc")  # fmt: skip
    assert record.findtext(f".//{NS}datestamp") == end.strftime("%Y-%m-%dT%H:%M:%SZ")
