"""Facet values as people read them: a document type's label for its slug, a
collection's title for its identifier, an agent's name for its id. One query per kind
of value for the values a page shows (never for every value of a facet)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from readingroom.catalogue import models as m
from readingroom.search.backends.base import FACETS

TRANSLATED = {"yes": "Has a translation", "no": "No translation"}


def _ids(values: Iterable[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) <= 18]


def _by_slug(model) -> Callable[[set[str]], dict[str, str]]:
    return lambda values: dict(model.objects.filter(slug__in=values).values_list("slug", "label"))


def _by_id(queryset, field: str) -> Callable[[set[str]], dict[str, str]]:
    def look_up(values: set[str]) -> dict[str, str]:
        rows = queryset.filter(pk__in=_ids(values)).values_list("pk", field)
        return {str(pk): name for pk, name in rows}

    return look_up


def _classification(values: set[str]) -> dict[str, str]:
    return {v: label for v, label in m.ClassificationLevel.choices if v in values}


def _language(values: set[str]) -> dict[str, str]:
    return dict(m.Language.objects.filter(code__in=values).values_list("code", "name"))


def _collection(values: set[str]) -> dict[str, str]:
    rows = m.Collection.objects.filter(identifier__in=values).values_list("identifier", "title")
    return dict(rows)


def _repository(values: set[str]) -> dict[str, str]:
    rows = m.Repository.objects.filter(pk__in=_ids(values)).values_list(
        "pk", "name", "abbreviation")  # fmt: skip
    return {str(pk): f"{name} ({abbreviation})" if abbreviation else name
            for pk, name, abbreviation in rows}  # fmt: skip


# What each kind of value (Facet.values) is looked up in.
LOOK_UPS: dict[str, Callable[[set[str]], dict[str, str]]] = {
    "plain": lambda values: {v: v for v in values},
    "translated": lambda values: {v: TRANSLATED.get(v, v) for v in values},
    "document-type": _by_slug(m.DocumentType),
    "classification": _classification,
    "language": _language,
    "collection": _collection,
    "repository": _repository,
    "agent": _by_id(m.Agent.objects, "name"),
    "place": _by_id(m.Place.objects, "name"),
    "subject": _by_id(m.Subject.objects, "term"),
}


def labels(values: dict[str, Iterable[str]]) -> dict[str, dict[str, str]]:
    """facet → value → label, for the given values of each facet. Facets whose values
    are of one kind (people and organizations are both agents) share one query; a
    value with nothing to name it (a record since deleted) is shown as it is."""
    wanted: dict[str, set[str]] = {}
    for name, found in values.items():
        wanted.setdefault(FACETS[name].values, set()).update(found)
    named = {kind: LOOK_UPS[kind](found) if found else {} for kind, found in wanted.items()}
    return {name: {v: named[FACETS[name].values].get(v, v) for v in found}
            for name, found in values.items()}  # fmt: skip
