"""What the index holds for a document: one plain dict, built from the catalogue in
bulk (a handful of queries for any number of documents)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import lxml.html
from django.db.models import Prefetch, QuerySet
from lxml import etree

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import public_since
from readingroom.catalogue.sanitize import FOOTNOTE_REF_PREFIX
from readingroom.search.backends.base import as_list, decade_of

# Languages analyzed by their own stemmer (besides English, which every text gets):
# ISO code → the stemmer's name in tantivy and the text search config in PostgreSQL.
STEMMED_LANGUAGES = {"ru": "russian", "es": "spanish", "de": "german", "fr": "french"}


# A footnote's mark and its way back (catalogue/sanitize.py): "Khrushchev<sup>0</sup>"
# is the word Khrushchev, not "Khrushchev 0" in a snippet.
FOOTNOTE_MARKS = etree.XPath(
    f"//sup[starts-with(@id, '{FOOTNOTE_REF_PREFIX}')]"
    f" | //a[starts-with(@href, '#{FOOTNOTE_REF_PREFIX}')]"
)
# Blocks end words: "</h2><p>" stands between two words even with no space in the HTML.
BLOCKS = frozenset("p div h1 h2 h3 h4 h5 h6 li td th blockquote aside section br".split())


def plain_text(html: str) -> str:
    """The words of a stored text, as the index gets them: no footnote marks."""
    if not html.strip():
        return ""
    root = lxml.html.fromstring(html)
    for mark in FOOTNOTE_MARKS(root):
        if mark.getparent() is not None:
            mark.drop_tree()  # its tail, the text after it, stays
    for el in root.iter(*BLOCKS):
        el.tail = f" {el.tail}" if el.tail else " "
    return " ".join(root.text_content().split())


def documents_for_index(queryset: QuerySet[m.Document]) -> QuerySet[m.Document]:
    return queryset.select_related("document_type").prefetch_related(
        "languages",
        Prefetch("texts", queryset=m.Text.objects.only(
            "document_id", "html", "position", "language_id", "kind")),
        Prefetch("agent_links", queryset=m.DocumentAgent.objects.select_related("agent")),
        Prefetch("place_links", queryset=m.DocumentPlace.objects.select_related("place")),
        Prefetch("archival_references",
                 queryset=m.ArchivalReference.objects.select_related("repository")),
        # Three levels (series → volume → chapter) in the same query.
        Prefetch("memberships", queryset=m.CollectionMember.objects.select_related(
            "collection__parent__parent")),
        "identifiers",
        "releases",
        "subjects",
        Prefetch("files", queryset=m.File.objects.only("document_id", "sha256", "media_type")),
    )  # fmt: skip


def public_page_texts(shas: Iterable[str]) -> dict[str, list[tuple[int, str]]]:
    """PDF sha256 → [(page number, text)] of the machine-read or text-layer pages the
    public may see (a page an editor hid is left out: it leaves the index with it)."""
    from readingroom.files.models import Page, TextState

    pages: dict[str, list[tuple[int, str]]] = {}
    rows = Page.objects.filter(
        pdf_sha256__in=set(shas), text_state=TextState.DONE, text_hidden=False
    )
    for sha, number, text in rows.order_by("number").values_list("pdf_sha256", "number", "text"):
        pages.setdefault(sha, []).append((number, text))
    return pages


def index_fields(d: m.Document, pages: dict[str, list[tuple[int, str]]] | None = None
                 ) -> dict[str, Any]:  # fmt: skip
    refs = list(d.archival_references.all())
    agents = [link.agent for link in d.agent_links.all() if link.agent_id is not None]
    pages = pages if pages is not None else public_page_texts(_shas([d]))
    ocr = [text for f in d.files.all() for _, text in pages.get(f.sha256, [])]
    releases = list(d.releases.all())
    texts = [(t.language_id, plain_text(t.html)) for t in d.texts.all()]
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
        # Machine-read page text: searchable, but its own field, so a hit can say so.
        "ocr": " ".join(ocr),
        # Names for word search (`person:Khrushchev`), and the offices written where no
        # name is (`CHIEF, WH DIVISION`); a withheld name adds nothing.
        "person": [a.name for a in agents]
        + [link.office for link in d.agent_links.all() if link.agent_id is None and link.office],
        "place": [link.place.name for link in d.place_links.all()],
        # Facets of their own, by id (a renamed agent keeps its documents): the entity
        # pages and the facets read them.
        "people": _ids(a for a in agents if a.kind == "person"),
        "organizations": _ids(a for a in agents if a.kind == "organization"),
        "places": _ids(link.place for link in d.place_links.all()),
        "subjects": _ids(d.subjects.all()),
        "translated": "yes" if any(t.kind == "translation" for t in d.texts.all()) else "no",
        "archive": [r.as_written for r in refs] + [i.value for i in d.identifiers.all()],
        "type": d.document_type.slug if d.document_type else None,
        "classification": d.classification_level,
        "language": [lang.code for lang in d.languages.all()],
        "collection": sorted(collections),
        "repository": _ids(r.repository for r in refs if r.repository_id),
        "year": str(d.date_start.year) if d.date_start else None,
        "release_year": sorted({str(r.released_on.year) for r in releases}),
        "prior_status": sorted({r.prior_status.strip() for r in releases if r.prior_status}),
        "decade": decade_of(str(d.date_start.year)) if d.date_start else None,
        "date": date_key(d),
        # The gate, in the index: a published document is indexed with the moment it
        # becomes public (0: it is already), and every search filters on it, so an
        # embargo ends with no write at all.
        "public_from": int(d.embargo_until.timestamp()) if d.embargo_until else 0,
        # "Recently added" is by when the public could first see it (catalogue/gate.py),
        # to the second, then by record ID.
        "public_since": int(public_since(d).timestamp()),
        "added": added_key(int(public_since(d).timestamp()), d.pk),
    }


def _ids(rows: Iterable[Any]) -> list[str]:
    """Facet values of entities: their ids as text, each once, in order."""
    return sorted({str(row.pk) for row in rows}, key=int)


UNDATED = 0
# Sorting oldest first puts this after every real date: undated records come last in
# both directions.
UNDATED_LAST = 99_999_999


# Numbers the engines filter and sort by; nobody asks whether they "have a value".
NOT_SEARCHED = ("pk", "date", "public_from", "public_since", "added")


def date_key(d: m.Document) -> int:
    """yyyymmdd of the start of the document's date; 0 when it is undated."""
    return int(d.date_start.strftime("%Y%m%d")) if d.date_start else UNDATED


def added_key(seconds: int, pk: int) -> int:
    """One integer that orders by time, then record ID (tantivy sorts by one field): a
    64-bit integer holds epoch seconds times 10^9 until the year 2262."""
    return seconds * 1_000_000_000 + pk % 1_000_000_000


def fields_with_values(fields: dict[str, Any]) -> list[str]:
    """The names of the fields that have a value: what `title:*` asks for."""
    return sorted(name for name, value in fields.items()
                  if name not in NOT_SEARCHED and as_list(value))  # fmt: skip


def iter_index_fields(documents: Iterable[m.Document]) -> Iterator[dict[str, Any]]:
    documents = list(documents)
    pages = public_page_texts(_shas(documents))  # one query for the whole batch
    for document in documents:
        yield index_fields(document, pages)


def _shas(documents: Iterable[m.Document]) -> set[str]:
    return {f.sha256 for d in documents for f in d.files.all() if f.sha256}
