"""The production server's page cache (web/page_cache.py) is a copy: when its store
fails (a full disk, its folder removed or replaced under the server), readers get
their answers all the same, built afresh."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.cache import caches
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
