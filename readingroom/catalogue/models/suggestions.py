"""What a document's scan suggests its editors record: a document type read from the
scan's form header (DISPATCH, MEMORANDUM FOR THE RECORD), for a document whose source
gives only a physical form (NARA's `PAPER - TEXTUAL DOCUMENT`). Kept with the words that
suggest it, since reading them took OCR; what the title suggests is read when shown
(`catalogue/suggestions.py`). An editor accepts one (admin); nothing is applied by itself."""

from __future__ import annotations

from django.db import models

from readingroom.catalogue.models.documents import Document
from readingroom.catalogue.models.vocab import DocumentType


class SuggestionSource(models.TextChoices):
    TITLE = "title", "the title"
    SCAN = "scan", "the scan's form header"


class TypeSuggestion(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="type_suggestions"
    )
    document_type = models.ForeignKey(DocumentType, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=SuggestionSource.choices)
    evidence = models.TextField(help_text="The words that suggest it, as read.")
    page = models.PositiveIntegerField(null=True, blank=True, help_text="Page of the scan.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "source", "page", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "source", "document_type"], name="one_suggestion_a_source"
            )
        ]

    def __str__(self) -> str:
        where = f"page {self.page}" if self.page else self.get_source_display()
        return f"{self.document_type} ({where}: “{self.evidence}”)"
