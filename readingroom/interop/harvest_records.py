"""Each public record's OAI-PMH metadata, written ahead by the worker, read by harvests.

Building a record takes some twenty related rows (its people, places, terms, volume,
identifiers...) and two renderings: most of a harvest page's time when done for 200
records in the request. The worker writes each public record's metadata once, in every
harvested format (`write_pending`); a page sends the ones that are current (`current`)
and builds the others as before, so a record is never sent older than it is:

- `stamp` is the document's effective modification time when it was read; a page sends
  it only if the document still has that time. Every change to a document or one of its
  parts moves its time (`catalogue/signals.py`, the loader's writes), so a change made
  while a record was being written is caught too;
- `written_for` names what else the record depends on: the address its URLs were built
  for, the site's name, the code that renders it (a hash of its modules), and how many
  times a name shown in records has changed (`HarvestState`; a renamed person, volume or
  term makes every record written before it stale at once: the worker writes them again);
- only public documents are written, and a page sends a record only for a row the gate
  lets through at that moment: a hidden record is reported deleted, as before.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone
from django_tasks import task
from lxml import etree

from readingroom.catalogue import models as m
from readingroom.catalogue.gate import public_documents
from readingroom.interop.formats.registry import HARVESTED, MetadataFormat
from readingroom.interop.models import HarvestRecord, HarvestState
from readingroom.interop.sitemaps.tasks import enqueue_once
from readingroom.interop.sitemaps.writer import base_url

log = logging.getLogger(__name__)

# The modules a record's XML comes from: a change to any of them (an upgrade) makes
# every record written before it stale.
_RENDERING = ("readingroom.reader.services", "readingroom.reader.paths",
              "readingroom.reader.scans", "readingroom.reader.bulk",
              "readingroom.interop.formats.citable", "readingroom.interop.formats.dates",
              "readingroom.interop.formats.dublin_core",
              "readingroom.interop.formats.readingroom_xml",
              "readingroom.interop.formats.registry",
              "readingroom.interop.harvest_records")  # fmt: skip
BATCH = 500


@cache
def _code() -> str:
    import importlib

    digest = hashlib.sha256()
    for name in _RENDERING:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    return digest.hexdigest()


def name_changes() -> int:
    return HarvestState.objects.values_list("name_changes", flat=True).first() or 0


def name_changed() -> None:
    """A name records show changed: every record written so far is stale."""
    if not HarvestState.objects.update(name_changes=F("name_changes") + 1):
        HarvestState.objects.create(name_changes=1)
    transaction.on_commit(wake)


def written_for(f: MetadataFormat, base: str, changes: int) -> str:
    key = "|".join((_code(), f.prefix, base, settings.BASE_URL, settings.SITE_NAME, str(changes)))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def schema_url(f: MetadataFormat, base: str) -> str:
    """The format's schema as the OAI views name it (`views._schema_url`)."""
    if "://" in f.schema:
        return f.schema
    return (settings.BASE_URL or base) + f.schema


def current(f: MetadataFormat, base: str, stamps: dict[int, datetime]) -> dict[int, bytes]:
    """The records written ahead for these documents (pk → the document's time now)
    that are still what building them would give: pk → XML."""
    if not stamps:
        return {}
    rows = HarvestRecord.objects.filter(
        document_id__in=list(stamps), prefix=f.prefix,
        written_for=written_for(f, base, name_changes()),
    ).values_list("document_id", "stamp", "xml")  # fmt: skip
    return {pk: xml.encode() for pk, stamp, xml in rows if stamp == stamps[pk]}


def _pending(now: datetime, fingerprints: dict[str, str], after: int) -> list[int]:
    """Public documents, from pk `after` on, missing a current record in some format."""
    settled = Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
    missing = Q()
    for prefix, fingerprint in fingerprints.items():
        missing |= ~Exists(HarvestRecord.objects.filter(
            document=OuterRef("pk"), prefix=prefix, written_for=fingerprint,
            stamp=OuterRef("effective_modified_at")))  # fmt: skip
    return list(public_documents(now).filter(settled, missing, pk__gt=after)
                .order_by("pk").values_list("pk", flat=True)[:BATCH])  # fmt: skip


def write_pending(progress: Callable[[int], None] | None = None,
                  batches: int | None = None) -> tuple[int, bool]:  # fmt: skip
    """Write the record of every public document that lacks a current one, a batch at
    a time (at most `batches` of them), and remove those of documents no longer public.
    Returns how many were written and whether more are left."""
    from readingroom.reader import services

    base = base_url()
    request = HttpRequest()
    request._readingroom_base = base  # what reader.paths.absolute builds URLs from
    written, after, done = 0, 0, 0
    while True:
        if batches is not None and done == batches:
            return written, True
        done += 1
        now = timezone.now()
        changes = name_changes()  # read before the names: a change after it shows
        fingerprints = {f.prefix: written_for(f, base, changes) for f in HARVESTED}
        pks = _pending(now, fingerprints, after)
        if not pks:
            break
        after = pks[-1]
        rows = []
        for d in services.metadata_of(public_documents(now).filter(pk__in=pks)):
            data = services.document_metadata(d, request)
            for f in HARVESTED:
                element = f.element(data, settings.SITE_NAME, schema_url(f, base))
                rows.append(HarvestRecord(
                    document_id=d.pk, prefix=f.prefix, stamp=d.effective_modified_at,
                    written_for=fingerprints[f.prefix],
                    xml=etree.tostring(element, encoding="unicode")))  # fmt: skip
        # Written over what was there (another worker may be writing the same: the
        # last one stands, both current).
        HarvestRecord.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["document", "prefix"],
            update_fields=["stamp", "written_for", "xml"])  # fmt: skip
        written += len(rows) // len(HARVESTED)
        if progress is not None:
            progress(written)
    HarvestRecord.objects.exclude(document__in=public_documents()).delete()
    return written, False


def connect_name_changes(models: Iterable[type]) -> None:
    """A change to a row of these models (a name records show) counts; saving a row as
    it was (an import writing a volume's node again) does not."""
    from django.db.models.signals import post_delete, post_save, pre_save

    def before(sender, instance, raw: bool = False, **kwargs) -> None:
        if raw or instance.pk is None:
            return  # loaded or new: a new name is in no record yet
        names = [f.attname for f in sender._meta.concrete_fields]
        stored = sender._default_manager.filter(pk=instance.pk).values_list(*names).first()
        instance._harvest_name_changed = stored is not None and stored != tuple(
            getattr(instance, name) for name in names)

    def saved(sender, instance, **kwargs) -> None:
        if instance.__dict__.pop("_harvest_name_changed", False):
            name_changed()

    def deleted(sender, instance, **kwargs) -> None:
        name_changed()

    for model in models:
        uid = f"harvest-names-{model.__name__}"
        pre_save.connect(before, sender=model, weak=False, dispatch_uid=f"{uid}-before")
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}-gone")


# The rows whose names or labels a record shows, besides the document's own parts.
NAMED = (m.Agent, m.Place, m.Repository, m.Collection, m.Subject, m.Funder, m.Language,
         m.DocumentType, m.PhysicalForm)


# A run writes this many batches at most, then leaves a run to follow: the worker's
# other tasks (the index first) are not kept waiting behind a whole corpus written
# again after a renamed name.
BATCHES_A_RUN = 20


@task(priority=-6)  # after the sitemaps: a harvest without these is slower, not wrong
def write_harvest_records() -> int:
    written, more = write_pending(batches=BATCHES_A_RUN)
    if more:
        transaction.on_commit(wake)
    return written


def wake() -> None:
    enqueue_once(write_harvest_records)  # one run waiting at most, as for the sitemaps
