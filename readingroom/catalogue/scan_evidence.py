"""What layers above the catalogue read from a document's scans and offer its editors as
evidence (a classification marking stamped on a page), registered here by those
layers: the catalogue's admin shows it and imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# sha256s of a document's files → (marking, page, the words as read) for each finding.
EvidenceReader = Callable[[list[str]], Iterable[tuple[str, int, str]]]
READERS: list[EvidenceReader] = []


def register(reader: EvidenceReader) -> None:
    if reader not in READERS:
        READERS.append(reader)


def markings_read(shas: list[str]) -> list[tuple[str, int, str]]:
    return [found for reader in READERS for found in reader(shas)] if shas else []
