"""Collections: a tree (series → volume → chapter) with ordered members."""

from __future__ import annotations

from django.db import models

from readingroom.catalogue.models.documents import (
    TITLE_MAX_LENGTH,
    Document,
    identifier_validator,
)


class Collection(models.Model):
    identifier = models.CharField(max_length=120, unique=True, validators=[identifier_validator])
    title = models.TextField(max_length=TITLE_MAX_LENGTH)
    kind = models.CharField(max_length=30, blank=True, help_text="series, volume, chapter...")
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    # Published volumes (FRUS) carry these; other collections leave them blank.
    series = models.CharField(max_length=300, blank=True)
    subseries = models.CharField(max_length=300, blank=True)
    volume_number = models.CharField(max_length=100, blank=True)
    editors = models.TextField(blank=True, help_text="The volume's editors, one name per line.")
    # Kept apart from the volume's editors: a citation names the volume's editors only
    # ("ed. Charles S. Sampson and John Michael Joyce"), not the series' general editor.
    general_editors = models.TextField(blank=True, help_text="General editors, one per line.")
    published = models.CharField(max_length=20, blank=True, help_text="Year of publication.")
    publisher = models.CharField(max_length=300, blank=True)
    publication_place = models.CharField(max_length=300, blank=True)
    isbn = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["parent_id", "position", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reader:collection", args=[self.identifier])

    def ancestors(self) -> list[Collection]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class CollectionMember(models.Model):
    # No index of its own: the unique (collection, document) index serves it.
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="members",
                                   db_index=False)  # fmt: skip
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="memberships")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["collection_id", "position", "id"]
        # A collection read in order (its page, a document's neighbours) walks this
        # index: without it, each window of a release group sorted its 11,000 rows.
        indexes = [models.Index(fields=["collection", "position", "id"],
                                name="member_reading_order")]  # fmt: skip
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "document"], name="unique_collection_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.collection} #{self.position}: {self.document.identifier}"
