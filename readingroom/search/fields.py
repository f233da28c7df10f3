"""What the index holds for a document: one plain dict, built from the catalogue in
bulk (a handful of queries for any number of documents)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import lxml.html
from django.db.models import Prefetch, QuerySet

from readingroom.catalogue import models as m

# Languages analyzed by their own stemmer (besides English, which every text gets):
# ISO code → the stemmer's name in tantivy and the text search config in PostgreSQL.
STEMMED_LANGUAGES = {"ru": "russian", "es": "spanish", "de": "german", "fr": "french"}


def _plain(html: str) -> str:
    if not html.strip():
        return ""
    return " ".join(lxml.html.fromstring(html).text_content().split())


def documents_for_index(queryset: QuerySet[m.Document]) -> QuerySet[m.Document]:
    return queryset.select_related("document_type").prefetch_related(
        "languages",
        Prefetch("texts", queryset=m.Text.objects.only(
            "document_id", "html", "position", "language_id")),
        Prefetch("agent_links", queryset=m.DocumentAgent.objects.select_related("agent")),
        Prefetch("place_links", queryset=m.DocumentPlace.objects.select_related("place")),
        Prefetch("archival_references",
                 queryset=m.ArchivalReference.objects.select_related("repository")),
        # Three levels (series → volume → chapter) in the same query.
        Prefetch("memberships", queryset=m.CollectionMember.objects.select_related(
            "collection__parent__parent")),
        "identifiers",
    )  # fmt: skip


def index_fields(d: m.Document) -> dict[str, Any]:
    refs = list(d.archival_references.all())
    texts = [(t.language_id, _plain(t.html)) for t in d.texts.all()]
    # A chapter's documents are also its volume's (and series'): index every ancestor.
    collections = set()
    for membership in d.memberships.all():
        node = membership.collection
        while node is not None:
            collections.add(node.identifier)
            node = node.parent
    return {
        "pk": d.pk,
        "identifier": d.identifier,
        "title": d.title,
        "summary": d.summary,
        "body": " ".join(text for _, text in texts),
        # Each text also under its own language, so a Russian query finds the inflected
        # forms of a Russian original while the English translation answers English.
        **{
            f"body_{code}": " ".join(text for lang, text in texts if lang == code)
            for code in STEMMED_LANGUAGES
        },
        "person": [link.agent.name for link in d.agent_links.all()],
        "place": [link.place.name for link in d.place_links.all()],
        "archive": [r.as_written for r in refs] + [i.value for i in d.identifiers.all()],
        "type": d.document_type.slug if d.document_type else None,
        "classification": d.classification_level,
        "language": [lang.code for lang in d.languages.all()],
        "collection": sorted(collections),
        "repository": sorted({r.repository.name for r in refs if r.repository}),
        "year": str(d.date_start.year) if d.date_start else None,
        "decade": f"{d.date_start.year // 10 * 10}s" if d.date_start else None,
        "date": int(d.date_start.strftime("%Y%m%d")) if d.date_start else 0,
    }


def iter_index_fields(documents: Iterable[m.Document]) -> Iterator[dict[str, Any]]:
    for document in documents:
        yield index_fields(document)
