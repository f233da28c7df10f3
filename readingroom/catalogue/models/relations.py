"""How a document stands to another record: a translation of it, the same text in
another language (a UN resolution in each official language, equally authentic), or a
part of it."""

from __future__ import annotations

from django.db import models

from readingroom.catalogue.models.documents import Document


class RelationKind(models.TextChoices):
    TRANSLATION_OF = "translation-of", "Translation of"
    LANGUAGE_VERSION_OF = "language-version-of", "Other language version of"
    PART_OF = "part-of", "Part of"


class DocumentRelation(models.Model):
    """A part of the document (versioned with it; an import merges it by its kind and
    target, as `catalogue/provenance.py` keys it). The other record is named as the
    source names it (`target_as_written`, e.g. the row of an archivist's sheet) and by
    its source key (`target_key`: "importer:id in source", as `DocumentSource` prints
    it); `target` is that record once it is in the catalogue (an import resolves the keys
    it can: `ingest/relations.py`)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(max_length=30, choices=RelationKind.choices)
    target = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="related_from"
    )
    target_key = models.CharField(
        max_length=260, blank=True, help_text="The other record's source: importer:id in source."
    )
    target_as_written = models.CharField(
        max_length=300, blank=True, help_text="The other record as the source names it."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.target_as_written or self.target_id}"
