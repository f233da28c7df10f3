"""What the interop app keeps in the database: each public record's harvested metadata,
ready to send (`harvest_records.py`)."""

from __future__ import annotations

from django.db import models


class HarvestRecord(models.Model):
    """One public record's metadata in one OAI-PMH format, as a harvest page sends it.

    Written by the worker; a page of 200 records reads 200 of these instead of building
    200 records from some twenty related rows each. A row is sent only while it is
    current: written for this address and code (`written_for`), at the document's
    present modification time (`stamp`) and after the last change to the names it
    shows (`HarvestState`). Any other record of the page is built as it is asked for."""

    document = models.ForeignKey("catalogue.Document", on_delete=models.CASCADE,
                                 related_name="+")  # fmt: skip
    prefix = models.CharField(max_length=32)
    stamp = models.DateTimeField(help_text="the document's effective modification time")
    written_for = models.CharField(max_length=64, help_text="address, site name and code")
    xml = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "prefix"],
                                               name="one_harvest_record_per_format")]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.prefix} of document {self.document_id}"


class HarvestState(models.Model):
    """One row: how many times a name that records show (a person, a place, a volume, a
    term) has changed. Records written before a change are not sent; a batch being
    written while one happens is thrown away."""

    name_changes = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name_changes} name changes"
