"""Every public URL pattern of the site, read from the URL configuration itself, so a
test that must cover each (the leak matrix, the URL fuzz) fails when one is added
without its row."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

# Back office: behind a login, tested by the admin's own tests.
STAFF_ONLY = ("admin",)


def _walk(patterns, prefix: str, namespace: str):
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.app_name in STAFF_ONLY or p.namespace in STAFF_ONLY:
                continue
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}", prefix + str(p.pattern), p


def public_url_names() -> dict[str, str]:
    """`namespace:name` → the pattern as written, for every public URL."""
    found: dict[str, str] = {}
    for name, pattern, p in _walk(get_resolver().url_patterns, "", ""):
        assert p.name, f"URL pattern {pattern!r} has no name: name it so tests can cover it"
        found[name] = pattern
    return found


def url_arguments(name: str) -> list[str]:
    """The names of the arguments `name` takes (identifier, file_id, pk…)."""
    for found, _, p in _walk(get_resolver().url_patterns, "", ""):
        if found == name:
            return sorted(p.pattern.regex.groupindex)
    raise KeyError(name)
