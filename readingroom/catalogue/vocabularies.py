"""Vocabularies kept as data (`data/*.json`), synced into their tables on migrate, and
the lookups that map a source's spelling to a term."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.db import transaction

DATA = Path(__file__).resolve().parent / "data"


def normalize_spelling(text: str) -> str:
    """ "PAPER - TEXTUAL DOCUMENT", "paper, textual document" → "paper textual document"."""
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def load_data(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@transaction.atomic
def sync_vocabularies(**_: object) -> None:
    """Bring the vocabulary tables in line with the data files (idempotent)."""
    from readingroom.catalogue import models as m

    for code, entry in load_data("languages.json").items():
        # {"name": "Russian", "native": "Русский", "direction": "ltr" (the default)}
        m.Language.objects.update_or_create(code=code, defaults={
            "name": entry["name"], "native_name": entry.get("native", ""),
            "direction": entry.get("direction", "ltr")})  # fmt: skip
    for filename, term_model, spelling_model in (
        ("document_types.json", m.DocumentType, m.DocumentTypeSpelling),
        ("physical_forms.json", m.PhysicalForm, m.PhysicalFormSpelling),
    ):
        for entry in load_data(filename):
            term, _ = term_model.objects.update_or_create(
                slug=entry["slug"], defaults={"label": entry["label"]}
            )
            for spelling in [entry["label"], *entry["spellings"]]:
                spelling_model.objects.update_or_create(
                    spelling=normalize_spelling(spelling), defaults={"term": term}
                )
    for entry in load_data("repositories.json"):
        repository, _ = m.Repository.objects.update_or_create(
            name=entry["name"],
            defaults={
                key: entry.get(key, "")
                for key in ("abbreviation", "name_in_original_language", "location", "url")
            },
        )
        for name in entry.get("other_names", []):
            m.RepositoryName.objects.update_or_create(
                name=name, defaults={"repository": repository}
            )
    sync_organizations()


def sync_organizations() -> None:
    """Organizations with their other names (`CIA` = `CENTRAL INTELLIGENCE AGENCY`), so
    every spelling of an originator is one agent record."""
    from readingroom.catalogue import models as m

    if not (DATA / "organizations.json").exists():
        return
    for entry in load_data("organizations.json"):
        agent = m.Agent.objects.filter(kind="organization", name=entry["name"]).first()
        if agent is None:
            agent = m.Agent.objects.create(
                kind="organization", name=entry["name"], sort_name=entry["name"]
            )
        names = {entry.get("abbreviation", ""), *entry.get("other_names", [])} - {"", agent.name}
        for name in sorted(names):
            m.AgentName.objects.get_or_create(agent=agent, name=name)


def document_type_for(spelling: str):
    from readingroom.catalogue.models import DocumentTypeSpelling

    row = DocumentTypeSpelling.objects.filter(spelling=normalize_spelling(spelling)).first()
    return row.term if row else None


def physical_form_for(spelling: str):
    from readingroom.catalogue.models import PhysicalFormSpelling

    row = PhysicalFormSpelling.objects.filter(spelling=normalize_spelling(spelling)).first()
    return row.term if row else None


def repository_for(name: str):
    """Match a repository by name, abbreviation or another known name."""
    from django.db.models import Q

    from readingroom.catalogue.models import Repository

    wanted = name.strip()
    if not wanted:
        return None
    return (
        Repository.objects.filter(
            Q(name__iexact=wanted)
            | Q(abbreviation__iexact=wanted)
            | Q(other_names__name__iexact=wanted)
        )
        .distinct()
        .first()
    )
