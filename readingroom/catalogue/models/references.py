"""Repositories (holding institutions) and archival references to their holdings."""

from __future__ import annotations

from django.db import models

from readingroom.catalogue.models.documents import Document


class Repository(models.Model):
    """An institution that holds originals, e.g. AVP RF, the Archive of Foreign Policy
    of the Russian Federation."""

    name = models.CharField(max_length=300, unique=True)
    abbreviation = models.CharField(max_length=50, blank=True)
    name_in_original_language = models.CharField(max_length=300, blank=True)
    location = models.CharField(max_length=200, blank=True)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "repositories"

    def __str__(self) -> str:
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name


class RepositoryName(models.Model):
    """Another spelling a source uses for a repository; used to match references."""

    repository = models.ForeignKey(Repository, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(max_length=300, unique=True)

    def __str__(self) -> str:
        return self.name


class ArchivalReference(models.Model):
    """Where the original is kept: the reference as written plus its parts where known.

    Russian archives cite fond / opis / papka / delo / list; US archives record group,
    series, box, folder and file. Parts are kept as text: "0104" is not the number 104.
    """

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="archival_references"
    )
    repository = models.ForeignKey(
        Repository, null=True, blank=True, on_delete=models.PROTECT, related_name="references"
    )
    as_written = models.TextField()
    record_group = models.CharField(max_length=50, blank=True)
    series = models.CharField(max_length=200, blank=True)
    fond = models.CharField(max_length=50, blank=True)
    opis = models.CharField(max_length=50, blank=True)
    papka = models.CharField(max_length=50, blank=True)
    delo = models.CharField(max_length=50, blank=True)
    list = models.CharField("list (folio)", max_length=50, blank=True)
    file = models.CharField(max_length=200, blank=True)
    volume = models.CharField(max_length=50, blank=True)
    box = models.CharField(max_length=50, blank=True)
    folder = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    PART_FIELDS = (
        "record_group",
        "series",
        "fond",
        "opis",
        "papka",
        "delo",
        "list",
        "file",
        "volume",
        "box",
        "folder",
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.as_written

    def parts(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.PART_FIELDS if getattr(self, name)}
