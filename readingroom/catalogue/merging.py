"""An editor merging two records of one person, place or archive that sources spelled
two ways ("Nikita S. Khrushchev" and "Khrushchev, N."; "Department of Sate").

The kept record takes every link of the others, and their names become its other names:
the importers look names up through other names (`ingest/lookups.py`,
`vocabularies.repository_for`), so a later import that meets a merged spelling links to
the kept record and never makes the merged one again. The documents whose links moved
get a version (the merge named in its comment) and go to the outbox (their index
entries name people and places by id).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models, transaction

from readingroom.catalogue import models as m
from readingroom.catalogue.outbox import record_changes
from readingroom.catalogue.versions import keep_state, keep_state_before_change

# Each mergeable model, with the model holding its other names.
OTHER_NAMES: dict[type[models.Model], type[models.Model]] = {
    m.Agent: m.AgentName,
    m.Place: m.PlaceName,
    m.Repository: m.RepositoryName,
}


class MergeError(ValueError):
    pass


@dataclass(frozen=True)
class Merged:
    kept: models.Model
    names: list[str]  # the merged records' names, now other names of the kept one
    documents: int  # documents whose links moved


def merge(keep: models.Model, others: list[models.Model], user=None) -> Merged:
    """Merge `others` into `keep`, in one transaction."""
    model = type(keep)
    if model not in OTHER_NAMES:
        raise MergeError(f"{model._meta.verbose_name_plural} cannot be merged")
    others = [o for o in others if o.pk != keep.pk]
    if not others:
        raise MergeError("choose at least two records: the one kept and one to merge into it")
    if any(type(o) is not model for o in others):
        raise MergeError("only records of one kind can be merged")
    if model is m.Agent and any(o.kind != keep.kind for o in others):
        raise MergeError(f"a {keep.get_kind_display().lower()} can only be merged with "
                         f"another {keep.get_kind_display().lower()}")  # fmt: skip
    ids = [o.pk for o in others]
    with transaction.atomic():
        documents = linked_documents(model, ids)
        keep_state_before_change(documents)
        names = _move_names(keep, others)
        for relation in model._meta.related_objects:
            if relation.one_to_many and relation.related_model is not OTHER_NAMES[model]:
                field = relation.field
                relation.related_model._base_manager.filter(
                    **{f"{field.attname}__in": ids}).update(**{field.attname: keep.pk})  # fmt: skip
        model._base_manager.filter(pk__in=ids).delete()
        identifiers = dict(m.Document.objects.filter(pk__in=documents)
                           .values_list("pk", "identifier"))  # fmt: skip
        record_changes(list(identifiers.items()))
        merged = ", ".join(map(repr, names))
        keep_state(documents, user=user,
                   comment=f"Merged the {model._meta.verbose_name} {merged} into {keep}")
    return Merged(keep, names, len(documents))


def linked_documents(model: type[models.Model], ids: list[int]) -> list[int]:
    """Documents with a part that points at one of these records."""
    found: set[int] = set()
    for relation in model._meta.related_objects:
        part = relation.related_model
        if relation.one_to_many and any(f.name == "document" for f in part._meta.fields):
            found.update(part._base_manager.filter(**{f"{relation.field.attname}__in": ids})
                         .values_list("document_id", flat=True))  # fmt: skip
    return sorted(found)


def _move_names(keep: models.Model, others: list[models.Model]) -> list[str]:
    """The others' names and other names become the kept record's other names."""
    name_model = OTHER_NAMES[type(keep)]
    owner = name_model._meta.get_field(type(keep)._meta.model_name).attname
    merged = [o.name for o in others]
    spellings = [*merged, *name_model.objects.filter(**{f"{owner}__in": [o.pk for o in others]})
                 .values_list("name", flat=True)]  # fmt: skip
    if type(keep) is m.Repository:
        spellings += [o.abbreviation for o in others if o.abbreviation]
    name_model.objects.filter(**{f"{owner}__in": [o.pk for o in others]}).delete()
    had = set(name_model.objects.filter(**{owner: keep.pk}).values_list("name", flat=True))
    new = {s for s in spellings if s and s != keep.name and s not in had}
    if name_model._meta.get_field("name").unique:  # a spelling of another archive stays its
        new -= set(name_model.objects.filter(name__in=new).values_list("name", flat=True))
    name_model.objects.bulk_create([name_model(**{owner: keep.pk, "name": s}) for s in sorted(new)])
    return merged
