"""The document record: identity, date, type, classification, rights, state."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from readingroom.catalogue.models.vocab import (
    DocumentType,
    Funder,
    Language,
    PhysicalForm,
    Subject,
)

TITLE_MAX_LENGTH = 1000
identifier_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
    "Letters, digits, dots, hyphens and underscores only; it is used in URLs.",
)


class DatePrecision(models.TextChoices):
    TIME = "time", "time of day"
    DAY = "day", "day"
    MONTH = "month", "month"
    YEAR = "year", "year"
    DECADE = "decade", "decade"
    CIRCA = "circa", "circa"
    RANGE = "range", "range"
    UNDATED = "undated", "undated"


class ClassificationLevel(models.TextChoices):
    TOP_SECRET = "top-secret", "Top Secret"
    SECRET = "secret", "Secret"
    CONFIDENTIAL = "confidential", "Confidential"
    RESTRICTED = "restricted", "Restricted / Limited Official Use"
    UNCLASSIFIED = "unclassified", "Unclassified"
    NO_MARKING = "no-marking", "No marking"
    NOT_RECORDED = "not-recorded", "Not recorded"


class PublicationState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class RightsStatement(models.TextChoices):
    """The twelve RightsStatements.org statements plus Creative Commons PDM."""

    NOT_EVALUATED = "http://rightsstatements.org/vocab/CNE/1.0/", "Copyright Not Evaluated"
    NO_COPYRIGHT_US = (
        "http://rightsstatements.org/vocab/NoC-US/1.0/",
        "No Copyright - United States",
    )
    NO_COPYRIGHT_OTHER = (
        "http://rightsstatements.org/vocab/NoC-OKLR/1.0/",
        "No Copyright - Other Known Legal Restrictions",
    )
    NO_COPYRIGHT_NC = (
        "http://rightsstatements.org/vocab/NoC-NC/1.0/",
        "No Copyright - Non-Commercial Use Only",
    )
    NO_COPYRIGHT_CR = (
        "http://rightsstatements.org/vocab/NoC-CR/1.0/",
        "No Copyright - Contractual Restrictions",
    )
    IN_COPYRIGHT = "http://rightsstatements.org/vocab/InC/1.0/", "In Copyright"
    IN_COPYRIGHT_EDU = (
        "http://rightsstatements.org/vocab/InC-EDU/1.0/",
        "In Copyright - Educational Use Permitted",
    )
    IN_COPYRIGHT_NC = (
        "http://rightsstatements.org/vocab/InC-NC/1.0/",
        "In Copyright - Non-Commercial Use Permitted",
    )
    IN_COPYRIGHT_RUU = (
        "http://rightsstatements.org/vocab/InC-RUU/1.0/",
        "In Copyright - Rights-holder(s) Unlocatable or Unidentifiable",
    )
    IN_COPYRIGHT_OW = (
        "http://rightsstatements.org/vocab/InC-OW-EU/1.0/",
        "In Copyright - EU Orphan Work",
    )
    UNDETERMINED = "http://rightsstatements.org/vocab/UND/1.0/", "Copyright Undetermined"
    NO_KNOWN_COPYRIGHT = "http://rightsstatements.org/vocab/NKC/1.0/", "No Known Copyright"
    PUBLIC_DOMAIN_MARK = "https://creativecommons.org/publicdomain/mark/1.0/", "Public Domain Mark"


class Document(models.Model):
    # The numeric primary key is the document's record ID in this archive.
    identifier = models.CharField(
        max_length=120,
        unique=True,
        validators=[identifier_validator],
        help_text="Stable identifier used in URLs; minted once, never changed.",
    )
    # A limit no real title comes near (the longest of the corpus: 246 characters) and
    # a whole spreadsheet cell (32,767) goes far past: the import refuses it, naming the
    # record (ingest/validation.py enforces it; a TextField's max_length alone does not).
    title = models.TextField(max_length=TITLE_MAX_LENGTH)
    # The title in the document's own language as it stands on it (or supplied in
    # [brackets] by the cataloguer), shown beside the English one.
    title_original = models.TextField(
        max_length=TITLE_MAX_LENGTH, blank=True,
        help_text="The title in the document's own language, as it stands on it.",
    )  # fmt: skip
    title_original_language = models.ForeignKey(
        Language, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The language of the original title.",
    )  # fmt: skip
    summary = models.TextField(blank=True)
    notes = models.TextField(
        blank=True,
        help_text="The cataloguer's notes: the date and languages as written on the "
        "document, handwriting, stamps, missing pages, the scan's quirks.",
    )

    # Dates are local to the source: a range of days with optional times, never a
    # time-zone-converted instant (which could move a 1962 telegram to another day).
    date_start = models.DateField(null=True, blank=True)
    date_end = models.DateField(null=True, blank=True)
    time_start = models.TimeField(null=True, blank=True)
    time_end = models.TimeField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNDATED
    )
    date_as_written = models.CharField(max_length=300, blank=True)
    date_utc_offset = models.SmallIntegerField(
        null=True, blank=True, help_text="Source's offset from UTC in minutes, when it gives one."
    )

    document_type = models.ForeignKey(
        DocumentType, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    document_type_as_written = models.CharField(max_length=300, blank=True)
    physical_form = models.ForeignKey(
        PhysicalForm, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    physical_form_as_written = models.CharField(max_length=300, blank=True)

    classification_level = models.CharField(
        max_length=20, choices=ClassificationLevel.choices, default=ClassificationLevel.NOT_RECORDED
    )
    classification_marking = models.CharField(
        max_length=300, blank=True, help_text="The marking as written on the document."
    )

    extent_pages = models.PositiveIntegerField(
        null=True, blank=True, help_text="Pages of the original, as the source counts them."
    )

    languages = models.ManyToManyField(Language, blank=True, related_name="documents")
    funders = models.ManyToManyField(Funder, blank=True, related_name="documents")
    subjects = models.ManyToManyField(Subject, blank=True, related_name="documents")

    rights_uri = models.URLField(blank=True, choices=RightsStatement.choices)
    rights_text = models.TextField(blank=True)

    source_record_id = models.CharField(
        max_length=100, blank=True, help_text="The record ID the source gives, if any."
    )
    source_uploaded_on = models.DateField(
        null=True, blank=True, help_text="Date the source says it first published the record."
    )
    citation_as_written = models.TextField(
        blank=True, help_text="The citation the source prints, kept as evidence."
    )

    state = models.CharField(
        max_length=10, choices=PublicationState.choices, default=PublicationState.DRAFT
    )
    withdrawn_reason = models.TextField(blank=True)
    embargo_until = models.DateTimeField(
        null=True, blank=True, help_text="Hidden from the public until this moment."
    )

    published_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When it was last made public by an editor; empty when it was "
        "published as it was created (an import). See catalogue/gate.py: public since.",
    )  # fmt: skip
    first_public_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When it was first public (published under an embargo: when that ends); "
        "empty while it never was. Kept through withdrawals and returns to draft, so a "
        "record that was public is reported deleted to harvesters. See catalogue/publicity.py.",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True, help_text="Uploaded to this archive.")
    modified_at = models.DateTimeField(auto_now=True)
    # The effective modification time of catalogue/gate.py once any embargo has passed
    # (the later of the last change and the embargo's end), kept by the database itself
    # so that harvesting walks an index in datestamp order instead of sorting the table.
    effective_modified_at = models.GeneratedField(
        expression=models.Case(
            models.When(embargo_until__gt=models.F("modified_at"), then=models.F("embargo_until")),
            default=models.F("modified_at"),
        ),
        output_field=models.DateTimeField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["date_start", "identifier"]
        indexes = [
            models.Index(fields=["state", "embargo_until"]),
            models.Index(fields=["date_start"]),
            # OAI-PMH lists and sitemaps: keyset pages on (datestamp, record ID).
            models.Index(fields=["effective_modified_at", "id"], name="document_harvest_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_end__isnull=True)
                | models.Q(date_start__isnull=True)
                | models.Q(date_end__gte=models.F("date_start")),
                name="date_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="withdrawn") | ~models.Q(withdrawn_reason=""),
                name="withdrawn_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.identifier}: {self.title[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("reader:document", args=[self.identifier])

    @property
    def record_id(self) -> int | None:
        return self.pk


class Caveat(models.Model):
    """A handling caveat beside the classification: Eyes Only, Copy No. 1, Niact..."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="caveats")
    text = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class DocumentIdentifier(models.Model):
    """Other numbers a document carries: outgoing number, agency record number..."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=100, help_text='e.g. "Outgoing number"')
    value = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.scheme}: {self.value}"


class DocumentSource(models.Model):
    """Where an imported record came from, so a re-import is matched, not duplicated,
    and what that source asserts of the document (catalogue/provenance.py).

    One record may have several sources of one importer, told apart by `origin`: each
    NARA release list that lists it and the scan released later. Together they are the
    record's chain; `rank` orders them (catalogue/data/precedence.json)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sources")
    importer = models.CharField(max_length=50)
    id_in_source = models.CharField(max_length=200)
    origin = models.CharField(
        max_length=200, blank=True,
        help_text="Which part of the source says it: a release list's file name, the scans; "
        "empty where one file is the whole source of a record.",
    )  # fmt: skip
    rank = models.CharField(
        max_length=40, blank=True,
        help_text="How new what it says is (a release date, a volume's edition), for "
        "precedence between the sources of one record.",
    )  # fmt: skip
    file = models.CharField(max_length=500, help_text="Path of the source file as imported.")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the parsed record.")
    imported_at = models.DateTimeField(auto_now=True)
    # What it asserts, compactly: {"f": {field: value}, "p": {part kind: {key: digest}},
    # "t": tier}. Empty (null) for a source imported before provenance was kept: the
    # loader works it out from the document the first time it needs it.
    asserted = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["importer", "id_in_source", "origin"], name="unique_source_record"
            )
        ]

    def __str__(self) -> str:
        origin = f" ({self.origin})" if self.origin else ""
        return f"{self.importer}:{self.id_in_source}{origin}"
