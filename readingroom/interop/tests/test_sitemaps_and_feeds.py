"""Sitemaps validate against the official sitemap.xsd and siteindex.xsd and list every
public document once, corrected when served; robots.txt points to them; the Atom
feeds parse with feedparser without a bozo flag and carry each entry's citation and
summary."""

from __future__ import annotations

import re
from datetime import timedelta

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import public_documents
from readingroom.interop.sitemaps import tasks, writer
from readingroom.interop.tests import schemas

pytestmark = pytest.mark.django_db
LOC = re.compile(r"<loc>([^<]+)</loc>")


@pytest.fixture(autouse=True)
def own_sitemaps(settings, tmp_path) -> None:
    settings.SITEMAPS_DIR = tmp_path / "sitemaps"


def _listed(client: Client) -> list[str]:
    index = client.get("/sitemap.xml")
    root = schemas.valid(schemas.sitemap("siteindex.xsd"), index.content)
    urls = []
    for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        part = client.get(loc.text.removeprefix("http://testserver"))
        schemas.valid(schemas.sitemap("sitemap.xsd"), part.content)
        urls += LOC.findall(part.content.decode())
    return urls


def test_sitemaps_list_every_public_document_once(seeded, client: Client, settings,
                                                  make_document, monkeypatch) -> None:  # fmt: skip
    settings.SITEMAP_URLS = 2  # several parts
    for n in range(3):
        make_document(identifier=f"public-{n}")
    make_document(identifier="never-public", state=m.PublicationState.DRAFT)
    make_document(identifier="soon-public",
                         embargo_until=timezone.now() + timedelta(days=1))  # fmt: skip
    assert client.get("/sitemap.xml").status_code == 404  # not written yet: never here
    writer.write()
    urls = _listed(client)
    documents = [u for u in urls if "/documents/" in u and u != "http://testserver/documents/"]
    expected = {f"http://testserver/documents/{i}/" for i in
                public_documents().values_list("identifier", flat=True)}  # fmt: skip
    assert sorted(documents) == sorted(expected)  # each once, no draft
    assert "http://testserver/collections/" in urls
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()

    # Changed since they were written: a withdrawal and an ended embargo show at once.
    frus = seeded["000"]
    frus.state, frus.withdrawn_reason = m.PublicationState.WITHDRAWN, "Review"
    frus.save()
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + timedelta(days=2))  # it ends
    urls = _listed(client)
    assert f"http://testserver/documents/{frus.identifier}/" not in urls
    assert urls.count("http://testserver/documents/soon-public/") == 1


def test_a_change_enqueues_one_sitemap_run(db) -> None:
    from django_tasks_db.models import DBTaskResult

    tasks.wake()
    tasks.wake()
    assert DBTaskResult.objects.filter(task_path=tasks.refresh_sitemaps.module_path).count() == 1


def test_feeds_parse_and_carry_citation_and_summary(seeded, client: Client, search_index
                                                   ) -> None:  # fmt: skip
    search_index()
    seed = seeded["003"]
    collection = m.Collection.objects.create(identifier="seeds", title="Seeds")
    m.CollectionMember.objects.create(collection=collection, document=seed)
    for url in ("/documents.atom", f"/collections/{collection.identifier}.atom",
                "/search.atom?q=Cuba", "/search.atom"):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml"), url
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        assert feed.entries, url
    feed = feedparser.parse(client.get("/documents.atom").content)
    entry = next(e for e in feed.entries if e.link.endswith(f"/documents/{seed.identifier}/"))
    assert seed.summary[:40] in entry.summary
    assert "“Soviet Report on Havana" in entry.summary and ", 1962, Reading Room" in entry.summary
    page = client.get("/documents/").content.decode()
    assert 'type="application/atom+xml"' in page and "/documents.atom" in page
    search = client.get("/search/?q=Cuba&page=1").content.decode()
    assert "/search.atom?q=Cuba" in search
