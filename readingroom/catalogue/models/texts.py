"""The texts of a document (original, translation, machine-read...) and its files."""

from __future__ import annotations

from django.db import models

from readingroom.catalogue.models.agents import Agent
from readingroom.catalogue.models.documents import Document
from readingroom.catalogue.models.vocab import Language


class TextKind(models.TextChoices):
    """A text's role in its document. A language version is equally authentic with the
    original (a UN resolution in each official language); a translation is made from
    another text (`source_text`), by someone (`translator`)."""

    ORIGINAL = "original", "Original"
    LANGUAGE_VERSION = "language-version", "Other language version"
    TRANSLATION = "translation", "Translation"
    TRANSCRIPT = "transcript", "Transcript"
    MACHINE_READ = "machine-read", "Machine-read (uncorrected)"


class TextDirection(models.TextChoices):
    LTR = "ltr", "Left to right"
    RTL = "rtl", "Right to left"


class TextFormat(models.TextChoices):
    HTML = "html", "HTML"
    PLAIN = "plain", "Plain text"


class Text(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="texts")
    kind = models.CharField(max_length=20, choices=TextKind.choices)
    language = models.ForeignKey(Language, null=True, blank=True, on_delete=models.PROTECT)
    direction = models.CharField(
        max_length=3, blank=True, choices=TextDirection.choices,
        help_text="Empty: as its language's script runs.",
    )  # fmt: skip
    title = models.TextField(blank=True, help_text="The text's own title, in its language.")
    source_text = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="derived_texts",
        help_text="The text this one translates, or is another language version of.",
    )  # fmt: skip
    format = models.CharField(max_length=10, choices=TextFormat.choices, default=TextFormat.HTML)
    translator = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.PROTECT, related_name="translations"
    )
    html = models.TextField(help_text="Sanitized HTML; paragraphs keep their ids for linking.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        language = self.language.name if self.language else "language not recorded"
        return f"{self.get_kind_display()} ({language}, {self.get_format_display()})"

    def save(self, *args, **kwargs) -> None:
        # Every way in (admin, loader, shell) stores only sanitized HTML.
        from readingroom.catalogue.sanitize import sanitize_html

        self.html = sanitize_html(self.html)
        super().save(*args, **kwargs)

    @property
    def shown_direction(self) -> str:
        """How the text runs: its own direction, else its language's."""
        if self.direction:
            return self.direction
        return self.language.direction if self.language else TextDirection.LTR


class FileRole(models.TextChoices):
    ORIGINAL = "original", "Original (scan or PDF)"
    TRANSLATION = "translation", "Translation"
    OTHER = "other", "Other"


class File(models.Model):
    """A file of a document. Content is stored by SHA-256 and never overwritten.

    A capture may show that a file exists without holding it (seed 003 has a PDF viewer
    but not the PDF); then `sha256` is empty and the page says the file is not held.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(max_length=15, choices=FileRole.choices, default=FileRole.ORIGINAL)
    name = models.CharField(max_length=300, help_text="Download name.")
    media_type = models.CharField(max_length=100, default="application/pdf")
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    note = models.TextField(blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_held(self) -> bool:
        return bool(self.sha256)
