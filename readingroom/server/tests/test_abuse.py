"""Login throttling (django-axes) and per-client rate limits, over real requests."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "e@example.org", "right-pw-1")


def _login(client: Client, password: str, address: str = "203.0.113.5"):
    return client.post(LOGIN, {"username": "editor", "password": password},
                       REMOTE_ADDR=address)  # fmt: skip


def test_wrong_passwords_lock_the_client_out_and_are_recorded(client, editor, settings) -> None:
    from axes.models import AccessAttempt, AccessFailureLog

    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(1, 5):
        response = _login(client, f"guess-{attempt}")
        assert response.status_code == 200  # the form again, with its error
    assert _login(client, "guess-5").status_code == 429  # the fifth failure locks
    # Locked: even the right password is refused now, from this address.
    refused = _login(client, "right-pw-1")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # The audit trail: each failure with its address, and the lockout.
    failures = AccessFailureLog.objects.filter(username="editor")
    assert failures.count() >= 5
    assert set(failures.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert failures.filter(locked_out=True).exists()
    assert AccessAttempt.objects.get(ip_address="203.0.113.5").failures_since_start >= 5
    # Another address is not locked, and logs in.
    other = Client()
    assert _login(other, "right-pw-1", address="198.51.100.20").status_code == 302
    assert other.session["_auth_user_id"] == str(editor.pk)


def test_behind_the_proxy_each_client_is_counted_on_its_own(client, editor, settings) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    def via_proxy(password: str, address: str):
        form = {"username": "editor", "password": password}
        return client.post(LOGIN, form, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)

    for attempt in range(5):
        via_proxy(f"guess-{attempt}", "203.0.113.77")
    assert via_proxy("right-pw-1", "203.0.113.77").status_code == 429
    # The proxy's own address is not what was locked: another reader logs in through it.
    assert via_proxy("right-pw-1", "198.51.100.1").status_code == 302


def test_search_is_rate_limited_per_client_with_retry_after(client, settings, seeded) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "3/60"}
    for _ in range(3):
        assert client.get("/search/?q=Havana", REMOTE_ADDR="203.0.113.1").status_code == 200
    limited = client.get("/search.json?q=Havana", REMOTE_ADDR="203.0.113.1")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert "Too many search requests" in limited.json()["error"]
    assert client.get("/search/?q=Havana", REMOTE_ADDR="203.0.113.2").status_code == 200
    # Reading pages is not searching: not counted against it.
    assert client.get("/documents/", REMOTE_ADDR="203.0.113.1").status_code == 200


def test_json_and_files_have_their_own_limits(client, settings, scanned) -> None:
    settings.RATE_LIMITS = {"search": "off", "json": "2/60", "files": "1/60"}
    twin = f"/documents/{scanned.identifier}.json"
    assert [client.get(twin).status_code for _ in range(3)] == [200, 200, 429]
    held = scanned.files.get()
    url = f"/documents/{scanned.identifier}/files/{held.pk}/{held.name}"
    first, second = client.get(url), client.get(url)
    assert (first.status_code, second.status_code) == (200, 429)
    assert second["Retry-After"]
    assert second["Content-Type"].startswith("text/plain")


def test_limits_can_be_lifted_or_waived(client, settings, seeded, editor) -> None:
    settings.RATE_LIMITS = {"search": "off", "json": "1/60", "files": "1/60"}
    for _ in range(5):
        assert client.get("/search.json?q=Havana").status_code == 200  # lifted
    settings.RATE_LIMIT_EXEMPT = ["198.51.100.0/24"]  # a known harvester
    for _ in range(5):
        assert client.get("/documents.json", REMOTE_ADDR="198.51.100.9").status_code == 200
    editor_client = Client()
    editor_client.force_login(editor)
    for _ in range(5):
        assert editor_client.get("/documents.json").status_code == 200


def test_rate_windows() -> None:
    from readingroom.server.ratelimit import check, parse_rate

    assert parse_rate("120/60") == (120, 60) and parse_rate("off") is None
    assert parse_rate("") is None and parse_rate("10") == (10, 1)
    # Fixed windows: the wait is what is left of the current one.
    from django.test import override_settings

    with override_settings(RATE_LIMITS={"search": "2/60"}):
        assert check("search", "192.0.2.50", now=6000.0) is None
        assert check("search", "192.0.2.50", now=6010.0) is None
        assert check("search", "192.0.2.50", now=6020.0) == pytest.approx(40.0)
        assert check("search", "192.0.2.50", now=6060.0) is None  # a new window
