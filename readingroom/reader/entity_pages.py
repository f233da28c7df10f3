"""Pages of people, organizations, places, subjects and repositories, and an index page
of each kind. An entity is public only through a public document (nothing shows of a
person named in drafts alone), and its documents come from the search service, paged,
faceted and sortable like any search, never as a full list: the CIA's 11,000 documents
cost what twenty do."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db.models import Model
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import documents_visible_to
from readingroom.catalogue.models.agents import PlaceRole
from readingroom.reader.kinds import Kind
from readingroom.reader.links import Links
from readingroom.reader.paging import page_link
from readingroom.reader.results import Scope, results
from readingroom.search.service import Asked, facet_counts
from readingroom.web import limits

LETTERS = [*"ABCDEFGHIJKLMNOPQRSTUVWXYZ", "#"]
_INITIALS = {c.lower(): c for c in LETTERS[:-1]}
LEADING = re.compile(r"^[^a-z0-9]+")
INDEX_SORTS = {"name": "Name, A–Z", "count": "Most documents first"}


def entity_or_404(kind: Kind, pk: int, user) -> Model:
    """The entity, if a document this user may see names it; else 404."""
    entity = get_object_or_404(kind.rows(), pk=pk)
    if not documents_visible_to(user).filter(**{kind.documents_by: pk}).exists():
        raise Http404(f"No {kind.singular.lower()} {pk} in any published document.")
    return entity


@lru_cache(maxsize=200_000)  # names change rarely; an index page folds thousands
def _folded(text: str) -> str:
    """For sorting and initials: accents off, case folded ("Ébert" with the E's), and
    what comes before the first letter or digit left out ('"Bud" Smith', "(DELETED)")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return LEADING.sub("", " ".join(plain.casefold().split()))


def _initial(key: str) -> str:
    """The letter a folded key is listed under; "#" for a digit or anything else."""
    return _INITIALS.get(key[:1], "#")


def _read_letter(params) -> str:
    letter = params.get("letter", "")
    if letter and letter not in LETTERS:
        raise BadRequest(f"letter={letter[:10]!r}: one of A–Z or #.")
    return letter


def _description(kind: Kind, entity: Model) -> str | None:
    if kind.agent_kind:
        return entity.identification or None
    if kind.slug == "subjects":
        return entity.note or None
    if kind.slug == "repositories":
        return entity.location or None
    return None


def _other_names(kind: Kind, entity: Model) -> list[str]:
    names = [n.name for n in getattr(entity, kind.other_names).all()] if kind.other_names else []
    if kind.slug == "repositories":
        names = [n for n in (entity.abbreviation, entity.name_in_original_language) if n] + names
    return names


def entity_index(kind: Kind, request: HttpRequest) -> dict[str, Any]:
    """Every entity of a kind that a public document names, A–Z (or by how many
    documents name it), with those counts, a page at a time; by initial or by name."""
    g = request.GET
    window = limits.window(g, settings.LIST_PAGE_SIZE)
    letter, words = _read_letter(g), _folded(limits.query_text(g))
    sort = g.get("sort", "") or "name"
    if sort not in INDEX_SORTS:
        raise BadRequest(f"sort={sort[:20]!r}: one of {', '.join(INDEX_SORTS)}.")
    # Exact counts of public documents, from the index's facet (one aggregation): an
    # entity no public document names has none, and is not listed.
    counts = facet_counts(kind.facet, Asked())
    sort_field = "sort_name" if kind.agent_kind else kind.name_field
    # (folded key, initial, id, name, documents) of each entity a public document names.
    entries = []
    for pk, name, sort_name in kind.rows().values_list("pk", kind.name_field, sort_field):
        count = counts.get(str(pk))
        if count:
            key = _folded(sort_name or name)
            entries.append((key, _initial(key), pk, name, count))
    rank: dict[int, int] = {}
    if words:
        rank = _name_ranks(kind, entries, words)
        entries = [e for e in entries if e[2] in rank]
    letters = Counter(e[1] for e in entries)
    if letter:
        entries = [e for e in entries if e[1] == letter]
    if sort == "count":
        entries.sort(key=lambda e: (-e[4], e[0]))
    else:  # a name that is the words asked for (or another name of it) first
        entries.sort(key=lambda e: (rank.get(e[2], 0), e[0], e[2]))
    pages = max(1, -(-len(entries) // window.size))
    if window.page > pages:
        raise Http404(f"page={window.page}: this list has {pages:,} page(s).")
    page = entries[window.offset : window.offset + window.size]
    rows = kind.rows().filter(pk__in=[e[2] for e in page])
    if kind.other_names:
        rows = rows.prefetch_related(kind.other_names)
    found = {row.pk: row for row in rows}
    view, args = "reader:entities", (kind.slug,)
    links = Links(request, view, args)
    following = limits.bounded_page_link(window, len(entries))
    return {
        "kind": kind.slug, "title": kind.plural, "singular": kind.singular,
        "letter": letter or None, "query": g.get("q", ""), "sort": sort,
        "sorts": [{"value": k, "label": v, "selected": k == sort} for k, v in INDEX_SORTS.items()],
        "letters": [{"letter": a, "count": letters.get(a, 0), "current": a == letter,
                     "url": links.without("letter") if a == letter else _with(links, letter=a)}
                    for a in LETTERS],
        "all_url": links.without("letter"),
        "hidden_fields": links.hidden_inputs("q", "sort"),
        "count": len(entries), "page": window.page, "pages": pages, "page_size": window.size,
        "results": [_entry(kind, found[pk], count, request) for _, _, pk, _, count in page
                    if pk in found],
        "next": page_link(request, "reader:entities-json", args, following),
        "previous": page_link(request, "reader:entities-json", args, window.page - 1 or None),
        "next_html": page_link(request, view, args, following),
        "previous_html": page_link(request, view, args, window.page - 1 or None),
        "json_url": Links(request, "reader:entities-json", args).url(),
    }  # fmt: skip


def _name_ranks(kind: Kind, entries: list[tuple], words: str) -> dict[int, int]:
    """Each entity whose name or other name holds `words`, ranked: 0 the name itself
    ("CIA" is another name of the Central Intelligence Agency), 1 a name that starts
    with them, 2 one that holds them (AD/I&S/CIA)."""
    ranks: dict[int, int] = {}

    def rank(pk: int, name: str) -> None:
        folded = _folded(name)
        if words in folded:
            r = 0 if folded == words else 1 if folded.startswith(words) else 2
            ranks[pk] = min(r, ranks.get(pk, r))

    for e in entries:
        rank(e[2], e[3])
    if kind.other_names:
        rel = getattr(kind.model, kind.other_names).rel  # AgentName.agent, PlaceName.place
        listed = {e[2] for e in entries}
        for pk, name in (rel.related_model.objects.filter(name__icontains=words)
                         .values_list(rel.field.name, "name")):  # fmt: skip
            if pk in listed:
                rank(pk, name)
    return ranks


def _with(links: Links, **changes: str) -> str:
    params = links.params.copy()
    params.pop("page", None)
    for name, value in changes.items():
        params[name] = value
    return links.url(params)


def _entry(kind: Kind, entity: Model, count: int, request: HttpRequest) -> dict[str, Any]:
    return {
        "id": entity.pk,
        "name": getattr(entity, kind.name_field),
        "other_names": _other_names(kind, entity),
        "description": _description(kind, entity),
        "documents": count,
        "url": request.build_absolute_uri(kind.url(entity.pk)),
        "json_url": request.build_absolute_uri(kind.json_url(entity.pk)),
    }


def entity_detail(kind: Kind, entity: Model, request: HttpRequest) -> dict[str, Any]:
    """Who or what it is, and its documents through the search service: a page of
    them with facets, a chart by year, a sort control and numbered pages."""
    html_view, json_view = (("reader:agent", "reader:agent-json") if kind.agent_kind
                            else ("reader:entity", "reader:entity-json"))  # fmt: skip
    args = (entity.pk,) if kind.agent_kind else (kind.slug, entity.pk)
    scope = Scope(html_view, json_view, args, within=(kind.facet, str(entity.pk)))
    found = results(request, scope)
    roles = _roles(kind, entity, [h["record_id"] for h in found["hits"]])
    documents = [{**hit, "roles": roles.get(hit["record_id"], [])} for hit in found.pop("hits")]
    out = {
        "kind": kind.slug, "kind_label": kind.singular, "kind_plural": kind.plural,
        "index_url": request.build_absolute_uri(kind.index_url()),
        "id": entity.pk,
        "name": getattr(entity, kind.name_field),
        "other_names": _other_names(kind, entity),
        "description": _description(kind, entity),
        **_particulars(kind, entity, request),
        "documents": documents,
        **found,
        # As the collection pages say it (and the agent pages always have).
        "paging": {"count": found["total"], "page": found["page"],
                   "pages": found["pages"]["count"], "page_size": found["page_size"],
                   **{k: found[k] for k in ("next", "previous", "next_html", "previous_html")}},
    }  # fmt: skip
    return out


def _roles(kind: Kind, entity: Model, pks: list[int]) -> dict[int, list[str]]:
    """Each listed document's roles for this person, organization or place."""
    if kind.agent_kind:
        model, field, labels = m.DocumentAgent, "agent_id", dict(m.Role.choices)
    elif kind.slug == "places":
        model, field, labels = m.DocumentPlace, "place_id", dict(PlaceRole.choices)
    else:
        return {}
    # By the page's documents (a few links each), not by the entity (the CIA has 11,000).
    links = model.objects.filter(document_id__in=pks).order_by("pk")
    roles: dict[int, list[str]] = {}
    for document, linked, role in links.values_list("document_id", field, "role"):
        label = labels.get(role, role)
        if linked == entity.pk and label not in roles.setdefault(document, []):
            roles[document].append(label)
    return roles


def _particulars(kind: Kind, entity: Model, request: HttpRequest) -> dict[str, Any]:
    """What only some kinds have: a person's identification in each volume, where an
    archive is and its site, a subject's scheme."""
    if kind.agent_kind:
        from readingroom.reader.entities import collection_ref

        identifications = entity.identifications.select_related("collection").order_by(
            "collection__identifier")  # fmt: skip
        return {
            "sort_name": entity.sort_name or None,
            "agent_kind": entity.kind,
            "identifications": [
                {"collection": collection_ref(i.collection, request),
                 "name_as_listed": i.name_as_listed, "identification": i.identification or None}
                for i in identifications[: settings.LIST_PAGE_SIZE]
            ],
        }  # fmt: skip
    if kind.slug == "repositories":
        return {"location": entity.location or None, "website": entity.url or None}
    if kind.slug == "subjects":
        return {"scheme": entity.scheme or None}
    if kind.slug == "places":
        coordinates = (entity.latitude, entity.longitude)
        return {"coordinates": list(coordinates) if None not in coordinates else None}
    return {}
