"""Pages of stored scans, their images and their text, keyed by the scan's content.

A scan is a PDF or a page image (PNG, JPEG, TIFF: `scans.py`). A page belongs to the
content (SHA-256) of a scan, not to a catalogue row: re-importing a record replaces its
File rows, but the same scan never needs rendering or OCR again, and two records holding
the same file share the work. (`pdf_sha256` names the scan's checksum whatever its type:
the column kept its first name.)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TextState(models.TextChoices):
    PENDING = "pending", "Waiting for text"
    RUNNING = "running", "Being read"
    DONE = "done", "Read"
    FAILED = "failed", "Failed (retry with `readingroom ocr --retry-failed`)"


class TextSource(models.TextChoices):
    OCR = "ocr", "Machine-read (OCR, uncorrected)"
    TEXT_LAYER = "text-layer", "The PDF's own text layer"


class Page(models.Model):
    pdf_sha256 = models.CharField(
        max_length=64, db_index=True, help_text="The scan's sha256 (a PDF or a page image)."
    )
    number = models.PositiveIntegerField(help_text="1-based page number in the scan.")
    width_pt = models.FloatField()
    height_pt = models.FloatField()
    has_text_layer = models.BooleanField(default=False)

    # Derivatives, content-addressed in the file store like the PDF itself.
    image_sha256 = models.CharField(max_length=64, blank=True)
    image_media_type = models.CharField(max_length=50, blank=True)
    image_width = models.PositiveIntegerField(null=True, blank=True)
    image_height = models.PositiveIntegerField(null=True, blank=True)
    thumbnail_sha256 = models.CharField(max_length=64, blank=True)
    thumbnail_media_type = models.CharField(max_length=50, blank=True)

    text_state = models.CharField(
        max_length=10, choices=TextState.choices, default=TextState.PENDING
    )
    text_source = models.CharField(max_length=12, choices=TextSource.choices, blank=True)
    text = models.TextField(blank=True, help_text="Plain text without the release banner.")
    words = models.JSONField(null=True, blank=True, help_text="Words with their boxes.")
    hocr_sha256 = models.CharField(max_length=64, blank=True, help_text="The engine's hOCR.")
    engine = models.CharField(max_length=100, blank=True)
    ocr_languages = models.CharField(
        max_length=100, blank=True,
        help_text="Tesseract's models the page was read with (rus+eng); empty for a text layer.",
    )  # fmt: skip
    confidence = models.FloatField(
        null=True, blank=True,
        help_text="Tesseract's mean word confidence on the page (0-100); empty for a text layer.",
    )  # fmt: skip
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    # Released scans can expose personal data: an editor hides a page's machine-read
    # text from the public (it leaves the index at once); the image stays as released.
    text_hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pdf_sha256", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pdf_sha256", "number"], name="one_page_per_number")
        ]
        indexes = [models.Index(fields=["text_state"])]

    def __str__(self) -> str:
        return f"page {self.number} of {self.pdf_sha256[:12]}…"

    @property
    def public_text(self) -> str:
        return "" if self.text_hidden else self.text


class MarkingSuggestion(models.Model):
    """A classification marking read from a page (a stamp, or the typed field of an
    identification form), offered to editors with its evidence; never applied."""

    pdf_sha256 = models.CharField(max_length=64, db_index=True)
    page = models.PositiveIntegerField()
    level = models.CharField(max_length=20)  # a catalogue ClassificationLevel value
    marking = models.CharField(max_length=200)
    evidence = models.TextField(help_text="The words as read.")
    boxes = models.JSONField(default=list, help_text="Where on the page image, in pixels.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pdf_sha256", "page", "level"]

    def __str__(self) -> str:
        return f"{self.marking} (page {self.page})"


def markings_read(shas: list[str]) -> list[tuple[str, int, str]]:
    """The markings read on these files' pages, with page and words: the evidence the
    catalogue's admin offers beside a document's classification."""
    found = MarkingSuggestion.objects.filter(pdf_sha256__in=shas)
    return [(s.marking, s.page, s.evidence) for s in found]
