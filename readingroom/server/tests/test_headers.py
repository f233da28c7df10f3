"""Security headers, the HTTPS settings of the production profile, and trusted proxies,
through Django's test client (real middleware, real settings)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from readingroom.conf import REPO_ROOT

pytestmark = pytest.mark.django_db


def _csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


def test_every_page_kind_has_a_strict_policy(client, seeded, editor_client) -> None:
    identifier = seeded["000"].identifier
    for url in ["/documents/", f"/documents/{identifier}/", f"/documents/{identifier}.json",
                "/search/?q=Havana", "/collections/", "/admin/login/"]:  # fmt: skip
        csp = _csp(client.get(url))
        assert csp["default-src"] == ["'none'"], url
        assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"], url
        assert csp["frame-ancestors"] == ["'none'"], url
        assert not any("unsafe" in s for v in csp.values() for s in v), url
    assert _csp(editor_client.get("/admin/catalogue/document/"))["script-src"] == ["'self'"]


def test_only_our_own_pages_may_embed_a_file(client, scanned) -> None:
    document = scanned
    held = document.files.get()
    response = client.get(f"/documents/{document.identifier}/files/{held.pk}/{held.name}")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert _csp(response)["frame-ancestors"] == ["'self'"]
    assert client.get("/documents/")["X-Frame-Options"] == "DENY"


def test_production_profile_redirects_and_sends_hsts(client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/documents/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/documents/"
    assert client.get("/healthz").status_code == 200  # a load balancer's plain check
    secure = client.get("/documents/", secure=True)
    assert secure.status_code == 200
    hsts = secure["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains; preload"


def test_forwarded_headers_are_believed_only_from_a_trusted_proxy(client, settings) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    via_proxy = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "https",
                 "HTTP_X_FORWARDED_FOR": "203.0.113.9, 198.51.100.7"}  # fmt: skip
    # The proxy said HTTPS: no redirect; any other peer saying so is not believed.
    assert client.get("/documents/", **via_proxy).status_code == 200
    assert client.get("/documents/", **{**via_proxy, "REMOTE_ADDR": "192.0.2.1"}).status_code == 301


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client_address"),
    [
        ("127.0.0.1", "203.0.113.9", ["127.0.0.1"], "203.0.113.9"),
        # A client's own X-Forwarded-For is left of what the proxy appended.
        ("127.0.0.1", "10.9.9.9, 203.0.113.9", ["127.0.0.1"], "203.0.113.9"),
        ("127.0.0.1", "203.0.113.9, 10.0.0.2", ["127.0.0.1", "10.0.0.0/8"], "203.0.113.9"),
        ("192.0.2.1", "203.0.113.9", ["127.0.0.1"], "192.0.2.1"),  # untrusted peer
        ("127.0.0.1", "203.0.113.9", [], "127.0.0.1"),  # no proxy configured
    ],
)
def test_client_address(rf, settings, peer, forwarded, trusted, client_address) -> None:
    from readingroom.server.proxies import TrustedProxyMiddleware, client_ip

    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    seen = {}
    TrustedProxyMiddleware(lambda r: seen.setdefault("ip", client_ip(r)))(request)
    assert seen["ip"] == client_address


def _check_deploy(profile: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "READINGROOM_PROFILE": profile}
    for name in list(env):  # the profile alone decides, whatever the caller's shell says
        if name.startswith(("READINGROOM_SSL", "READINGROOM_HSTS", "READINGROOM_SECURE")):
            del env[name]
    return subprocess.run(
        [sys.executable, "-m", "readingroom", "manage", "check", "--deploy", "--fail-level",
         "WARNING"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_check_deploy_is_clean_in_the_production_profile() -> None:
    production = _check_deploy("production")
    assert production.returncode == 0, production.stderr
    assert "no issues" in production.stdout
    development = _check_deploy("development")  # the same check does see what is off
    assert development.returncode != 0
    for warning in ("W004", "W008", "W012", "W016"):
        assert warning in development.stderr


def test_the_policy_uses_django_csp_4_settings(settings) -> None:
    """django-csp 4 refuses the old CSP_* settings (a system check error): the policy is
    declared only in the new format, and a stray old name would stop the server."""
    from csp.checks import check_django_csp_lt_4_0

    assert check_django_csp_lt_4_0(None) == []
    settings.CSP_DEFAULT_SRC = ["'self'"]
    assert [e.id for e in check_django_csp_lt_4_0(None)] == ["csp.E001"]
