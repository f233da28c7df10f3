"""Controlled vocabularies. Terms and the source spellings that map to them are kept
as data in `catalogue/data/*.json` and synced on migrate (see `vocabularies.py`)."""

from __future__ import annotations

from django.db import models


class Language(models.Model):
    code = models.CharField(
        max_length=12, primary_key=True,
        help_text="ISO 639-1 or -3 code, with a script subtag where it matters (zh-Hans)",
    )  # fmt: skip
    name = models.CharField(max_length=100)
    # What a language switcher shows: the language's name for its own readers.
    native_name = models.CharField(max_length=100, blank=True, help_text="e.g. Русский")
    direction = models.CharField(
        max_length=3, default="ltr", choices=[("ltr", "left to right"), ("rtl", "right to left")],
        help_text="How its script runs; a text says otherwise only when it differs.",
    )  # fmt: skip

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class DocumentType(Term):
    """The kind of document: memorandum of conversation, telegram, report, letter..."""


class PhysicalForm(Term):
    """The physical form: textual, sound recording, photograph..."""


class DocumentTypeSpelling(models.Model):
    """A spelling a source uses ("MEMORNADUM", "memcon") for a document type."""

    spelling = models.CharField(max_length=200, unique=True, help_text="normalized spelling")
    term = models.ForeignKey(DocumentType, on_delete=models.CASCADE, related_name="spellings")

    def __str__(self) -> str:
        return f"{self.spelling} → {self.term}"


class PhysicalFormSpelling(models.Model):
    """A spelling a source uses ("PAPER - TEXTUAL DOCUMENT") for a physical form."""

    spelling = models.CharField(max_length=200, unique=True, help_text="normalized spelling")
    term = models.ForeignKey(PhysicalForm, on_delete=models.CASCADE, related_name="spellings")

    def __str__(self) -> str:
        return f"{self.spelling} → {self.term}"


class Funder(models.Model):
    """Who paid for a document's acquisition, translation or publication."""

    name = models.CharField(max_length=300, unique=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    term = models.CharField(max_length=300)
    scheme = models.CharField(max_length=50, blank=True, help_text="e.g. LCSH; empty for local")
    note = models.TextField(blank=True, help_text="e.g. what an abbreviation stands for")

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["term", "scheme"], name="unique_subject_in_scheme")
        ]

    def __str__(self) -> str:
        return self.term
