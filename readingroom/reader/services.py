"""Read services: one plain dict per page, rendered as HTML or JSON by the views.

Everything here starts from the public gate (or the staff view of it); a serializer
or template never queries beyond the dict it is handed.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.db.models import F, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from readingroom.catalogue import models as m
from readingroom.catalogue.dates import display_date
from readingroom.catalogue.gate import documents_visible_to, effective_modified, public_since
from readingroom.interop.formats import registry
from readingroom.reader import paths, scans
from readingroom.reader.bulk import prefetch_metadata
from readingroom.reader.kinds import KINDS
from readingroom.reader.paging import paged
from readingroom.web import limits

NOT_RECORDED = None  # JSON null; templates say "Not recorded"


def _date(d: m.Document) -> dict[str, Any]:
    return {
        "display": display_date(d.date_precision, d.date_start, d.date_end, d.time_start),
        "as_written": d.date_as_written or NOT_RECORDED,
        "precision": d.date_precision,
        "start": d.date_start.isoformat() if d.date_start else None,
        "end": d.date_end.isoformat() if d.date_end else None,
        "time_start": d.time_start.isoformat() if d.time_start else None,
        "time_end": d.time_end.isoformat() if d.time_end else None,
        "utc_offset_minutes": d.date_utc_offset,
    }


def _term(term, as_written: str) -> dict[str, Any] | None:
    if term is None and not as_written:
        return NOT_RECORDED
    return {
        "slug": term.slug if term else None,
        "label": term.label if term else as_written,
        "as_written": as_written or None,
    }


def _document_type(d: m.Document) -> dict[str, Any] | None:
    # One source column may name a physical form only ("PAPER - TEXTUAL DOCUMENT"):
    # then the form is recorded and the type is not, rather than shown twice.
    if (d.document_type is None and d.physical_form is not None
            and d.document_type_as_written == d.physical_form_as_written):  # fmt: skip
        return NOT_RECORDED
    return _term(d.document_type, d.document_type_as_written)


@cache
def _choices(model: type, field: str) -> dict[Any, str]:
    return {value: str(text) for value, text in model._meta.get_field(field).flatchoices}


def label(instance: Any, field: str) -> str:
    """`instance.get_FIELD_display()`, from the choices read once per field: a harvest
    page asks it thousands of times and Django rebuilds the choices at each call."""
    value = getattr(instance, field)
    return _choices(type(instance), field).get(value, value)


def contributor(link: m.DocumentAgent, request: HttpRequest) -> dict[str, Any]:
    """An agent in a role, or what the source wrote where a name belongs: a withheld
    name ("[name withheld]"), an office alone, a note; only an agent has a page."""
    agent = link.agent
    return {
        "role": link.role,
        "role_label": label(link, "role"),
        "name": link.shown_name,
        "sort_name": (agent.sort_name or None) if agent else None,
        "kind": agent.kind if agent else None,
        "office": link.office or None,
        "note": link.note or None,
        "name_withheld": link.name_withheld,
        "name_as_written": link.name_as_written or None,
        "url": paths.absolute(request, paths.path("reader:agent", agent.pk)) if agent else None,
    }


def funder_line(names: list[str]) -> str:
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"This document was made possible with support from {joined}"


def _volume(c: m.Collection) -> dict[str, Any]:
    """A published volume as its citations name it (FRUS: title, editors, imprint)."""
    return {
        "identifier": c.identifier,
        "title": c.title,
        "editors": [e for e in c.editors.splitlines() if e.strip()],
        "publisher": c.publisher or None,
        "publication_place": c.publication_place or None,
        "published": c.published or None,
        "isbn": c.isbn or None,
    }


def _membership(c: m.Collection, request: HttpRequest) -> dict[str, Any]:
    path = [*c.ancestors(), c]  # root first; parents come from the prefetch
    volume = next((node for node in reversed(path) if node.published), None)
    return {
        "identifier": c.identifier,
        "title": c.title,
        "kind": c.kind,
        "url": paths.absolute(request, paths.path("reader:collection", c.identifier)),
        "root": {"identifier": path[0].identifier, "title": path[0].title},
        "volume": _volume(volume) if volume else None,
    }


def canonical_url(path: str) -> str | None:
    """The absolute URL of `path` at READINGROOM_BASE_URL, or None when it is not set: a
    citation carries only the archive's published address, never a guessed host."""
    return settings.BASE_URL + path if settings.BASE_URL else None


def document_queryset(user) -> QuerySet[m.Document]:
    return documents_visible_to(user).select_related("document_type", "physical_form",
                                                     "title_original_language")  # fmt: skip


def _metadata_prefetches() -> list:
    """Everything `document_metadata` reads, a query per relation for a whole page."""
    return [
        "languages",
        "funders",
        "subjects",
        "caveats",
        "identifiers",
        "files",
        "releases",
        Prefetch(
            "archival_references", queryset=m.ArchivalReference.objects.select_related("repository")
        ),
        Prefetch("agent_links", queryset=m.DocumentAgent.objects.select_related("agent")),
        Prefetch("place_links", queryset=m.DocumentPlace.objects.select_related("place")),
        # Three levels up (chapter → volume → series): the volume a document is cited by.
        Prefetch("memberships", queryset=m.CollectionMember.objects.select_related(
            "collection__parent__parent")),
    ]


def document_detail_queryset(user) -> QuerySet[m.Document]:
    return document_queryset(user).prefetch_related(
        *_metadata_prefetches(),
        Prefetch("texts", queryset=m.Text.objects.select_related(
            "language", "translator", "source_text__language")),
        Prefetch("relations", queryset=m.DocumentRelation.objects.select_related("target")),
    )


def metadata_of(queryset: QuerySet[m.Document]) -> list[m.Document]:
    """The records of `queryset` (already through the gate) with everything
    `document_metadata` reads but their texts: for harvesting and feeds, many at once."""
    documents = list(queryset)
    prefetch_metadata(documents)
    return documents


def document_summary(d: m.Document, request: HttpRequest) -> dict[str, Any]:
    url = paths.path("reader:document", d.identifier)
    return {
        "identifier": d.identifier,
        "record_id": d.pk,
        "title": d.title,
        "date": _date(d),
        "document_type": _document_type(d),
        "classification": {
            "level": d.classification_level,
            "label": label(d, "classification_level"),
        },
        "summary": d.summary or NOT_RECORDED,
        # The two times of catalogue/gate.py: since when the public can see it, and
        # when it last changed for the public (an ended embargo counts).
        "public_since": public_since(d).isoformat(),
        "modified_at": effective_modified(d).isoformat(),
        "url": paths.absolute(request, url),
        "json_url": paths.absolute(request, paths.path("reader:document-json", d.identifier)),
    }


def document_detail(d: m.Document, request: HttpRequest) -> dict[str, Any]:
    from readingroom.reader.neighbours import neighbours  # it lists documents: summaries

    out = document_metadata(d, request, texts=True)
    out["neighbours"] = neighbours(d, request)
    out["scans"] = scans.scanned_pages(d, request, request.GET.get("q", ""))
    out["has_machine_read_text"] = scans.machine_read_text(out["scans"])
    out["mentioned"] = [c for c in out["contributors"] if c["role"] == "mentioned"]
    out["citations"] = citations(out)
    out["citation"] = out["citations"][0]  # the archive's own form, shown on the page
    out["cite_url"] = request.build_absolute_uri(reverse("reader:document-cite",
                                                         args=[d.identifier]))
    return out


def document_metadata(d: m.Document, request: HttpRequest, texts: bool = False
                      ) -> dict[str, Any]:  # fmt: skip
    """The public dict of one record that every format renders from (the page's, less
    its scans and citations; its texts when asked), with no query beyond the prefetches
    of `metadata_queryset`."""
    out = document_summary(d, request)
    funders = [f.name for f in d.funders.all()]
    out.update(
        {
            "state": d.state,
            "physical_form": _term(d.physical_form, d.physical_form_as_written),
            "classification": {
                "level": d.classification_level,
                "label": label(d, "classification_level"),
                "marking": d.classification_marking or NOT_RECORDED,
                "caveats": [c.text for c in d.caveats.all()],
            },
            "languages": [_language(lang) for lang in d.languages.all()],
            # The title as it stands on the document, in its own language (Russian
            # documents of the un-ussr set), shown beside the cataloguer's English one.
            "title_original": {
                "text": d.title_original,
                "language": _language(d.title_original_language)
                if d.title_original_language else NOT_RECORDED,
            } if d.title_original else NOT_RECORDED,
            "funders": funders,
            "funder_line": funder_line(funders) or NOT_RECORDED,
            "rights": {
                "uri": d.rights_uri or NOT_RECORDED,
                "label": label(d, "rights_uri") if d.rights_uri else NOT_RECORDED,
                "text": d.rights_text or NOT_RECORDED,
            },
            "archival_references": [
                {
                    "as_written": r.as_written,
                    "repository": {
                        "name": r.repository.name,
                        "abbreviation": r.repository.abbreviation or None,
                        "location": r.repository.location or None,
                        "url": paths.absolute(request, KINDS["repositories"].url(r.repository_id)),
                    }
                    if r.repository
                    else NOT_RECORDED,
                    "parts": r.parts(),
                }
                for r in d.archival_references.all()
            ],
            "contributors": [contributor(link, request) for link in d.agent_links.all()],
            "places": [
                {"role": p.role, "name": p.place.name,
                 "url": paths.absolute(request, KINDS["places"].url(p.place_id))}
                for p in d.place_links.all()
            ],
            "subjects": [s.term for s in d.subjects.all()],
            "subject_links": [
                {"term": s.term, "note": s.note or None,
                 "url": paths.absolute(request, KINDS["subjects"].url(s.pk))}
                for s in d.subjects.all()
            ],
            "identifiers": [{"scheme": i.scheme, "value": i.value} for i in d.identifiers.all()],
            "files": [
                {
                    "name": f.name,
                    "media_type": f.media_type,
                    "size": f.size,
                    "sha256": f.sha256 or None,
                    "held": f.is_held,
                    "note": f.note or None,
                    "url": paths.absolute(
                        request, reverse("reader:file", args=[d.identifier, f.pk, f.name])
                    )
                    if f.is_held
                    else None,
                }
                for f in d.files.all()
            ],
            "collections": [_membership(c.collection, request) for c in d.memberships.all()],
            "source": {
                "record_id": d.source_record_id or NOT_RECORDED,
                "uploaded_on": d.source_uploaded_on.isoformat()
                if d.source_uploaded_on
                else NOT_RECORDED,
                "citation_as_written": d.citation_as_written or NOT_RECORDED,
            },
            "uploaded_at": d.created_at.isoformat(),
        }
    )
    if texts:
        out["texts"] = _texts(d)
        out["relations"] = _relations(d, request)
    out["extent_pages"] = d.extent_pages
    out["releases"] = scans.release_history(d)
    # Names the releasing agency withheld: counted with the release history.
    out["names_withheld"] = [
        {"role": c["role"], "role_label": c["role_label"], "office": c["office"]}
        for c in out["contributors"]
        if c["name_withheld"]
    ]
    out["canonical_url"] = canonical_url(paths.path("reader:document", d.identifier))
    return out


def _language(lang: m.Language) -> dict[str, str]:
    return {"code": lang.code, "name": lang.name, "native_name": lang.native_name or lang.name,
            "direction": lang.direction}  # fmt: skip


def _texts(d: m.Document) -> list[dict[str, Any]]:
    """Each text with its language, direction and role: an original, another language
    version, a translation (from which text, by whom), a transcript."""
    texts = list(d.texts.all())
    ids = {t.pk: f"text-{i + 1}" for i, t in enumerate(texts)}
    return [
        {
            "id": ids[t.pk],
            "kind": t.kind,
            "kind_label": label(t, "kind"),
            "language": _language(t.language) if t.language else NOT_RECORDED,
            "direction": t.shown_direction,
            "title": t.title or None,
            "format": t.format,
            "format_label": label(t, "format"),
            "translator": t.translator.name if t.translator else NOT_RECORDED,
            "source_text": {
                "id": ids.get(t.source_text_id),
                "kind_label": label(t.source_text, "kind"),
                "language": t.source_text.language.name if t.source_text.language
                else NOT_RECORDED,
            } if t.source_text_id and t.source_text_id in ids else None,
            "html": t.html,
        }
        for t in texts
    ]


def _relations(d: m.Document, request: HttpRequest) -> list[dict[str, Any]]:
    """How this document stands to others: only targets the reader may see are linked
    (a draft's title never shows), the others named as the source wrote them."""
    visible = set(documents_visible_to(request.user).filter(
        pk__in=[r.target_id for r in d.relations.all() if r.target_id]
    ).values_list("pk", flat=True))  # fmt: skip
    return [
        {
            "kind": r.kind,
            "kind_label": label(r, "kind"),
            "title": r.target.title if r.target_id in visible else None,
            "url": paths.path("reader:document", r.target.identifier)
            if r.target_id in visible else None,
            "as_written": r.target_as_written,
        }
        for r in d.relations.all()
    ]


def citations(document: dict[str, Any], locator: str = "") -> list[dict[str, Any]]:
    """Every format of the registry, rendered from the public dict (and nothing else),
    each with the URL that downloads it."""
    cite = reverse("reader:document-cite", args=[document["identifier"]])
    out = registry.rendered(document, settings.SITE_NAME, locator)
    for entry in out:
        f = registry.BY_NAME[entry["name"]]
        path = (reverse(f"reader:document-{f.name}", args=[document["identifier"]]) if f.route
                else f"{cite}?style={f.name}&download=1")  # fmt: skip
        entry["download_url"] = path
        entry["filename"] = f.filename(document["identifier"])
    return out


def document_list(request: HttpRequest) -> dict[str, Any]:
    """One page of visible documents, optionally filtered by words in title or summary;
    oldest first, undated ones last."""
    query = limits.query_text(request.GET).strip()
    window = limits.window(request.GET)
    qs = document_queryset(request.user)
    for word in query.split()[:10]:
        qs = qs.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(identifier__iexact=word)
        )
    rows, paging = paged(request, qs.order_by(*OLDEST_FIRST), window,
                         "reader:documents", "reader:documents-json")  # fmt: skip
    return {"query": query, **paging,
            "results": [document_summary(d, request) for d in rows]}  # fmt: skip


# Dated documents by date, then the undated ones (in both databases: SQLite puts
# NULL first by default, PostgreSQL last).
OLDEST_FIRST = (F("date_start").asc(nulls_last=True), "identifier")
