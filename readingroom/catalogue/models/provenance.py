"""Who says what of a document: its editors' changes and the conflicts between them and
its sources (what each source asserts is kept on its DocumentSource).

Stored compactly, a row per document rather than per value: which fields and which
parts (by natural key) editors changed, when and by whom (`catalogue/provenance.py`
reads and writes them). A conflict is a source's new value for something an editor
changed: the editor's value stays and the conflict waits for a decision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from readingroom.catalogue.models.documents import Document, DocumentSource


class DocumentEdits(models.Model):
    """The fields and parts of one document its editors changed.

    `fields`: {field: {"at": ISO time, "by": user name}}; `parts`: {part kind: {key:
    {"at", "by", "op"}}} where op is added, changed or removed. Field and part names
    are those of `catalogue/provenance.py` (FIELDS, KINDS)."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="edits")
    fields = models.JSONField(default=dict, blank=True)
    parts = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "editors' changes"
        verbose_name_plural = "editors' changes"

    def __str__(self) -> str:
        return f"Editors' changes to {self.document_id}"


class ConflictStatus(models.TextChoices):
    OPEN = "open", "Waiting for a decision"
    ACCEPTED = "accepted", "Accepted: the source's value replaced the editor's"
    DISMISSED = "dismissed", "Dismissed: the editor's value stays"
    AGREED = "agreed", "Settled: the source came to agree with the editor"


class Conflict(models.Model):
    """A source's value that differs from what an editor made of the same field or
    part. The editor's value stays in the document until someone accepts this one."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="conflicts")
    source = models.ForeignKey(DocumentSource, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="conflicts")  # fmt: skip
    source_label = models.CharField(max_length=300, help_text="The source, as it was named.")
    what = models.CharField(max_length=10, help_text="field or part")
    name = models.CharField(max_length=40, help_text="The field, or the kind of part.")
    key = models.CharField(max_length=500, blank=True, help_text="Which part, by its key.")
    # A field: its value as sources give it. A part: {"shown": text, "row": columns}.
    source_value = models.JSONField(null=True)
    editor_value = models.JSONField(null=True, help_text="The editor's value when it was raised.")
    status = models.CharField(max_length=10, choices=ConflictStatus.choices,
                              default=ConflictStatus.OPEN)  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        where = f"{self.name} {self.key}".strip()
        return f"{self.document_id}: {where} ({self.source_label})"
