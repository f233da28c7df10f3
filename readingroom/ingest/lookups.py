"""Memoized catalogue lookups for one import run.

An import asks the same questions thousands of times (which term is "Telegram", who
is "Department of State"); answering each from memory after the first query is most
of what makes the loader fast. Each cache lives as long as one Loader.
"""

from __future__ import annotations

from readingroom.catalogue import models as m
from readingroom.catalogue.fast_insert import build, insert
from readingroom.catalogue.people import normalized_name
from readingroom.catalogue.vocabularies import normalize_spelling, repository_for
from readingroom.ingest.records import AgentRecord


class Lookups:
    def __init__(self) -> None:
        self._types: dict[str, m.DocumentType | None] = {}
        self._forms: dict[str, m.PhysicalForm | None] = {}
        # The mapping tables, read whole at their first use: a volume asks for hundreds
        # of spellings, each a query of its own through vocabularies.document_type_for.
        self._type_spellings: dict[str, m.DocumentType] | None = None
        self._form_spellings: dict[str, m.PhysicalForm] | None = None
        self._languages = {lang.code: lang for lang in m.Language.objects.all()}
        self._repositories: dict[str, m.Repository] = {}
        self._funders: dict[str, m.Funder] = {}
        self._subjects: dict[tuple[str, str], m.Subject] = {}
        self._agents: dict[tuple[str, str], m.Agent] = {}
        self._agent_kinds_loaded: set[str] = set()
        # Persons by normalized name ("Kennedy, John F." is "John F. Kennedy"), as the
        # volume loader matches them: whichever source named a person first, the others
        # link to that agent, so the catalogue does not depend on the order of imports.
        self._people: dict[str, m.Agent] = {}
        self._places: dict[str, m.Place] = {}

    def document_type(self, spelling: str) -> m.DocumentType | None:
        if spelling not in self._types:
            if self._type_spellings is None:
                self._type_spellings = _spellings(m.DocumentTypeSpelling)
            self._types[spelling] = self._type_spellings.get(normalize_spelling(spelling))
        return self._types[spelling]

    def physical_form(self, spelling: str) -> m.PhysicalForm | None:
        if spelling not in self._forms:
            if self._form_spellings is None:
                self._form_spellings = _spellings(m.PhysicalFormSpelling)
            self._forms[spelling] = self._form_spellings.get(normalize_spelling(spelling))
        return self._forms[spelling]

    def language(self, code: str) -> m.Language | None:
        return self._languages.get(code)

    def repository(self, name: str) -> tuple[m.Repository, bool]:
        """The repository of that name; True when it had to be created."""
        created = False
        if name not in self._repositories:
            repository = repository_for(name)
            if repository is None:
                repository, created = m.Repository.objects.get_or_create(name=name)
            self._repositories[name] = repository
        return self._repositories[name], created

    def funder(self, name: str) -> m.Funder:
        if name not in self._funders:
            self._funders[name] = m.Funder.objects.get_or_create(name=name)[0]
        return self._funders[name]

    def subject(self, term: str, scheme: str = "") -> m.Subject:
        key = (term, scheme)
        if key not in self._subjects:
            self._subjects[key] = m.Subject.objects.get_or_create(term=term, scheme=scheme)[0]
        return self._subjects[key]

    def agent(self, a: AgentRecord) -> m.Agent:
        if (a.kind, a.name) not in self._agents:
            self.add_agents([a])
        return self._agents[(a.kind, a.name)]

    def add_agents(self, records: list[AgentRecord]) -> None:
        """Create the agents of these records that do not exist yet, with one insert
        (a release list names thousands of new originators); the first record of a
        name gives its sort name and identification."""
        for kind in {a.kind for a in records} - self._agent_kinds_loaded:
            self._load_agents(kind)
        new: dict[tuple[str, str], m.Agent] = {}
        for a in records:
            key = (a.kind, a.name)
            if key in self._agents or key in new:
                continue
            person = self._people.get(normalized_name(a.name)) if a.kind == "person" else None
            if person is not None:
                self._agents[key] = person
                continue
            new[key] = build(m.Agent, kind=a.kind, name=a.name, sort_name=sort_name(a),
                             identification=a.identification)  # fmt: skip
            if a.kind == "person":
                self._people[normalized_name(a.name)] = new[key]
        insert(list(new.values()))
        self._agents.update(new)

    def _load_agents(self, kind: str) -> None:
        # One query for all agents of a kind instead of two per new name: a volume
        # names thousands of people and offices, most of them known already.
        for agent in m.Agent.objects.filter(kind=kind).order_by("pk"):
            self._agents.setdefault((kind, agent.name), agent)
            if kind == "person":
                self._people.setdefault(normalized_name(agent.name), agent)
        for other in m.AgentName.objects.filter(agent__kind=kind).select_related("agent"):
            self._agents.setdefault((kind, other.name), other.agent)
            if kind == "person":
                self._people.setdefault(normalized_name(other.name), other.agent)
        self._agent_kinds_loaded.add(kind)

    def place(self, name: str) -> m.Place:
        """The place of that name or other name (a spelling an editor merged into it)."""
        if name not in self._places:
            self._places[name] = (
                m.Place.objects.filter(name=name).first()
                or m.Place.objects.filter(other_names__name=name).order_by("pk").first()
                or m.Place.objects.create(name=name)
            )
        return self._places[name]


def _spellings(model: type[m.DocumentTypeSpelling | m.PhysicalFormSpelling]) -> dict:
    """Normalized spelling → term, as `document_type_for`/`physical_form_for` map them."""
    return {row.spelling: row.term for row in model.objects.select_related("term")}


def sort_name(a: AgentRecord) -> str:
    if a.kind != "person" or " " not in a.name.strip():
        return a.name
    *given, family = a.name.split()
    return f"{family}, {' '.join(given)}"
