"""FRUS source notes: archival references, classification markings, document types.
Pure helpers of `frus.py` and `frus_citation.py`."""

from __future__ import annotations

import re

from lxml import etree

from readingroom.ingest.parsers.frus_text import (
    local,
    norm,
    text_of,
)
from readingroom.ingest.parsers.pages import parse_classification
from readingroom.ingest.records import (
    ArchivalReferenceRecord,
    ClassificationRecord,
)

NUMBER_RE = re.compile(r"^\s*\d+[A-Za-z]?\.\s*")
TYPE_END_RE = re.compile(
    r",|\.(?:\s|$)|:|;|\s\(|\s+\S*\d|\s+(?i:from|by|to|between|among|with|prepared|for|on|in"
    r"|of\s+the|of\s+an?|no\.)(?:\s|$)"
)
LEVEL_WORDS = (
    r"Top Secret|Secret|Confidential|Limited Official Use|Official Use Only|"
    r"Unclassified|No classification marking|Eyes Only|Personal|Priority|Niact"
)
MARKING_RE = re.compile(rf"(?:^|(?<=\.)\s+)(?P<marking>(?:{LEVEL_WORDS})\b[^.]*)(?:\.|$)")
SENTENCE_END_RE = re.compile(r"(?P<word>[\w.]*)\.\s+(?=[A-Z“\"(])")
ABBREVIATIONS = set("gen adm col mr mrs dr no st lt maj jr sen rep amb capt gov".split())
YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
REF_KEYS = [
    (re.compile(r"^RG\s+(\S.*)$"), "record_group"),
    (re.compile(r"^Box\s+(\S.*)$"), "box"),
    (re.compile(r"^Folder\s+(\S.*)$"), "folder"),
]


def _first_sentence(text: str) -> str:
    """Up to the first full stop that is not an initial ("L.", "U.S.") or "Gen."."""
    for m in SENTENCE_END_RE.finditer(text):
        word = m["word"].rsplit(".", 1)[-1]
        if not (len(word) <= 2 and word.isupper()) and word.casefold() not in ABBREVIATIONS:
            return text[: m.start() + len(m["word"])]
    return text.rstrip(".")


def _doc_type(title: str, head: etree._Element | None) -> str:
    """The words that open the title: "Telegram", "Memorandum of Conversation"..."""
    if (
        head is not None
        and len(head)
        and local(head[0]) == "persName"
        and NUMBER_RE.sub("", head.text or "").strip() == ""
    ):
        name = norm(text_of(head[0]))  # "David K.E. Bruce Diary Entry"
        title = title[len(name) :].strip() if title.startswith(name) else title
    return TYPE_END_RE.split(title, maxsplit=1)[0].strip()


def parse_source_note(text: str) -> tuple[ArchivalReferenceRecord | None, ClassificationRecord]:
    """ "Source: Department of State, Central Files, 101/5-1862. Secret; Limit Distribution."
    -> the reference before the marking sentence, and the marking."""
    body = re.sub(r"^\[?Source:\s*", "", text).strip()
    if text.startswith("[") and body.endswith("]"):
        body = body[:-1]
    match = MARKING_RE.search(body)
    if match:
        reference = body[: match.start()].strip().rstrip(".")
        classification = _classify(match["marking"].strip())
    else:
        reference = _first_sentence(body).strip().rstrip(".")
        bears = re.search(r"bears no classification[^.]*", body)
        classification = (
            ClassificationRecord("no-marking", bears.group())
            if bears
            else ClassificationRecord("not-recorded")
        )
    return (parse_frus_reference(reference) if reference else None), classification


def _classify(marking: str) -> ClassificationRecord:
    found = parse_classification(marking)
    if found:
        return found
    first, *rest = [p.strip() for p in marking.split(";")]
    found = parse_classification(first)
    if found:  # "Secret; Eyes Only for Under Secretary Ball"
        return ClassificationRecord(found.level, found.marking, found.caveats + rest)
    return ClassificationRecord("not-recorded", marking)


def parse_frus_reference(as_written: str) -> ArchivalReferenceRecord:
    """Repository, series and file of a FRUS source citation, as far as they are plain:
    "Department of State, Central Files, 101/5-1862", "Kennedy Library, National Security
    Files, Countries Series, USSR", "Department of State, Conference Files: Lot 65 D 533"."""
    ref = ArchivalReferenceRecord(as_written=as_written)
    segments = [s.strip() for s in as_written.split(",") if s.strip()]
    if not segments:
        return ref
    ref.repository, _, lot = (p.strip() for p in segments[0].partition(":"))
    ref.file, rest = lot, segments[1:]  # "CIA Files: Job 84-00499R, Box 1"
    for i, segment in enumerate(rest):
        m = re.match(r"^(?P<series>(?:Central|Conference) Files|CF)\s*(?P<file>\S.*)?$", segment)
        if m and not ref.series:
            ref.series = m["series"]
            file = m["file"] or (rest[i + 1] if i + 1 < len(rest) else "")
            ref.file = ref.file or file.strip()
            continue
        if ":" in segment and not ref.series:
            ref.series, ref.file = (p.strip() for p in segment.split(":", 1))
            continue
        for pattern, name in REF_KEYS:
            km = pattern.match(segment)
            if km and not getattr(ref, name):
                setattr(ref, name, km[1].strip())
        if i == 0 and not ref.series and not any(p.match(segment) for p, _ in REF_KEYS):
            ref.series = segment
    return ref
