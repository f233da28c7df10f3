"""The leak matrix: every non-public state (draft, withdrawn, embargoed) × every public
URL of the site, with the worker running (the index caught up) and stopped (the index
still holds the record as it was public), on every search backend. A hidden record
answers 404 where it is addressed and is absent — from hits, totals, every facet,
listings, entity and collection pages — where it would be listed. A record whose
embargo has ended shows on each, with nothing written at its end.

The rows are keyed by URL name and the test walks the URL configuration: a public URL
added without a row here fails `test_every_public_url_has_a_row`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.testing.urls import public_url_names
from readingroom.web.tests import world as w

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["worker running", "worker stopped"])
def world(request, backend, search_index, make_document, settings, tmp_path) -> w.World:
    settings.RATE_LIMITS = {}  # hundreds of requests from one client; tested on their own
    settings.SITEMAPS_DIR = tmp_path / "sitemaps"
    return w.build(make_document, worker_running=request.param == "worker running")


@pytest.fixture
def later(monkeypatch) -> None:
    """The clock moved past the end of the expiring embargo (and not the other)."""
    real: Callable[[], datetime] = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + w.CLOCK_SHIFT)


# ---- how each kind of URL is checked -------------------------------------------------


def addressed(client: Client, url: str, probe: w.Probe, visible: bool) -> None:
    """The record's own URL: served when public, 404 otherwise."""
    response = client.get(url)
    assert response.status_code == (200 if visible else 404), (url, probe.state)


def listed(client: Client, url: str, probe: w.Probe, visible: bool) -> None:
    """A list that would show the record: it names it when public, never otherwise."""
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    body = response.content.decode()
    for marker in probe.markers:
        assert (marker in body) == visible, (url, probe.state, marker)


def record_kwargs(name: str, probe: w.Probe) -> dict:
    kwargs = {"identifier": probe.document.identifier}
    if name.startswith("reader:page-") or name == "reader:file":
        kwargs["file_id"] = probe.file.pk
        kwargs["name" if name == "reader:file" else "number"] = probe.file.name if (
            name == "reader:file") else 1
    return kwargs


def record_row(name: str) -> Callable:
    def check(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
        addressed(client, reverse(name, kwargs=record_kwargs(name, probe)), probe, visible)

    return check


def list_row(name: str, query: str = "") -> Callable:
    def check(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
        url = reverse(name) + (f"?q={probe.word}" if query else "")
        listed(client, url, probe, visible)
        if query:
            listed(client, reverse(name), probe, visible)

    return check


def structure_row(name: str) -> Callable:
    """A list of collections: it names no record, public or not; the collections
    themselves are public structure."""

    def check(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
        listed(client, reverse(name), probe, visible=False)
        assert probe.collection.title in client.get(reverse(name)).content.decode()

    return check


def collection_row(name: str) -> Callable:
    def check(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
        for collection in (probe.collection, world.shared_collection):
            listed(client, reverse(name, args=[collection.identifier]), probe, visible)

    return check


def agent_row(name: str) -> Callable:
    def check(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
        # A person or organization named only in a hidden record has no public page.
        for agent in (probe.person, probe.organization):
            addressed(client, reverse(name, args=[agent.pk]), probe, visible)
        listed(client, reverse(name, args=[world.shared_person.pk]), probe, visible)

    return check


# The entity kinds with their own pages, and each probe's own entity of that kind.
OWN = {"places": "place", "subjects": "subject", "repositories": "repository"}
ALL_KINDS = {"people": "person", "organizations": "organization", **OWN}


def entity_row(name: str) -> Callable:
    def check(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
        for kind, attribute in OWN.items():
            addressed(client, reverse(name, args=[kind, getattr(probe, attribute).pk]), probe,
                      visible)  # fmt: skip
            listed(client, reverse(name, args=[kind, world.shared[kind].pk]), probe, visible)

    return check


def _name_of(entity) -> str:
    return getattr(entity, "name", None) or entity.term


def index_row(name: str) -> Callable:
    """The index page of each kind names a probe's entity (with its count) only when
    a public document names it."""

    def check(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
        for kind, attribute in ALL_KINDS.items():
            body = client.get(reverse(name, args=[kind])).content.decode()
            assert (_name_of(getattr(probe, attribute)) in body) == visible, (kind, probe.state)

    return check


def facet_row(name: str) -> Callable:
    """Every value of each facet: a hidden record's own values are on none of them."""

    def check(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
        for facet, label in probe.facet_labels.items():
            body = client.get(reverse(name, args=[facet])).content.decode()
            assert (label in body) == visible, (facet, probe.state)

    return check


def home_row(name: str) -> Callable:
    """Recently added, the collections with their counts, the years chart."""

    def check(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
        listed(client, reverse(name), probe, visible)
        body = client.get(reverse(name)).content.decode()
        assert (probe.collection.title in body) == visible, probe.state
        year = probe.facet_values["year"]
        assert (f"{year}: 1 document" in body) == visible, (probe.state, year)

    return check


def search_json_row(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
    # Its own word: one hit when public; when hidden, nothing at all — no total, no
    # facet value — though a lagging index may still hold the word.
    data = client.get(reverse("reader:search-json"), {"q": probe.word}).json()
    assert data["total"] == (1 if visible else 0), (probe.state, data["total"])
    assert [h["identifier"] for h in data["hits"]] == ([probe.document.identifier] if visible
                                                        else [])  # fmt: skip
    if not visible:
        assert not data["facets"] and not data["chart"], probe.state
        # Nothing to relax into that would show it, no spelling that leads to it.
        misspelled = client.get(reverse("reader:search-json"), {"q": probe.word[:-1] + "x"})
        assert probe.word.lower() not in misspelled.content.decode().lower(), probe.state
    # Everything: the total counts the public records only, and no facet names a value
    # only a hidden record has; a public record's own values are counted once.
    data = client.get(reverse("reader:search-json")).json()
    assert data["total"] == world.visible_count(), probe.state
    counted = {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in data["facets"]}
    for facet, value in probe.facet_values.items():
        if facet in counted:
            assert counted[facet].get(value) == (1 if visible else None), (probe.state, facet)
    # Filtering by a hidden record's own value finds nothing.
    for facet, value in probe.facet_values.items():
        found = client.get(reverse("reader:search-json"), {facet: value}).json()["total"]
        assert found == (1 if visible else 0), (probe.state, facet, found)


def search_page_row(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
    listed(client, f"{reverse('reader:search')}?q={probe.word}", probe, visible)
    body = client.get(reverse("reader:search")).content.decode()
    for facet, label in probe.facet_labels.items():
        if facet != "year":  # years are the chart's bars: "1950: 1 document"
            assert (label in body) == visible, (probe.state, facet, label)
    assert (f"{probe.facet_values['year']}: 1 document" in body) == visible, probe.state


def oai_row(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
    """OAI-PMH names a record that was public and is no longer — every hidden probe was
    public before it was hidden — but only as a deleted header: never its metadata."""
    from readingroom.interop.oai.views import oai_identifier

    oai_id = oai_identifier(probe.document.identifier)
    for params in ({"verb": "ListRecords", "metadataPrefix": "oai_dc"},
                   {"verb": "ListRecords", "metadataPrefix": "readingroom"},
                   {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": oai_id}):
        body = client.post(reverse("interop:oai"), params).content.decode()  # fmt: skip
        assert (probe.document.title in body) == visible, (params, probe.state)
        header = f"<header><identifier>{oai_id}</identifier>"
        deleted = f'<header status="deleted"><identifier>{oai_id}</identifier>'
        assert (header in body, deleted in body) == (visible, not visible), (params, probe.state)


def feed_row(name: str) -> Callable:
    def check(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
        if name == "interop:collection-feed":
            for collection in (probe.collection, world.shared_collection):
                listed(client, reverse(name, args=[collection.identifier]), probe, visible)
        else:
            listed(client, reverse(name), probe, visible)
        if name == "interop:search-feed":
            listed(client, f"{reverse(name)}?q={probe.word}", probe, visible)

    return check


def sitemap_row(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
    """Written while every probe but the expiring one was public, and again after they
    were hidden only when the worker ran: what is served is right either way."""
    url = reverse("interop:sitemap", args=["documents-1"])
    body = client.get(url).content.decode()
    assert (f"/documents/{probe.document.identifier}/<" in body) == visible, probe.state


def no_record_row(name: str) -> Callable:
    """Answers that name no record: the health check, the sitemap index, robots.txt,
    a schema."""

    def check(client: Client, world: w.World, probe: w.Probe, visible: bool) -> None:
        listed(client, reverse(name), probe, visible=False)

    return check


MATRIX: dict[str, Callable] = {
    "healthz": no_record_row("healthz"),
    "reader:home": home_row("reader:home"),
    "reader:home-json": home_row("reader:home-json"),
    "reader:documents": list_row("reader:documents", query="word"),
    "reader:documents-json": list_row("reader:documents-json", query="word"),
    "reader:document": record_row("reader:document"),
    "reader:document-json": record_row("reader:document-json"),
    "reader:document-cite": record_row("reader:document-cite"),
    "reader:document-bibtex": record_row("reader:document-bibtex"),
    "reader:document-ris": record_row("reader:document-ris"),
    "reader:document-csl-json": record_row("reader:document-csl-json"),
    "reader:file": record_row("reader:file"),
    "reader:page-image": record_row("reader:page-image"),
    "reader:page-thumbnail": record_row("reader:page-thumbnail"),
    "reader:page-words": record_row("reader:page-words"),
    "reader:collections": structure_row("reader:collections"),
    "reader:collections-json": structure_row("reader:collections-json"),
    "reader:collection": collection_row("reader:collection"),
    "reader:collection-json": collection_row("reader:collection-json"),
    "reader:search": search_page_row,
    "reader:search-json": search_json_row,
    "reader:search-facet": facet_row("reader:search-facet"),
    "reader:search-facet-json": facet_row("reader:search-facet-json"),
    "reader:agent": agent_row("reader:agent"),
    "reader:agent-json": agent_row("reader:agent-json"),
    "interop:oai": oai_row,
    "interop:document-schema": no_record_row("interop:document-schema"),
    "interop:robots": no_record_row("interop:robots"),
    "interop:sitemap-index": no_record_row("interop:sitemap-index"),
    "interop:sitemap": sitemap_row,
    "interop:documents-feed": feed_row("interop:documents-feed"),
    "interop:collection-feed": feed_row("interop:collection-feed"),
    "interop:search-feed": feed_row("interop:search-feed"),
    "reader:entity": entity_row("reader:entity"),
    "reader:entity-json": entity_row("reader:entity-json"),
    "reader:entities": index_row("reader:entities"),
    "reader:entities-json": index_row("reader:entities-json"),
}


def test_every_public_url_has_a_row() -> None:
    missing = sorted(set(public_url_names()) - set(MATRIX))
    assert not missing, f"public URLs with no row in the leak matrix: {missing}"
    assert not set(MATRIX) - set(public_url_names()), "rows for URLs that no longer exist"


def test_hidden_records_show_nowhere_and_an_ended_embargo_everywhere(
    world: w.World, later, client: Client
) -> None:
    for check in MATRIX.values():
        for state in w.HIDDEN:
            check(client, world, world.probes[state], visible=False)
        for state in w.VISIBLE:
            check(client, world, world.probes[state], visible=True)


def test_pages_the_production_server_kept_never_outlive_a_withdrawal(
    world: w.World, later, client: Client, settings, monkeypatch, django_assert_max_num_queries
) -> None:
    """`readingroom serve` keeps public answers (web/page_cache.py): every row is asked
    while the record is public (and kept), then the record is withdrawn, and every row
    must hide it at once — the index still holding it or not."""
    settings.PAGE_CACHE_SERVING = True
    probe = world.probes["visible"]
    for check in MATRIX.values():
        check(client, world, probe, visible=True)
    page = reverse("reader:document", kwargs=record_kwargs("reader:document", probe))
    # Kept: only the count of publicity changes, and for a document page its version
    # (when it last changed, the count of renames).
    with django_assert_max_num_queries(3):
        assert client.get(page).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(reverse("reader:documents")).status_code == 200
    probe.document.state = m.PublicationState.WITHDRAWN
    probe.document.withdrawn_reason = "Review"
    probe.document.save()
    monkeypatch.setattr(world, "visible_count", lambda: len(w.VISIBLE) - 1)
    for check in MATRIX.values():
        check(client, world, probe, visible=False)


def test_an_embargo_hides_until_it_ends(world: w.World, client: Client) -> None:
    probe = world.probes[w.EXPIRING]
    for name in ("reader:document", "reader:page-image"):
        addressed(client, reverse(name, kwargs=record_kwargs(name, probe)), probe, False)
    assert client.get(reverse("reader:search-json"), {"q": probe.word}).json()["total"] == 0


def test_record_files_are_revalidated_at_every_use(world: w.World, client: Client) -> None:
    visible, withdrawn = world.probes["visible"], world.probes["withdrawn"]
    for name in ("reader:page-image", "reader:file"):
        url = reverse(name, kwargs=record_kwargs(name, visible))
        response = client.get(url)
        assert response["Cache-Control"] == "public, no-cache", name
        assert response["ETag"].strip('"') in (world.scan_sha, _image_sha(visible))
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        # A client (or a shared cache revalidating) holding the bytes of a record that
        # is no longer public gets a 404, not a 304.
        hidden = reverse(name, kwargs=record_kwargs(name, withdrawn))
        assert client.get(hidden, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 404


def _image_sha(probe: w.Probe) -> str:
    from readingroom.files.models import Page

    return Page.objects.get(pdf_sha256=probe.file.sha256, number=1).image_sha256
