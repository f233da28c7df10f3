"""Deciding a conflict: a source's value for something an editor changed (raised by the
loader, `ingest/merge_writer.py`). Accepting puts the source's value in the document
and hands the field or part back to the sources (their next change applies, no conflict
again); dismissing keeps the editor's value. Either decision is a version of the
document, with who decided and what, so the history shows it.
"""

from __future__ import annotations

from typing import Any

import reversion
from django.db import transaction
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.catalogue.editing import forget_edits, source_writing
from readingroom.catalogue.provenance import KINDS, apply_value, keyed_rows
from readingroom.catalogue.vocabularies import document_type_for, physical_form_for


def _term(spelling: str, what: str) -> Any:
    return document_type_for(spelling) if what == "document type" else physical_form_for(spelling)


def accept(conflict: m.Conflict, user) -> None:
    """The source's value replaces the editor's."""
    _decide(conflict, user, m.ConflictStatus.ACCEPTED, _put_source_value)


def dismiss(conflict: m.Conflict, user) -> None:
    """The editor's value stays."""
    _decide(conflict, user, m.ConflictStatus.DISMISSED, lambda conflict, document: None)


def _decide(conflict: m.Conflict, user, status: str, change) -> None:
    if conflict.status != m.ConflictStatus.OPEN:
        return  # decided already (two editors at once): the first decision stands
    verb = "accepted" if status == m.ConflictStatus.ACCEPTED else "dismissed"
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(
            f"Conflict {verb}: {conflict.name} {conflict.key} from {conflict.source_label}".replace(
                "  ", " "
            )
        )
        document = m.Document.objects.select_for_update().get(pk=conflict.document_id)
        change(conflict, document)
        conflict.status, conflict.decided_at, conflict.decided_by = status, timezone.now(), user
        conflict.save()
        reversion.add_to_revision(m.Document.objects.get(pk=document.pk))


def _put_source_value(conflict: m.Conflict, document: m.Document) -> None:
    # The sources' value again: written as a source writes (no editor's change
    # recorded), and the editor's mark taken off, so the sources speak for it again.
    with source_writing():
        if conflict.what == "field":
            apply_value(document, conflict.name, conflict.source_value, _term)
            document.full_clean(exclude=["document_type", "physical_form"])
            document.save()
            forget_edits(document.pk, field=conflict.name)
            return
        _replace_part(document, conflict.name, conflict.key, conflict.source_value["row"])
        forget_edits(document.pk, part=(conflict.name, conflict.key))


def _replace_part(document: m.Document, kind: str, key: str, row: dict[str, Any]) -> None:
    """The editor's part of that key (if any is left) replaced by the source's row."""
    k = KINDS[kind]
    stored = keyed_rows(kind, [document.pk])[document.pk].get(key)
    if k.many_to_many:
        related = getattr(document, k.related_name)
        if stored is None:
            related.add(row[f"{k.model._meta.model_name}_id"])
        return
    if stored is not None:
        k.model.objects.filter(pk=stored[0]).delete()
    fields = {f.attname: f for f in k.model._meta.concrete_fields}
    # JSON as the fields take it (dates were stored as ISO text).
    values = {name: fields[name].to_python(value) for name, value in row.items() if name in fields}
    k.model.objects.create(document=document, **values)
