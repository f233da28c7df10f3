"""Atom feeds of new and changed documents: of the whole archive, of a collection (its
whole tree) and of any search. Each entry carries the record's citation (the archive's
own form, from the format registry) and its summary, links its page, and is dated by
its effective modification time (`updated`) and public since (`published`).

The archive's and a collection's feeds list the newest changes first. A search feed
lists the newest public records that match (search's "added" order: public since, then
record ID), since the search index orders by relevance, date and addition only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import public_documents
from readingroom.interop.formats.citable import citable
from readingroom.interop.formats.registry import BY_NAME, DEFAULT_STYLE
from readingroom.reader import services
from readingroom.web import limits
from readingroom.web.caching import public_page

ATOM = "application/atom+xml; charset=utf-8"


def _newest_changes(documents: QuerySet[m.Document]) -> list[m.Document]:
    # A public record's embargo, if any, has ended: the stored column is its effective
    # modification time, and its index gives the newest without sorting the table.
    newest = documents.order_by("-effective_modified_at", "-id")[: settings.FEED_ENTRIES]
    return services.metadata_of(newest)


def _feed(request: HttpRequest, title: str, page_url: str, documents: list[m.Document],
          subtitle: str) -> HttpResponse:  # fmt: skip
    feed = Atom1Feed(title=f"{settings.SITE_NAME}: {title}", link=page_url,
                     description=subtitle, feed_url=request.build_absolute_uri(),
                     language="en")  # fmt: skip
    style = BY_NAME[DEFAULT_STYLE]
    for document in documents:
        data = services.document_metadata(document, request)
        cited = style.html(citable(data, settings.SITE_NAME))
        content = f"<p>{cited}</p>"
        if data["summary"]:
            content += f"<p>{escape(data['summary'])}</p>"
        authors = [c["name"] for c in data["contributors"] if c["role"] in ("author", "signer")]
        feed.add_item(
            title=data["title"], link=data["canonical_url"] or data["url"],
            description=content,  # Atom's <summary type="html">
            unique_id=data["canonical_url"] or data["url"],
            pubdate=_moment(data["public_since"]), updateddate=_moment(data["modified_at"]),
            author_name=", ".join(authors) or None, categories=data["subjects"],
        )  # fmt: skip
    response = HttpResponse(content_type=ATOM)
    feed.write(response, "utf-8")
    return response


def _moment(iso: str) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(iso)


@public_page
def documents_feed(request: HttpRequest) -> HttpResponse:
    documents = _newest_changes(public_documents(timezone.now()))
    return _feed(request, "new and changed documents",
                 request.build_absolute_uri(reverse("reader:documents")), documents,
                 "Documents as they are published or changed, the newest first.")  # fmt: skip


@public_page
def collection_feed(request: HttpRequest, identifier: str) -> HttpResponse:
    collection = get_object_or_404(m.Collection, identifier=identifier)
    tree, level = [collection.pk], [collection.pk]
    while level:  # the collections below it, a query per level (trees are shallow)
        level = list(m.Collection.objects.filter(parent_id__in=level).values_list("id", flat=True))
        tree += level
    members = m.CollectionMember.objects.filter(collection_id__in=tree).values("document_id")
    documents = _newest_changes(public_documents(timezone.now()).filter(pk__in=members))
    return _feed(request, collection.title,
                 request.build_absolute_uri(reverse("reader:collection", args=[identifier])),
                 documents, f"New and changed documents in {collection.title}.")  # fmt: skip


def search_feed_url(request: HttpRequest, params: QueryDict | None = None) -> str:
    """The feed of the search these parameters ask for (the search page's own): its
    query and filters, not its paging or sort."""
    params = request.GET if params is None else params
    kept = [(k, v) for k, values in params.lists() if k not in ("page", "size", "sort")
            for v in values]  # fmt: skip
    url = request.build_absolute_uri(reverse("interop:search-feed"))
    return f"{url}?{urlencode(kept)}" if kept else url


@public_page
def search_feed(request: HttpRequest) -> HttpResponse:
    from readingroom.search.service import parse_filters, search

    text = limits.query_text(request.GET)
    found = search(text, parse_filters(request.GET), page=1, size=settings.FEED_ENTRIES,
                   sort="added")  # fmt: skip
    pks = [h["document"].pk for h in found["hits"]]
    by_pk = {d.pk: d for d in services.metadata_of(
        public_documents(timezone.now()).filter(pk__in=pks))}  # fmt: skip
    documents = [by_pk[pk] for pk in pks if pk in by_pk]
    page = request.build_absolute_uri(reverse("reader:search"))
    query = request.GET.urlencode()
    title = f"search for “{text}”" if text else "search"
    return _feed(request, title, f"{page}?{query}" if query else page, documents,
                 "The newest public documents that match this search.")  # fmt: skip


def feed_link(request: HttpRequest) -> dict[str, str]:
    """Context processor: the Atom feed of the page being shown, for its
    <link rel="alternate"> and its footer link (the document list, a collection, a
    search)."""
    match = getattr(request, "resolver_match", None)
    name = match.view_name if match else ""
    if name == "reader:documents":
        return {"alternate_feed": request.build_absolute_uri(reverse("interop:documents-feed"))}
    if name == "reader:collection":
        url = reverse("interop:collection-feed", args=[match.kwargs["identifier"]])
        return {"alternate_feed": request.build_absolute_uri(url)}
    if name == "reader:search":
        from readingroom.search.service import parse_filters

        try:  # a search refused (400) gets no feed: its page only says why
            limits.query_text(request.GET)
            parse_filters(request.GET)
        except BadRequest:
            return {}
        return {"alternate_feed": search_feed_url(request)}
    return {}
