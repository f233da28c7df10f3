"""The suite really runs on the database it claims: SQLite in WAL mode by default,
PostgreSQL in `make test`'s second pass."""

from __future__ import annotations

import pytest
from django.db import connection

from readingroom.conf import env_bool


@pytest.mark.django_db
def test_database_engine_is_the_one_selected() -> None:
    if env_bool("READINGROOM_TEST_POSTGRES"):
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            assert int(cursor.fetchone()[0].split(".")[0]) >= 13
    else:
        assert connection.vendor == "sqlite"
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
