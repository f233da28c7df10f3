"""Read services: one plain dict per page, rendered as HTML or JSON by the views.

Everything here starts from the public gate (or the staff view of it); a serializer
or template never queries beyond the dict it is handed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse

from readingroom.catalogue import models as m
from readingroom.catalogue.dates import display_date
from readingroom.catalogue.gate import documents_visible_to
from readingroom.interop.formats import chicago
from readingroom.reader import scans

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


def contributor(link: m.DocumentAgent, request: HttpRequest) -> dict[str, Any]:
    """An agent in a role, or what the source wrote where a name belongs: a withheld
    name ("[name withheld]"), an office alone, a note; only an agent has a page."""
    agent = link.agent
    return {
        "role": link.role,
        "role_label": link.get_role_display(),
        "name": link.shown_name,
        "kind": agent.kind if agent else None,
        "office": link.office or None,
        "note": link.note or None,
        "name_withheld": link.name_withheld,
        "name_as_written": link.name_as_written or None,
        "url": request.build_absolute_uri(agent.get_absolute_url()) if agent else None,
    }


def funder_line(names: list[str]) -> str:
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"This document was made possible with support from {joined}"


def document_queryset(user) -> QuerySet[m.Document]:
    return documents_visible_to(user).select_related("document_type", "physical_form")


def document_detail_queryset(user) -> QuerySet[m.Document]:
    return document_queryset(user).prefetch_related(
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
        Prefetch("texts", queryset=m.Text.objects.select_related("language", "translator")),
        Prefetch("memberships", queryset=m.CollectionMember.objects.select_related("collection")),
    )


def document_summary(d: m.Document, request: HttpRequest) -> dict[str, Any]:
    url = reverse("reader:document", args=[d.identifier])
    return {
        "identifier": d.identifier,
        "record_id": d.pk,
        "title": d.title,
        "date": _date(d),
        "document_type": _document_type(d),
        "classification": {
            "level": d.classification_level,
            "label": d.get_classification_level_display(),
        },
        "summary": d.summary or NOT_RECORDED,
        "url": request.build_absolute_uri(url),
        "json_url": request.build_absolute_uri(
            reverse("reader:document-json", args=[d.identifier])
        ),
    }


def document_detail(d: m.Document, request: HttpRequest) -> dict[str, Any]:
    out = document_summary(d, request)
    funders = [f.name for f in d.funders.all()]
    out.update(
        {
            "state": d.state,
            "physical_form": _term(d.physical_form, d.physical_form_as_written),
            "classification": {
                "level": d.classification_level,
                "label": d.get_classification_level_display(),
                "marking": d.classification_marking or NOT_RECORDED,
                "caveats": [c.text for c in d.caveats.all()],
            },
            "languages": [{"code": lang.code, "name": lang.name} for lang in d.languages.all()],
            "funders": funders,
            "funder_line": funder_line(funders) or NOT_RECORDED,
            "rights": {
                "uri": d.rights_uri or NOT_RECORDED,
                "label": d.get_rights_uri_display() if d.rights_uri else NOT_RECORDED,
                "text": d.rights_text or NOT_RECORDED,
            },
            "archival_references": [
                {
                    "as_written": r.as_written,
                    "repository": {
                        "name": r.repository.name,
                        "abbreviation": r.repository.abbreviation or None,
                    }
                    if r.repository
                    else NOT_RECORDED,
                    "parts": r.parts(),
                }
                for r in d.archival_references.all()
            ],
            "contributors": [contributor(link, request) for link in d.agent_links.all()],
            "places": [{"role": p.role, "name": p.place.name} for p in d.place_links.all()],
            "subjects": [s.term for s in d.subjects.all()],
            "identifiers": [{"scheme": i.scheme, "value": i.value} for i in d.identifiers.all()],
            "texts": [
                {
                    "id": f"text-{i + 1}",
                    "kind": t.kind,
                    "kind_label": t.get_kind_display(),
                    "language": {"code": t.language.code, "name": t.language.name}
                    if t.language
                    else NOT_RECORDED,
                    "format": t.format,
                    "format_label": t.get_format_display(),
                    "translator": t.translator.name if t.translator else NOT_RECORDED,
                    "html": t.html,
                }
                for i, t in enumerate(d.texts.all())
            ],
            "files": [
                {
                    "name": f.name,
                    "media_type": f.media_type,
                    "size": f.size,
                    "sha256": f.sha256 or None,
                    "held": f.is_held,
                    "note": f.note or None,
                    "url": request.build_absolute_uri(
                        reverse("reader:file", args=[d.identifier, f.pk, f.name])
                    )
                    if f.is_held
                    else None,
                }
                for f in d.files.all()
            ],
            "collections": [
                {
                    "identifier": c.collection.identifier,
                    "title": c.collection.title,
                    "url": request.build_absolute_uri(c.collection.get_absolute_url()),
                }
                for c in d.memberships.all()
            ],
            "source": {
                "record_id": d.source_record_id or NOT_RECORDED,
                "uploaded_on": d.source_uploaded_on.isoformat()
                if d.source_uploaded_on
                else NOT_RECORDED,
                "citation_as_written": d.citation_as_written or NOT_RECORDED,
            },
            "uploaded_at": d.created_at.isoformat(),
            "modified_at": d.modified_at.isoformat(),
        }
    )
    out["extent_pages"] = d.extent_pages
    out["releases"] = scans.release_history(d)
    out["scans"] = scans.scanned_pages(d, request, request.GET.get("q", ""))
    out["has_machine_read_text"] = scans.machine_read_text(out["scans"])
    out["mentioned"] = [c for c in out["contributors"] if c["role"] == "mentioned"]
    # Names the releasing agency withheld: counted with the release history.
    out["names_withheld"] = [
        {"role": c["role"], "role_label": c["role_label"], "office": c["office"]}
        for c in out["contributors"]
        if c["name_withheld"]
    ]
    out["citation"] = {"chicago": chicago.cite(out, publisher=settings.SITE_NAME, url=out["url"])}
    return out


def document_list(request: HttpRequest) -> dict[str, Any]:
    """One page of visible documents, optionally filtered by words in title or summary."""
    query = request.GET.get("q", "").strip()
    qs = document_queryset(request.user)
    for word in query.split()[:10]:
        qs = qs.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(identifier__iexact=word)
        )
    paginator = Paginator(qs.order_by("date_start", "identifier"), settings.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))

    def link(number: int | None, view: str) -> str | None:
        if number is None:
            return None
        params = request.GET.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(f"{reverse(view)}?{params.urlencode()}")

    return {
        "query": query,
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": link(page.next_page_number() if page.has_next() else None, "reader:documents-json"),
        "previous": link(
            page.previous_page_number() if page.has_previous() else None, "reader:documents-json"
        ),
        "next_html": link(page.next_page_number() if page.has_next() else None, "reader:documents"),
        "previous_html": link(
            page.previous_page_number() if page.has_previous() else None, "reader:documents"
        ),
        "results": [document_summary(d, request) for d in page.object_list],
    }
