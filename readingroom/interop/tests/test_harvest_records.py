"""Records written ahead for harvesters (`interop/harvest_records.py`): a harvest sends
what the request would have built, byte for byte, without building it; and a record is
never sent older than its document, its names or its public state."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import public_documents
from readingroom.interop import harvest_records
from readingroom.interop.models import HarvestRecord
from readingroom.interop.tests.conftest import FRUS_V05

pytestmark = pytest.mark.django_db
TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)<")
PREFIX = "oai:readingroom.invalid:"


@pytest.fixture
def site(seeded, settings) -> dict[str, m.Document]:
    """Seeds and FRUS vol. V; the site's address is the one the test client uses, so
    the worker writes records for the address harvesters come to."""
    call_command("import", "frus", str(FRUS_V05), no_progress=True)
    settings.BASE_URL = "http://testserver"
    settings.OAI_PAGE_SIZE = 100
    return seeded


def _records(body: bytes) -> bytes:
    """The answer less what differs between two requests: its date and the token."""
    body = body.split(b"</request>", 1)[1]
    return TOKEN.sub(b"", re.sub(rb'expirationDate="[^"]+"', b"", body))


def harvest(client: Client, prefix: str, **headers: str) -> tuple[list[bytes], list[list[str]]]:
    """Every page of a ListRecords harvest, and the SQL each page ran."""
    pages, queries = [], []
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    while True:
        with CaptureQueriesContext(connection) as ran:
            body = client.get("/oai", params, **headers).content
        pages.append(_records(body))
        queries.append([q["sql"] for q in ran.captured_queries])
        found = TOKEN.search(body)
        if not found:
            return pages, queries
        params = {"verb": "ListRecords", "resumptionToken": found.group(1).decode()}


def get_record(client: Client, document: m.Document, prefix: str = "oai_dc") -> str:
    params = {"verb": "GetRecord", "metadataPrefix": prefix,
              "identifier": PREFIX + document.identifier}
    return client.get("/oai", params).content.decode()


def test_a_harvest_sends_what_the_request_would_build(site, client: Client) -> None:
    live = {prefix: harvest(client, prefix) for prefix in ("oai_dc", "readingroom")}
    public = public_documents().count()
    assert public > 300  # several pages of the real volume

    assert harvest_records.write_pending()[0] == public
    assert HarvestRecord.objects.count() == 2 * public  # each format
    assert harvest_records.write_pending()[0] == 0  # all current: nothing written again
    for prefix, (pages, queries) in live.items():
        ready, ready_queries = harvest(client, prefix)
        assert ready == pages  # byte for byte
        # Sent as written: no page reads the records' people, places or terms, and a
        # page runs a fixed number of queries, however many records it holds.
        for page_queries in ready_queries:
            assert not [q for q in page_queries if "catalogue_documentagent" in q]
            assert len(page_queries) <= 12
        assert any("catalogue_documentagent" in q for page in queries for q in page)


def test_another_address_gets_its_own_urls(site, client: Client, settings) -> None:
    """Links to the archive's pages follow the address a request came to (the canonical
    URL stays the site's): records written for one address are not sent to another."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "mirror.example"]
    harvest_records.write_pending()[0]
    frus = m.Document.objects.get(identifier="frus1961-63v05-d196")
    body = client.get("/oai", {"verb": "GetRecord", "metadataPrefix": "readingroom",
                               "identifier": PREFIX + frus.identifier},
                      HTTP_HOST="mirror.example").content.decode()  # fmt: skip
    assert "http://mirror.example/agents/" in body
    assert "http://testserver/agents/" not in body
    assert "http://testserver/agents/" in get_record(client, frus, "readingroom")


def test_a_record_is_never_sent_older_than_its_document(site, client: Client) -> None:
    harvest_records.write_pending()[0]
    frus = m.Document.objects.get(identifier="frus1961-63v05-d196")
    link = frus.agent_links.select_related("agent").get(agent__name="Llewellyn E. Thompson, Jr.")
    assert "Thompson, Llewellyn E., Jr." in get_record(client, frus)  # its creator

    # A name it shows changes: no record written before is sent.
    agent = link.agent
    agent.name = agent.sort_name = "Zyxwvut"
    agent.save()
    assert "Zyxwvut" in get_record(client, frus)
    assert "Zyxwvut" in get_record(client, frus, "readingroom")
    written = harvest_records.write_pending()[0]
    assert written == public_documents().count()  # all written again
    agent.save()  # saved as it is: nothing stale, nothing to write
    assert harvest_records.write_pending()[0] == 0

    # A part changes and the document itself is not saved (its record was written).
    subject = m.Subject.objects.create(term="Written-ahead freshness")
    frus.subjects.add(subject)
    assert "Written-ahead freshness" in get_record(client, frus)
    m.Caveat.objects.create(document=frus, text="NOFORN-HARVEST", position=9)
    assert "NOFORN-HARVEST" in get_record(client, frus, "readingroom")
    assert harvest_records.write_pending()[0] == 1

    # Withdrawn: reported deleted with no metadata; its records go at the next run.
    frus.state, frus.withdrawn_reason = m.PublicationState.WITHDRAWN, "Review"
    frus.save()
    body = get_record(client, frus)
    assert 'status="deleted"' in body and "<metadata>" not in body
    assert "Zyxwvut" not in body
    harvest_records.write_pending()[0]
    assert not HarvestRecord.objects.filter(document=frus).exists()


def test_a_change_enqueues_one_run(db) -> None:
    from django_tasks_db.models import DBTaskResult

    harvest_records.wake()
    harvest_records.wake()
    path = harvest_records.write_harvest_records.module_path
    assert DBTaskResult.objects.filter(task_path=path).count() == 1


def test_a_run_writes_a_bounded_number_of_batches_and_leaves_the_rest(
        site, monkeypatch, django_capture_on_commit_callbacks) -> None:  # fmt: skip
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(harvest_records, "BATCH", 10)
    public = public_documents().count()
    assert public > 22 * 10
    assert harvest_records.write_pending(batches=2) == (20, True)
    DBTaskResult.objects.all().delete()  # what the imports enqueued
    with django_capture_on_commit_callbacks(execute=True):
        assert harvest_records.write_harvest_records.call() == 20 * 10  # a run's batches
    path = harvest_records.write_harvest_records.module_path
    assert DBTaskResult.objects.filter(task_path=path, status="READY").count() == 1  # the next
    assert harvest_records.write_pending() == (public - 20 - 200, False)
