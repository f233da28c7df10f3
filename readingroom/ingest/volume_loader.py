"""Loading a whole volume (FRUS) all or nothing.

A half-imported volume would look complete to a reader, so a volume is one
transaction: its series and volume collections, chapters, persons and terms, then its
documents one by one through the ordinary `Loader` (each still its own revision).
Any failure rolls the whole volume back and is reported with the file.
"""

from __future__ import annotations

import re

from django.db import transaction

from readingroom.catalogue import models as m
from readingroom.catalogue.people import display_name, normalized_name
from readingroom.ingest.collection_writer import CollectionWriter
from readingroom.ingest.loader import Loader, LoadReport
from readingroom.ingest.records import (
    CollectionRecord,
    DocumentRecord,
    EntityRecord,
    ParseError,
    VolumeRecord,
)
from readingroom.ingest.validation import check_values

# Documents written per batch: large enough that per-statement costs vanish, small
# enough to keep memory bounded whatever the volume size.
BATCH_SIZE = 500


class VolumeLoader:
    def __init__(self, *, user=None, dry_run: bool = False, detail: bool = False) -> None:
        self.user, self.dry_run, self.detail = user, dry_run, detail
        self.report = LoadReport()
        self.collections = CollectionWriter()

    def load(self, volume: VolumeRecord, on_document=None) -> bool:
        """Load one volume; returns False (and reports) when it failed and was rolled back."""
        loader = Loader(user=self.user, dry_run=self.dry_run, detail=self.detail)
        self.collections.file = volume.source.file
        try:
            with transaction.atomic():
                self._collections_above(volume)
                self._entities(volume, loader)
                batch: list[DocumentRecord] = []
                for item in volume.items:
                    if isinstance(item, CollectionRecord):
                        self._collection(item)  # before the documents that follow it
                    elif isinstance(item, DocumentRecord):
                        batch.append(item)
                        if len(batch) == BATCH_SIZE:
                            self._flush(loader, batch, on_document)
                self._flush(loader, batch, on_document)
                if self.dry_run:
                    transaction.set_rollback(True)
        except ParseError as exc:
            self._fail(volume, loader, str(exc))
            return False
        except Exception as exc:  # any other failure: the whole volume rolls back
            self._fail(volume, loader, f"{volume.source.file}: {type(exc).__name__}: {exc}")
            return False
        loader.report.warnings += [f"{volume.identifier}: {w}" for w in volume.warnings]
        self.report.merge(loader.report)
        return True

    @staticmethod
    def _flush(loader: Loader, batch: list[DocumentRecord], on_document) -> None:
        if batch:
            loader.load_batch(batch)
            if on_document:
                on_document(len(batch))
            batch.clear()

    def _fail(self, volume: VolumeRecord, loader: Loader, message: str) -> None:
        self.collections.forget()  # the volume's nodes were rolled back
        documents = sum(loader.report.counts.values())
        self.report.errors.append(
            f"{message} (volume {volume.identifier} not imported; "
            f"{documents} document(s) rolled back)"
        )
        self.report.counts["failed volumes"] += 1

    def _collections_above(self, volume: VolumeRecord) -> None:
        parent = ""
        if volume.series:
            series_id = (
                "frus"
                if volume.identifier.startswith("frus")
                else (re.sub(r"[^A-Za-z0-9]+", "-", volume.series).strip("-").lower())
            )
            self._collection(CollectionRecord(series_id, volume.series, "series"))
            parent = series_id
        node = self._collection(
            CollectionRecord(volume.identifier, volume.title, "volume", parent=parent)
        )
        header = {"subseries": volume.subseries, "volume_number": volume.volume_number,
                  "series": volume.series, "published": volume.published, "isbn": volume.isbn,
                  "editors": "\n".join(volume.editors),
                  "general_editors": "\n".join(volume.general_editors),
                  "publisher": volume.publisher,
                  "publication_place": volume.publication_place}  # fmt: skip
        check_values(m.Collection, header, file=volume.source.file, record=volume.identifier)
        for name, value in header.items():
            setattr(node, name, value)
        node.save()

    def _collection(self, c: CollectionRecord) -> m.Collection:
        return self.collections.write(c)

    def _entities(self, volume: VolumeRecord, loader: Loader) -> None:
        for e in volume.entities:  # the rows they become, before any is written
            model, values = (
                (m.Subject, {"term": e.name}) if e.kind == "term"
                else (m.AgentIdentification, {"key": e.key, "name_as_listed": e.name})
            )  # fmt: skip
            check_values(model, values, file=volume.source.file, record=e.key)
        collection = m.Collection.objects.get(identifier=volume.identifier)
        people = {normalized_name(a.name): a for a in m.Agent.objects.filter(kind="person")}
        # A spelling an editor merged into a person (an other name) finds that person.
        for other in m.AgentName.objects.filter(agent__kind="person").select_related("agent"):
            people.setdefault(normalized_name(other.name), other.agent)
        # A person this volume listed before stays who the catalogue says the key is (an
        # editor may have merged or relinked them), whatever the name now.
        known = {i.key: i for i in collection.agent_identifications.select_related("agent")}
        loader.terms.update(self._terms([e for e in volume.entities if e.kind == "term"]))
        persons = [e for e in volume.entities if e.kind != "term"]
        self._create_agents([e for e in persons if e.key not in known], people)
        new, changed = [], []
        for entity in persons:
            if entity.key in loader.entities:  # a key listed twice: the first one stands
                continue
            row = known.get(entity.key)
            agent = row.agent if row is not None else people[normalized_name(entity.name)]
            loader.entities[entity.key] = agent
            values = {"agent": agent, "name_as_listed": entity.name,
                      "identification": entity.identification}  # fmt: skip
            if row is None:
                new.append(m.AgentIdentification(collection=collection, key=entity.key, **values))
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                changed.append(row)
        m.AgentIdentification.objects.bulk_create(new)
        m.AgentIdentification.objects.bulk_update(
            changed, ["agent", "name_as_listed", "identification"]
        )

    @staticmethod
    def _create_agents(persons: list[EntityRecord], people: dict[str, m.Agent]) -> None:
        """Agents for the persons no agent is yet (by normalized name), in one insert;
        `people` gets them."""
        new: dict[str, m.Agent] = {}
        for entity in persons:
            name = normalized_name(entity.name)
            if name not in people and name not in new:
                new[name] = m.Agent(kind=entity.kind, name=display_name(entity.name),
                                    sort_name=entity.name)  # fmt: skip
        m.Agent.objects.bulk_create(new.values())
        people.update(new)

    @staticmethod
    def _terms(entities: list[EntityRecord]) -> dict[str, m.Subject]:
        """The volume's abbreviations as subjects, by term: existing ones as they are
        (an editor may have changed the note), the others created, in two queries."""
        subjects = {s.term: s for s in m.Subject.objects.filter(
            scheme="abbreviation", term__in=[e.name for e in entities])}  # fmt: skip
        new = {}
        for entity in entities:
            if entity.name not in subjects and entity.name not in new:
                new[entity.name] = m.Subject(term=entity.name, scheme="abbreviation",
                                             note=entity.identification)  # fmt: skip
        for subject in m.Subject.objects.bulk_create(new.values()):
            subjects[subject.term] = subject
        return subjects
