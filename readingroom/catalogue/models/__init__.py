"""Catalogue models, one module per concern; import from here."""

from readingroom.catalogue.models.agents import (
    WITHHELD_NAME,
    Agent,
    AgentIdentification,
    AgentKind,
    AgentName,
    DocumentAgent,
    DocumentPlace,
    Place,
    PlaceName,
    Role,
)
from readingroom.catalogue.models.collections import Collection, CollectionMember
from readingroom.catalogue.models.documents import (
    Caveat,
    ClassificationLevel,
    DatePrecision,
    Document,
    DocumentIdentifier,
    DocumentSource,
    PublicationState,
    RightsStatement,
)
from readingroom.catalogue.models.outbox import OutboxEntry, PublicityChanges
from readingroom.catalogue.models.provenance import Conflict, ConflictStatus, DocumentEdits
from readingroom.catalogue.models.references import ArchivalReference, Repository, RepositoryName
from readingroom.catalogue.models.relations import DocumentRelation, RelationKind
from readingroom.catalogue.models.releases import Release
from readingroom.catalogue.models.suggestions import SuggestionSource, TypeSuggestion
from readingroom.catalogue.models.texts import File, Text, TextDirection, TextFormat, TextKind
from readingroom.catalogue.models.vocab import (
    DocumentType,
    DocumentTypeSpelling,
    Funder,
    Language,
    PhysicalForm,
    PhysicalFormSpelling,
    Subject,
)

__all__ = [
    "WITHHELD_NAME",
    "Agent",
    "AgentIdentification",
    "AgentKind",
    "AgentName",
    "ArchivalReference",
    "Caveat",
    "ClassificationLevel",
    "Collection",
    "CollectionMember",
    "Conflict",
    "ConflictStatus",
    "DatePrecision",
    "Document",
    "DocumentAgent",
    "DocumentEdits",
    "DocumentIdentifier",
    "DocumentPlace",
    "DocumentRelation",
    "DocumentSource",
    "DocumentType",
    "DocumentTypeSpelling",
    "File",
    "Funder",
    "Language",
    "OutboxEntry",
    "PhysicalForm",
    "PhysicalFormSpelling",
    "Place",
    "PlaceName",
    "PublicationState",
    "PublicityChanges",
    "RelationKind",
    "Release",
    "Repository",
    "RepositoryName",
    "RightsStatement",
    "Role",
    "Subject",
    "SuggestionSource",
    "Text",
    "TextDirection",
    "TextFormat",
    "TextKind",
    "TypeSuggestion",
]

# Register versioning with the models themselves, before the admin (whose VersionAdmin
# would otherwise register Document with a follow list of its own) is discovered.
from readingroom.catalogue import versions  # noqa: F401
