"""Tables of the PostgreSQL search backend (present on every database, used only when
READINGROOM_SEARCH_BACKEND=postgres on PostgreSQL)."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """One public document as the PostgreSQL backend searches it."""

    document_pk = models.BigIntegerField(primary_key=True)
    identifier = models.CharField(max_length=120, db_index=True)
    title = models.TextField()
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    person = models.TextField(blank=True)
    place = models.TextField(blank=True)
    archive = models.TextField(blank=True, help_text="archival references, other numbers")
    ocr = models.TextField(blank=True, help_text="machine-read page text")
    # Texts in languages with their own stemmer (search.fields.STEMMED_LANGUAGES).
    body_ru = models.TextField(blank=True)
    body_es = models.TextField(blank=True)
    body_de = models.TextField(blank=True)
    body_fr = models.TextField(blank=True)
    date = models.IntegerField(default=0, help_text="yyyymmdd, 0 when undated")
    public_from = models.BigIntegerField(
        default=0, help_text="epoch seconds it becomes public (embargo end); 0: it is"
    )
    public_since = models.BigIntegerField(
        default=0, help_text="epoch seconds it was first public (catalogue.gate.public_since)"
    )
    vector = SearchVectorField(null=True)  # GIN-indexed on PostgreSQL (migration 0002)

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self) -> str:
        return self.identifier


class SearchFacet(models.Model):
    """One facet value of an entry; counting these over the matches gives exact counts."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=30)
    value = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["facet", "value"])]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class SearchTerm(models.Model):
    """A word of the index's titles, summaries, names and places (stemmed, as the
    English configuration keeps it): where near spellings are looked for."""

    term = models.CharField(max_length=100, primary_key=True)

    def __str__(self) -> str:
        return self.term
