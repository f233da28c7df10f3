"""OAI-PMH sets: one per collection, as a hierarchy that follows the collection tree
(`collection:frus:frus1961-63v05:frus1961-63v05-ch1`), and one per holding repository
(`repository:12`). A record is in a collection's set when it is a member of that
collection or of any collection below it; the header names the set of each collection
it is a member of (the sets above follow from the hierarchy, as the protocol says).

Collections and holding repositories are public structure (their pages are public whatever
they hold), so every one is a set. They are read once per request: a few thousand rows
at most, where a query per record would cost more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from readingroom.catalogue import models as m
from readingroom.interop.oai.arguments import OAIError

COLLECTION = "collection"
REPOSITORY = "repository"


@dataclass(frozen=True)
class Set:
    spec: str
    name: str
    description: str = ""


class SetTree:
    def __init__(self) -> None:
        rows = list(m.Collection.objects.values_list("id", "parent_id", "identifier", "title",
                                                     "description"))  # fmt: skip
        parents = {pk: parent for pk, parent, *_ in rows}
        identifiers = {pk: identifier for pk, _, identifier, *_ in rows}
        self._collections = {pk: (title, description) for pk, _, _, title, description in rows}
        self._children: dict[int | None, list[int]] = {}
        for pk, parent, *_ in rows:
            self._children.setdefault(parent, []).append(pk)
        self.spec_of: dict[int, str] = {}
        for pk in identifiers:
            path, node, seen = [], pk, set()
            while node is not None and node not in seen:  # a cycle would be a data error
                seen.add(node)
                path.append(identifiers[node])
                node = parents.get(node)
            self.spec_of[pk] = ":".join([COLLECTION, *reversed(path)])
        self._by_spec = {spec: pk for pk, spec in self.spec_of.items()}
        # The repositories that hold a record here (the vocabulary lists more): each
        # looked up in the references' repository index, not the references joined whole
        # and made distinct (16 ms on the corpus's 16,706 references, read by every page).
        held = Exists(m.ArchivalReference.objects.filter(repository=OuterRef("pk")))
        self.repositories = dict(m.Repository.objects.filter(held).values_list("id", "name"))

    @property
    def empty(self) -> bool:
        return not self.spec_of and not self.repositories

    def all(self) -> list[Set]:
        """Every set, ordered by spec (the key of ListSets' resumption)."""
        out = []
        if self.spec_of:
            out.append(Set(COLLECTION, "Collections"))
        out += [Set(spec, self._collections[pk][0], self._collections[pk][1])
                for pk, spec in self.spec_of.items()]  # fmt: skip
        if self.repositories:
            out.append(Set(REPOSITORY, "Holding repositories"))
        out += [Set(f"{REPOSITORY}:{pk}", name) for pk, name in self.repositories.items()]
        return sorted(out, key=lambda s: s.spec)

    def _subtree(self, root: int) -> list[int]:
        out, todo = [], [root]
        while todo:
            node = todo.pop()
            out.append(node)
            todo += self._children.get(node, [])
        return out

    def members(self, spec: str) -> Q:
        """The records of a set, as a filter on documents; badArgument for no such set
        (the protocol has no error of its own for it) and noSetHierarchy for none."""
        if self.empty:
            raise OAIError("noSetHierarchy", "This repository has no sets.")
        if spec == COLLECTION:
            return Q(pk__in=m.CollectionMember.objects.values("document_id"))
        if spec in self._by_spec:
            collections = self._subtree(self._by_spec[spec])
            return Q(pk__in=m.CollectionMember.objects.filter(
                collection_id__in=collections).values("document_id"))  # fmt: skip
        if spec == REPOSITORY:
            return Q(pk__in=m.ArchivalReference.objects.filter(
                repository__isnull=False).values("document_id"))  # fmt: skip
        kind, _, pk = spec.partition(":")
        if kind == REPOSITORY and pk.isdigit() and len(pk) <= 18 and int(pk) in self.repositories:
            return Q(pk__in=m.ArchivalReference.objects.filter(
                repository_id=int(pk)).values("document_id"))  # fmt: skip
        raise OAIError("badArgument", f"There is no set {spec[:80]!r}; ListSets lists them.")

    def specs_of(self, document_ids: Iterable[int]) -> dict[int, list[str]]:
        """The sets each record is directly in, for the headers of one page."""
        ids = list(document_ids)
        out: dict[int, list[str]] = {pk: [] for pk in ids}
        for doc, collection in m.CollectionMember.objects.filter(
            document_id__in=ids).values_list("document_id", "collection_id"):  # fmt: skip
            out[doc].append(self.spec_of[collection])
        for doc, repository in (m.ArchivalReference.objects.filter(
                document_id__in=ids, repository__isnull=False)
                .values_list("document_id", "repository_id").distinct()):  # fmt: skip
            out[doc].append(f"{REPOSITORY}:{repository}")
        return {pk: sorted(set(specs)) for pk, specs in out.items()}
