"""Serve the sitemaps the task wrote, and robots.txt pointing to them.

A written sitemap is a cache of the catalogue, and the catalogue may have changed
since: a record withdrawn a minute ago must not be listed, one whose embargo has just
ended must be, whether or not the worker has run. So a documents part is served with
the records of its range that changed since it was written (a bounded query: at most
one part's worth of rows) corrected — dropped when no longer public, rewritten with
their new `lastmod` otherwise, added when newly public. Records added since are in
the last part's range too. With nothing to correct, the file goes out as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import is_public
from readingroom.interop.sitemaps import writer
from readingroom.interop.sitemaps.writer import Manifest, Part
from readingroom.web.caching import public_page

XML = "application/xml; charset=utf-8"
SITEINDEX_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NOT_YET = "The sitemaps have not been written yet; they are written in the background."


def _manifest() -> Manifest:
    manifest = Manifest.load(settings.SITEMAPS_DIR)
    if manifest is None:
        raise Http404(NOT_YET)
    return manifest


def _base(request: HttpRequest) -> str:
    return settings.BASE_URL or request.build_absolute_uri("/").rstrip("/")


def _rebased(lines: Iterable[str], written: str, base: str) -> Iterable[str]:
    """The URLs written for one address, for another (only without READINGROOM_BASE_URL:
    the demo and the tests answer on several)."""
    if written == base:
        return lines
    old, new = f"<loc>{written}", f"<loc>{base}"
    return (line.replace(old, new, 1) for line in lines)


@public_page
def sitemap_index(request: HttpRequest) -> HttpResponse:
    manifest = _manifest()
    base = _base(request)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>\n',
             f'<sitemapindex xmlns="{SITEINDEX_NS}">\n']  # fmt: skip
    for part in manifest.parts:
        loc = base + reverse("interop:sitemap", args=[part.name.removesuffix(".xml")])
        modified = f"<lastmod>{part.lastmod}</lastmod>" if part.lastmod else ""
        lines.append(f"<sitemap><loc>{loc}</loc>{modified}</sitemap>\n")
    lines.append("</sitemapindex>\n")
    return HttpResponse("".join(lines), content_type=XML)


@public_page
def sitemap(request: HttpRequest, name: str) -> HttpResponse:
    manifest = _manifest()
    part = next((p for p in manifest.parts if p.name == f"{name}.xml"), None)
    if part is None:
        raise Http404("No such sitemap; /sitemap.xml lists them.")
    path = manifest.folder(settings.SITEMAPS_DIR) / part.name
    if not path.exists():  # a generation replaced twice since the manifest was read
        raise Http404("This sitemap was just replaced; read /sitemap.xml again.")
    base = _base(request)
    changed = _changed(part, manifest) if part.kind == "documents" else {}
    if not changed and manifest.base_url == base:
        return HttpResponse(path.read_bytes(), content_type=XML)  # a part is ~1 MB
    with path.open() as f:
        lines = list(_rebased(f, manifest.base_url, base))
    if changed:
        lines = _corrected(lines, changed, base)
    return HttpResponse("".join(lines), content_type=XML)


def _changed(part: Part, manifest: Manifest) -> dict[str, str | None]:
    """identifier → its line now (None: no longer public), for the records of the part's
    range that changed for the public since the part was written."""
    written = datetime.fromisoformat(manifest.generated_at)
    now = timezone.now()
    since = Q(modified_at__gt=written) | Q(embargo_until__gt=written, embargo_until__lte=now)
    rows = (m.Document.objects.filter(pk__gte=part.first_id, pk__lte=part.last_id)
            .filter(since).only("identifier", "state", "embargo_until", "effective_modified_at"))
    return {d.identifier: (writer.url_line("", writer.document_path(d.identifier),
                                           writer.w3c(d.effective_modified_at))
                           if is_public(d, now) else None)
            for d in rows}  # fmt: skip


_LOC = re.compile(r"<url><loc>[^<]*/documents/([^/<]+)/</loc>")


def _corrected(lines: list[str], changed: dict[str, str | None], base: str) -> list[str]:
    out, seen = [], set()
    for line in lines:
        found = _LOC.match(line)
        if found is None or found.group(1) not in changed:
            if line == writer.URLSET_CLOSE:
                break
            out.append(line)
            continue
        seen.add(found.group(1))
        if (fresh := changed[found.group(1)]) is not None:
            out.append(fresh.replace("<loc>", f"<loc>{base}", 1))
    out += [line.replace("<loc>", f"<loc>{base}", 1) for identifier, line in changed.items()
            if line is not None and identifier not in seen]  # fmt: skip
    out.append(writer.URLSET_CLOSE)
    return out


@public_page
def robots(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /admin/", "",
             f"Sitemap: {_base(request)}{reverse('interop:sitemap-index')}", ""]  # fmt: skip
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
