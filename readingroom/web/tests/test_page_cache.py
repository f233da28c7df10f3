"""The production server's page cache (web/page_cache.py) is a copy: when its store
fails (a full disk, its folder removed or replaced under the server), readers get
their answers all the same, built afresh."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.cache import caches
from django.db import connection
from django.test import Client


def test_a_failing_store_costs_the_copy_never_the_answer(seeded, client: Client, settings,
                                                         caplog) -> None:  # fmt: skip
    settings.PAGE_CACHE_SERVING = True
    url = f"/documents/{seeded['000'].identifier}.json"
    folder = Path(caches["pages"]._dir)
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("not a folder")  # every read and write of the store now fails
    try:
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200
            assert response.json()["identifier"] == seeded["000"].identifier
        assert "page cache:" in caplog.text and "not kept" in caplog.text
    finally:
        folder.unlink()
    assert client.get(url).status_code == 200  # and kept again once the folder is back
    assert any(folder.iterdir())


def test_a_kept_document_shows_its_own_edit_and_a_rename_at_once(seeded, client: Client,
                                                                  settings) -> None:  # fmt: skip
    """A document's page and JSON twin are kept for minutes (PAGE_CACHE_DOCUMENT_SECONDS)
    under the record's own version: its edits and the renames of what it names are never
    sent stale."""
    settings.PAGE_CACHE_SERVING = True
    document = seeded["000"]
    json_url, page_url = f"/documents/{document.identifier}.json", document.get_absolute_url()
    link = document.agent_links.select_related("agent").first()
    assert client.get(json_url).json()["title"] == document.title
    assert link.agent.name in client.get(page_url).content.decode()
    with connection.cursor() as cursor:  # changed behind the catalogue's back
        cursor.execute("UPDATE catalogue_document SET title = %s WHERE id = %s",
                       ["Not through the catalogue", document.pk])  # fmt: skip
    assert client.get(json_url).json()["title"] == document.title  # the kept copy

    document.refresh_from_db()
    document.title = "A title the editor corrected"
    document.save()
    assert client.get(json_url).json()["title"] == "A title the editor corrected"

    agent = link.agent
    agent.name = "A Name Corrected By The Editor"
    agent.save()
    assert "A Name Corrected By The Editor" in client.get(page_url).content.decode()
    names = [c["name"] for c in client.get(json_url).json()["contributors"]]
    assert "A Name Corrected By The Editor" in names
