"""Issue "Hostile requests and hidden records": each numbered reproduction, on the
real corpus (the two seed pages and a FRUS volume), on every search backend."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import public_documents
from readingroom.conf import corpus
from readingroom.search.service import search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("backend")]
VOLUME = corpus() / "frus" / "frus1961-63v05.xml"  # 390 documents in one volume


@pytest.fixture
def catalogue(search_index) -> None:
    call_command("import", "frus", str(VOLUME), no_progress=True)
    call_command("import", "pages", str(corpus() / "seeds"), no_progress=True)
    search_index()


def get(url: str) -> tuple[int, bytes]:
    """A real HTTP request; errors are answers, not exceptions."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# 1. One anonymous request killed the site (tantivy allocated for offset + limit).
def test_a_deep_page_is_refused_and_the_server_lives_on(catalogue, live_server) -> None:
    for page in ("100000000", "99999999999999999999", "-1", "0", "1e9", "%EF%BC%92"):
        status, body = get(f"{live_server.url}/search.json?q=a&page={page}")
        assert status == 400, page
        assert "page" in json.loads(body)["error"]["message"]
        status, body = get(f"{live_server.url}/search/?q=a&page={page}")
        assert status == 400 and b"page=" in body, page
    # The deepest page within the window is served; the next is refused.
    assert get(f"{live_server.url}/search.json?q=a&page=200")[0] == 200
    assert get(f"{live_server.url}/search.json?q=a&page=201")[0] == 400
    status, body = get(f"{live_server.url}/search.json?q=Khrushchev")
    assert status == 200 and json.loads(body)["total"] > 0


# 2. Totals and facets counted a withdrawn record while the index lagged.
def test_a_record_withdrawn_before_the_worker_runs_is_counted_nowhere(catalogue) -> None:
    seed = m.Document.objects.get(identifier="page-72ecfa0892306d99")
    before = search("Havana partisans")
    assert before["total"] == 1
    seed.state = m.PublicationState.WITHDRAWN
    seed.withdrawn_reason = "Rights not cleared"
    seed.save()  # the outbox row waits: no worker has run
    after = search("Havana partisans")
    assert after["total"] == 0 and after["hits"] == []
    assert all(not facet["values"] for facet in after["facets"].values())
    assert search("")["total"] == public_documents().count()


# 3. An embargo that ended never reached search.
def test_an_ended_embargo_reaches_search_with_nothing_written(catalogue, search_index,
                                                              monkeypatch) -> None:  # fmt: skip
    seed = m.Document.objects.get(identifier="page-72ecfa0892306d99")
    seed.embargo_until = timezone.now() + timedelta(hours=1)
    seed.save()
    search_index()
    assert search("Havana partisans")["total"] == 0
    real = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real() + timedelta(hours=2))
    found = search("Havana partisans")
    assert found["total"] == 1 and found["hits"][0]["document"] == seed
    assert dict(found["facets"]["year"]["values"]) == {"1962": 1}


# 4. Field wildcards gave 500 ("… is not a fast field"): they mean "has a value".
def test_field_wildcards_mean_has_a_value(catalogue, client: Client) -> None:
    public = public_documents()
    expected = {
        "title:*": public.exclude(title="").count(),
        "summary:*": public.exclude(summary="").count(),
        "identifier:*": public.count(),
        "person:*": public.filter(agent_links__isnull=False).distinct().count(),
        "type:*": public.exclude(document_type=None).count(),
    }
    for query, count in expected.items():
        response = client.get("/search.json", {"q": query})
        assert response.status_code == 200, query
        assert response.json()["total"] == count, query
    assert 0 < expected["summary:*"] < expected["title:*"]
    for query in ("body:*", "ocr:*", "place:*", "archive:*", "nosuchfield:*", "*", "title:"):
        assert client.get("/search.json", {"q": query}).status_code == 200, query
        assert client.get("/search/", {"q": query}).status_code == 200, query


# 5. Unbounded responses: an agent's or a collection's every document on one page, a
# long query repeated in every link.
def test_lists_are_paged_and_queries_bounded(catalogue, client: Client, settings) -> None:
    settings.LIST_PAGE_SIZE = settings.PAGE_SIZE = 25
    volume = client.get("/collections/frus1961-63v05.json").json()
    assert volume["document_count"] == 390
    assert _documents_in_tree(volume) == 25 and volume["paging"]["pages"] == 16
    last = client.get(volume["paging"]["next"].replace("page=2", "page=16")).json()
    assert _documents_in_tree(last) == 390 - 15 * 25 and last["paging"]["next"] is None
    assert client.get("/collections/frus1961-63v05.json?page=17").status_code == 404

    busiest = (m.Agent.objects.filter(document_links__document__in=public_documents())
               .annotate(n=Count("document_links__document", distinct=True))
               .order_by("-n").first())  # fmt: skip
    assert busiest.n > 25
    agent = client.get(f"/agents/{busiest.pk}.json").json()
    assert len(agent["documents"]) == 25 and agent["paging"]["count"] == busiest.n
    html = client.get(f"/agents/{busiest.pk}/").content.decode()
    assert 'rel="next"' in html and html.count('class="date"') == 25

    long_query = "Khrushchev " * 1000
    for url in ("/search/", "/search.json", "/documents/", "/documents.json"):
        response = client.get(url, {"q": long_query})
        assert response.status_code == 400, url
        assert len(response.content) < 5_000
    assert client.get("/search.json", {"size": "101"}).status_code == 400
    assert client.get("/search.json", {"sort": "nonsense"}).status_code == 400
    many = "&".join(f"year={1900 + i}" for i in range(21))
    assert client.get(f"/search.json?{many}").status_code == 400


def _documents_in_tree(node: dict) -> int:
    return len(node["documents"]) + sum(_documents_in_tree(c) for c in node["children"])


def test_the_admin_lists_are_paged(client: Client, settings) -> None:
    from django.contrib.auth import get_user_model

    settings.LIST_PAGE_SIZE = 10
    for i in range(30):  # one family name: 435 pairs of possible duplicates
        m.Agent.objects.create(kind="person", name=f"Given{i} Samename",
                               sort_name=f"Samename, Given{i}")  # fmt: skip
    editor = get_user_model().objects.create_superuser("ed", "ed@example.org", "pw-ed-12345")
    client.force_login(editor)
    page = client.get("/admin/catalogue/agent/near-matches/").content.decode()
    assert "435 pairs" in page and page.count("/change/") == 20
    last = client.get("/admin/catalogue/agent/near-matches/?page=44").content.decode()
    assert last.count("/change/") == 10
    assert client.get("/admin/catalogue/agent/near-matches/?page=45").status_code == 404
    assert client.get("/admin/catalogue/agent/near-matches/?page=x").status_code == 400
    agents = client.get("/admin/catalogue/agent/").content.decode()
    assert agents.count('class="action-select"') == 10
    assert client.get("/admin/catalogue/agent/?all=").content.decode().count(
        'class="action-select"') == 10  # fmt: skip


# 6. A withdrawn record's page images stayed cacheable for a day.
def test_record_files_are_revalidated_and_stop_at_withdrawal(catalogue, client: Client) -> None:
    seed = m.Document.objects.get(identifier="page-72ecfa0892306d99")
    page = client.get(f"/documents/{seed.identifier}/")
    assert "max-age=86400" not in page["Cache-Control"]
    assert page["Cache-Control"].startswith("public, max-age=60")
    assert "Cookie" in page["Vary"] and page["ETag"]
    assert client.get(f"/documents/{seed.identifier}/",
                      HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304  # fmt: skip
    seed.state = m.PublicationState.WITHDRAWN
    seed.withdrawn_reason = "Rights not cleared"
    seed.save()
    gone = client.get(f"/documents/{seed.identifier}/", HTTP_IF_NONE_MATCH=page["ETag"])
    assert gone.status_code == 404 and gone["Cache-Control"] == "private, no-cache"


# 7. The command line.
def run(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "readingroom", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip


def test_the_command_line_names_itself_and_its_site(tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("READINGROOM_HOME", "DATABASE_URL")}
    usage = run("import", "--help", cwd=tmp_path, env=env)
    assert usage.returncode == 0 and usage.stdout.startswith("usage: readingroom import [")
    elsewhere = run("search", "Castro", cwd=tmp_path, env=env)
    assert elsewhere.returncode == 2 and elsewhere.stdout == ""
    assert f"no site in {tmp_path / 'var'}" in elsewhere.stderr
    assert "READINGROOM_HOME" in elsewhere.stderr
    assert not (tmp_path / "var" / "readingroom.sqlite3").exists()
    created = run("migrate", "--no-input", cwd=tmp_path, env=env)
    assert created.returncode == 0, created.stderr
    assert f"creating a new site in {tmp_path / 'var'}" in created.stderr
    assert run("search", "Castro", cwd=tmp_path, env=env).returncode == 0

