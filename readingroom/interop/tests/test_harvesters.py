"""Three real OAI-PMH harvesters — Sickle, oaipmh-scythe and `oaipmh` (which posts) —
harvest the whole demo corpus from the live site through resumption tokens: every
public record exactly once, nothing else. Then a record is withdrawn and an embargo
ends (the clock moves; nothing is written), and an incremental harvest `from` the
first one's responseDate reports the first deleted and the second as a record."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from oaipmh.client import Client as OaipmhClient
from oaipmh.error import NoRecordsMatchError
from oaipmh.metadata import MetadataRegistry, oai_dc_reader
from oaipmh_scythe import Scythe
from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import public_documents
from readingroom.interop.harvest_records import write_pending
from readingroom.interop.oai.views import oai_identifier

# A harvest: (from or None) -> [(identifier, deleted, title or None)]
Harvest = Callable[[datetime | None], list[tuple[str, bool, str | None]]]


def _stamp(moment: datetime | None) -> dict[str, str]:
    return {"from": moment.strftime("%Y-%m-%dT%H:%M:%SZ")} if moment else {}


def sickle(url: str) -> Harvest:
    def harvest(since):
        try:
            records = Sickle(url, max_retries=0).ListRecords(
                metadataPrefix="oai_dc", ignore_deleted=False, **_stamp(since))
            return [(r.header.identifier, r.header.deleted,
                     None if r.header.deleted else r.metadata["title"][0]) for r in records]
        except NoRecordsMatch:
            return []
    return harvest  # fmt: skip


def scythe(url: str) -> Harvest:
    def harvest(since):
        with Scythe(url) as client:
            found = client.list_records(metadata_prefix="oai_dc", from_=_stamp(since).get("from"))
            return [(r.header.identifier, r.header.deleted,
                     None if r.header.deleted else r.metadata["title"][0]) for r in found]
    return harvest  # fmt: skip


def oaipmh(url: str) -> Harvest:
    registry = MetadataRegistry()
    registry.registerReader("oai_dc", oai_dc_reader)

    def harvest(since):
        client = OaipmhClient(url, registry)  # POSTs its requests
        try:
            kwargs = {"from_": since.replace(tzinfo=None)} if since else {}
            return [(h.identifier(), h.isDeleted(),
                     None if h.isDeleted() else md.getField("title")[0])
                    for h, md, _ in client.listRecords(metadataPrefix="oai_dc", **kwargs)]
        except NoRecordsMatchError:
            return []
    return harvest  # fmt: skip


@pytest.fixture
def demo_corpus(transactional_db) -> None:
    call_command("load_corpus", stderr=StringIO())  # its warnings are the importers' tests
    # Imported an hour ago, so that an incremental harvest from now holds only what
    # the test changes (datestamps are whole seconds).
    hour_ago = timezone.now() - timedelta(hours=1)
    m.Document.objects.update(modified_at=hour_ago)


def test_three_harvesters_take_the_whole_demo_corpus(live_server, demo_corpus, make_document,
                                                     monkeypatch, settings) -> None:  # fmt: skip
    settings.OAI_PAGE_SIZE = 500  # fewer round trips; the pages' bounds are the fuzz's
    url = f"{live_server.url}/oai"
    # As in the demo once its worker has caught up: each record written ahead for the
    # site's address (records built in the request are the other tests' and the fuzz's).
    settings.BASE_URL = live_server.url
    assert write_pending()[0] > 16_000
    end = timezone.now() + timedelta(days=1)
    embargoed = make_document(identifier="harvest-embargoed", embargo_until=end)
    public = {oai_identifier(i): t for i, t in public_documents().values_list("identifier",
                                                                            "title")}  # fmt: skip
    assert len(public) > 16_000
    started = datetime.now(UTC)
    harvesters = {"Sickle": sickle(url), "oaipmh-scythe": scythe(url), "oaipmh": oaipmh(url)}
    for name, harvest in harvesters.items():
        records = harvest(None)
        counts = Counter(i for i, _, _ in records)
        assert len(records) == len(public) and set(counts) == set(public), name
        assert not any(deleted for _, deleted, _ in records), name
        titles = {i: t for i, _, t in records}
        # Dublin Core's title is the citation's: as catalogued, less a closing full stop.
        cited = {i: t.strip().removesuffix(".").strip() for i, t in list(public.items())[:500]}
        assert all(titles[i] == title for i, title in cited.items()), name

    withdrawn = m.Document.objects.get(identifier="frus1961-63v05-d196")
    withdrawn.state, withdrawn.withdrawn_reason = m.PublicationState.WITHDRAWN, "Review"
    withdrawn.save()
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + timedelta(days=2))
    for name, harvest in harvesters.items():
        changes = {i: deleted for i, deleted, _ in harvest(started.replace(microsecond=0))}
        assert changes == {oai_identifier(withdrawn.identifier): True,
                           oai_identifier(embargoed.identifier): False}, name  # fmt: skip
