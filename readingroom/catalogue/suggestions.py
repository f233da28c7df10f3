"""Document types suggested for a document whose source gives only a physical form
(NARA's `PAPER - TEXTUAL DOCUMENT`), and an editor accepting one.

Two sources (`type_cues.py`): the title's opening words, read when the suggestions are
shown (the title is at hand, nothing needs storing), and the scan's form header, read by
the page worker once the scan is read and stored (`models/suggestions.py`). Accepting
one gives the document the type in a revision that names the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import reversion
from django.db import transaction

from readingroom.catalogue import models as m
from readingroom.catalogue.type_cues import title_cue


@dataclass(frozen=True)
class Suggestion:
    document_type: m.DocumentType
    source: str  # a SuggestionSource value: title | scan
    evidence: str  # the words that suggest it
    page: int | None = None

    @property
    def where(self) -> str:
        label = m.SuggestionSource(self.source).label
        return f"{label}, page {self.page}" if self.page else label


def suggestions_for(document: m.Document) -> list[Suggestion]:
    """What the document's own words suggest, the title's first; none once it has a type."""
    if document.pk is None or document.document_type_id is not None:
        return []
    found = []
    cue = title_cue(document.title)
    kind = cue and m.DocumentType.objects.filter(slug=cue.slug).first()
    if kind:
        found.append(Suggestion(kind, m.SuggestionSource.TITLE, cue.evidence))
    stored = document.type_suggestions.select_related("document_type")
    found += [Suggestion(s.document_type, s.source, s.evidence, s.page) for s in stored]
    return found


def accept(document: m.Document, suggestion: Suggestion, user) -> m.Document:
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(
            f"Document type set to {suggestion.document_type.label}, as suggested by "
            f"{suggestion.where}: “{suggestion.evidence}”."
        )
        document.document_type = suggestion.document_type
        document.save()
        m.TypeSuggestion.objects.filter(document=document).delete()  # answered
    return document


def agreed(document: m.Document) -> Suggestion | None:
    """The suggestion to accept for a document whose suggestions all name one type (the
    scan's header first: the record's own words); None when they disagree or it has none."""
    found = suggestions_for(document)
    if len({s.document_type.pk for s in found}) != 1:
        return None
    return min(found, key=lambda s: s.source != m.SuggestionSource.SCAN)
