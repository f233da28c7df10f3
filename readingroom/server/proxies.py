"""The client as the trusted reverse proxy saw it.

Behind nginx every request comes from 127.0.0.1; the client's own address is in
X-Forwarded-For and its scheme in X-Forwarded-Proto. Those headers are believed only
when the peer is one of READINGROOM_TRUSTED_PROXIES; from anyone else they are dropped,
so a client cannot pick its own address to dodge a rate limit or a login lockout.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


@cache
def networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(s, strict=False) for s in spec)


def address_in(address: str, spec: list[str] | tuple[str, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks(tuple(spec)))


def forwarded_client(peer: str, forwarded_for: str, trusted: list[str]) -> str:
    """The first address, from the right, that is not a trusted proxy: each proxy appends
    the address it received from, so anything left of that was written by the client."""
    hops = [peer, *reversed([h.strip() for h in forwarded_for.split(",") if h.strip()])]
    for hop in hops:
        if not address_in(hop, trusted):
            return hop
    return hops[-1]


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta, trusted = request.META, settings.TRUSTED_PROXIES
        peer = meta.get("REMOTE_ADDR", "")
        if trusted and address_in(peer, trusted):
            if forwarded_for := meta.get("HTTP_X_FORWARDED_FOR"):
                meta["REMOTE_ADDR"] = forwarded_client(peer, forwarded_for, trusted)
        else:
            for header in FORWARDED:
                meta.pop(header, None)
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str:
    """The client's address (after TrustedProxyMiddleware): rate limits and django-axes."""
    return request.META.get("REMOTE_ADDR", "")
