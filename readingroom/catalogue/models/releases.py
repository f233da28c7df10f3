"""A document's declassification history: one row per release.

Declassified records are released again and again, first with redactions and later
with fewer; each release is its own row (not a text blob) so the page can draw a
timeline, the JSON can list it and search can facet on it.
"""

from __future__ import annotations

from django.db import models

from readingroom.catalogue.models.documents import Document


class Release(models.Model):
    # No index of its own: the unique (document, day, list) index serves it.
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="releases",
                                 db_index=False)  # fmt: skip
    released_on = models.DateField()
    list_name = models.CharField(
        max_length=200, help_text="The release list (or batch of files) that records it."
    )
    file_name = models.CharField(
        max_length=300, blank=True, help_text="The releasing archive's file name in it."
    )
    prior_status = models.CharField(
        max_length=100,
        blank=True,
        help_text='Status before this release, as written ("Redact", "Withhold"...).',
    )
    review_date = models.DateField(null=True, blank=True)
    pages_released = models.PositiveIntegerField(null=True, blank=True)
    rows = models.CharField(
        max_length=200, blank=True, help_text="Rows of the list that say so (duplicates merged)."
    )
    differences = models.TextField(
        blank=True, help_text="Where merged duplicate rows disagreed, one per line."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["document_id", "released_on", "position"]
        constraints = [
            # Releases are a union of what the lists say, keyed by day and list: two
            # lists may each record a release of one day (catalogue/provenance.py).
            models.UniqueConstraint(
                fields=["document", "released_on", "list_name"], name="one_release_per_list_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Released {self.released_on.isoformat()} ({self.list_name})"
