"""An editor accepts a suggested document type (`models/suggestions.py`): the document
gets the type in a revision that says where the suggestion came from, and its
suggestions, answered, are removed."""

from __future__ import annotations

import reversion
from django.db import transaction

from readingroom.catalogue import models as m


def accept(suggestion: m.TypeSuggestion, user) -> m.Document:
    document = suggestion.document
    where = suggestion.get_source_display()
    if suggestion.page:
        where += f", page {suggestion.page}"
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(
            f"Document type set to {suggestion.document_type.label}, as suggested by "
            f"{where}: “{suggestion.evidence}”."
        )
        document.document_type = suggestion.document_type
        document.save()
        m.TypeSuggestion.objects.filter(document=document).delete()
    return document


def agreed(document: m.Document) -> m.TypeSuggestion | None:
    """The suggestion to accept for a document whose suggestions all name one type (the
    scan's header first: the record's own words); None when they disagree or it has none."""
    suggestions = list(document.type_suggestions.select_related("document_type"))
    if len({s.document_type_id for s in suggestions}) != 1:
        return None
    return min(suggestions, key=lambda s: (s.source != "scan", s.pk))
