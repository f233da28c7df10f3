"""A small catalogue with a record in every state, for the tests that walk every
public URL: the leak matrix and the URL fuzz.

Each probe record is published, indexed, and then (for the hidden ones) hidden the way
editors hide records — returned to draft, withdrawn, put under embargo — with the
worker running (the index catches up) or stopped (it lags). Each has values no other
record has (a word, a person, an organization, a place, a subject, an archive, a
collection, a year, a release year and a status before release), so any count, facet
or index that still counted it would show them. All share one real scan (a NARA PDF
read by the real page pipeline), a shared person, place, subject, archive and
collection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone

from readingroom.catalogue import models as m
from readingroom.conf import corpus
from readingroom.interop.sitemaps import writer as sitemaps
from readingroom.search.tasks import process_pending

SCAN = corpus() / "nara-jfk" / "scans" / "104-10121-10174.pdf"  # two pages

HIDDEN = ("draft", "withdrawn", "embargoed")
# Embargoed until tomorrow, indexed so while the worker ran; the tests then move the
# clock past the end, and it must show everywhere with nothing written.
EXPIRING = "expiring"
VISIBLE = ("visible", EXPIRING)
YEARS = {"visible": 1950, "draft": 1901, "withdrawn": 1902, "embargoed": 1903, "expiring": 1904}
CLOCK_SHIFT = timedelta(days=2)


@dataclass
class Probe:
    state: str
    document: m.Document
    word: str  # in its title and text only
    person: m.Agent  # linked to it only
    place: m.Place
    collection: m.Collection  # holds it only
    file: m.File
    organization: m.Agent
    subject: m.Subject
    repository: m.Repository
    facet_values: dict[str, str] = field(default_factory=dict)  # facet → its own value
    facet_labels: dict[str, str] = field(default_factory=dict)  # facet → how pages name it

    @property
    def markers(self) -> list[str]:
        """Strings that name this record wherever it is listed (its word alone is not
        one: a page echoes the query that asked for it)."""
        return [self.document.identifier, self.document.title]


@dataclass
class World:
    probes: dict[str, Probe]
    shared_person: m.Agent
    shared_collection: m.Collection
    scan_sha: str
    shared: dict[str, object] = field(default_factory=dict)  # entity kind → a shared one

    def visible_count(self) -> int:
        return len(VISIBLE)


def _read_scan() -> tuple[str, int]:
    """The scan imported as an uncatalogued placeholder, its pages made and read."""
    from readingroom.reader.tests.test_scanned_records import read_pages

    call_command("import", "nara-jfk", str(SCAN), no_progress=True)
    read_pages()
    placeholder = m.File.objects.get(name=SCAN.name)
    return placeholder.sha256, placeholder.size


def build(make_document, worker_running: bool) -> World:
    """The probes, with the worker's work done (search index, sitemaps) while they were
    public, and again after they were hidden if `worker_running`. The caller points
    settings.SITEMAPS_DIR at a folder of the test's own."""
    sha, size = _read_scan()
    shared_person = m.Agent.objects.create(kind="person", name="Sharedperson Probeman")
    shared = m.Collection.objects.create(identifier="probe-shared", title="Probe shared")
    shared_place = m.Place.objects.create(name="Sharedplace Probeton")
    shared_subject = m.Subject.objects.create(term="SHAREDSUBJ", scheme="abbreviation")
    shared_archive = m.Repository.objects.create(name="Shared Probe Archive")
    probes: dict[str, Probe] = {}
    for state, year in YEARS.items():
        word = f"Leakprobe{state}"
        document = make_document(
            identifier=f"probe-{state}-record", title=f"Memorandum on {word} matters",
            date_start=date(year, 3, 1), date_end=date(year, 3, 1),
            state=m.PublicationState.PUBLISHED,
        )  # fmt: skip
        document.texts.update(html=f"<p id='p1'>The {word} text of this record.</p>")
        person = m.Agent.objects.create(kind="person", name=f"Probe {state.title()}son")
        m.DocumentAgent.objects.create(document=document, agent=person, role="author")
        m.DocumentAgent.objects.create(document=document, agent=shared_person, role="recipient")
        place = m.Place.objects.create(name=f"Probeville {state.title()}")
        m.DocumentPlace.objects.create(document=document, place=place, role="mentioned")
        m.DocumentPlace.objects.create(document=document, place=shared_place, role="written-at")
        organization = m.Agent.objects.create(kind="organization",
                                              name=f"Probe {state.title()} Agency")  # fmt: skip
        m.DocumentAgent.objects.create(document=document, agent=organization, role="originator")
        subject = m.Subject.objects.create(term=f"PROBESUBJ{state.upper()}", scheme="abbreviation")
        document.subjects.add(subject, shared_subject)
        repository = m.Repository.objects.create(name=f"Probe {state.title()} Archive")
        m.ArchivalReference.objects.create(document=document, repository=repository,
                                           as_written=f"Probe {state} box 1")  # fmt: skip
        m.ArchivalReference.objects.create(
            document=document, repository=shared_archive, as_written=f"Shared box {state}",
            position=1)  # fmt: skip
        collection = m.Collection.objects.create(
            identifier=f"probe-{state}", title=f"Probe collection {state}"
        )
        m.CollectionMember.objects.create(collection=collection, document=document)
        m.CollectionMember.objects.create(collection=shared, document=document, position=year)
        m.Release.objects.create(document=document, released_on=date(year + 100, 1, 1),
                                 list_name="probe", prior_status=f"Status {state}")  # fmt: skip
        file = m.File.objects.create(document=document, name="scan.pdf", sha256=sha, size=size)
        values = {"people": (person.pk, person.name), "places": (place.pk, place.name),
                  "organizations": (organization.pk, organization.name),
                  "subjects": (subject.pk, subject.term),
                  "repository": (repository.pk, repository.name),
                  "collection": (collection.identifier, collection.title),
                  "year": (year, year), "release_year": (year + 100, year + 100),
                  "prior_status": (f"Status {state}", f"Status {state}")}
        probes[state] = Probe(
            state, document, word, person, place, collection, file, organization, subject,
            repository, facet_values={k: str(v) for k, (v, _) in values.items()},
            facet_labels={k: str(label) for k, (_, label) in values.items()},
        )  # fmt: skip
    process_pending()  # every probe public and indexed

    expiring = probes[EXPIRING].document
    expiring.embargo_until = timezone.now() + timedelta(days=1)
    expiring.save()
    process_pending()  # the embargo reached the index while the worker ran
    sitemaps.write()  # and the sitemaps (the expiring record is not in them)

    hide(probes)
    if worker_running:
        process_pending()
        sitemaps.write()
    return World(probes, shared_person, shared, sha, shared={
        "people": shared_person, "places": shared_place, "subjects": shared_subject,
        "repositories": shared_archive})


def hide(probes: dict[str, Probe]) -> None:
    draft = probes["draft"].document
    draft.state = m.PublicationState.DRAFT
    draft.save()
    withdrawn = probes["withdrawn"].document
    withdrawn.state = m.PublicationState.WITHDRAWN
    withdrawn.withdrawn_reason = "Personal data of a living person"
    withdrawn.save()
    embargoed = probes["embargoed"].document
    embargoed.embargo_until = timezone.now() + timedelta(days=30)
    embargoed.save()
