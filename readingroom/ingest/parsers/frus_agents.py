"""Who a FRUS document names, and in what role: the head's senders and recipients,
participants, a memorandum's TO and FROM lists, signers, and the persons mentioned.
Pure helpers of `frus.py`: no Django, no database.

A head marks most senders and recipients (`gloss`/`persName` with `@type="from"|"to"`);
some it names without a type, the words before the name giving the role: "Telegram From
Secretary of State Rusk to the Department", "Memorandum for Director of Central
Intelligence McCone", "Record of Telephone Conversation Between President-elect
Kennedy and Adlai E. Stevenson", "Memorandum by the Ambassador at Large (Thompson)",
"David K.E. Bruce Diary Entry" (a name first: its author).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from readingroom.ingest.parsers.frus_text import TEI_NS, local, norm, text_of
from readingroom.ingest.records import AgentRecord, DocumentRecord

T = f"{{{TEI_NS}}}"
HEAD = f"{T}head"
# The last of these words before an untyped name says its role.
ROLE_WORDS_RE = re.compile(r"\b(from|to|for|by|between|among|with)\b", re.I)
ROLE_OF_WORD = {
    "from": "sender", "to": "recipient", "for": "recipient", "by": "author",
    "between": "participant", "among": "participant", "with": "participant",
}  # fmt: skip
NUMBER_ONLY_RE = re.compile(r"^\s*\d+[A-Za-z]?\.\s*$")
# "to" and "for" right after one of these belong to an office's title ("the Deputy
# Director for Intelligence (Cline)", "Assistant Secretary of State for Inter-American
# Affairs"), not to the head's grammar.
OFFICE_WORD_RE = re.compile(
    r"\b(?:Secretary|State|Director|Assistant|Ambassador|Representative|Adviser|Advisor|"
    r"Counselor|Coordinator|Officer|Deputy|Mission|Delegation|Delegate|Minister|Chief|"
    r"Staff|Council|Committee)\s+$"
)


def head_agents(record: DocumentRecord, head: etree._Element | None,
                names: dict[str, str]) -> None:  # fmt: skip
    """The head's senders, recipients, participants and authors (never its notes)."""
    if head is None:
        return
    before = head.text or ""  # the head's words up to the element at hand
    for el in _iter_skip_notes(head):
        role = {"from": "sender", "to": "recipient"}.get(el.get("type", ""))
        if role is None and local(el) == "persName" and not el.get("type"):
            role = untyped_role(before, el.tail or "")
        if role and local(el) in ("gloss", "persName"):
            ref = (el.get("corresp") or "").lstrip("#")
            kind = "organization" if local(el) == "gloss" else "person"
            name = norm(text_of(el))
            if name:
                record.agents.append(AgentRecord(names.get(ref, name), role, kind, name, ref=ref))
        if el.getparent() is head:
            before += text_of(el) + (el.tail or "")


def untyped_role(before: str, after: str) -> str:
    """The role of a name the head gives without a type, from the words around it."""
    words = [
        m
        for m in ROLE_WORDS_RE.finditer(before)
        if m[1].casefold() not in ("to", "for") or not OFFICE_WORD_RE.search(before, 0, m.start())
    ]
    if words:
        return ROLE_OF_WORD[words[-1][1].casefold()]
    if NUMBER_ONLY_RE.match(before):
        return "author"  # "2. David K.E. Bruce Diary Entry"
    if re.match(r"\s*['’]s\b", after):
        return "participant"  # "Record of Secretary of State Rusk's Staff Meeting"
    return "mentioned"


def body_agents(record: DocumentRecord, el: etree._Element, names: dict[str, str]) -> None:
    """Participants, address lists, signers and the persons the text mentions, each
    once; and the abbreviations it uses, as subjects."""
    known = {a.ref for a in record.agents if a.ref}
    _memo_lists(record, el, names)
    for lst in el.iter(f"{T}list"):
        if lst.get("type") != "participants":
            continue
        for item in lst.findall(f"{T}item"):
            text = norm(text_of(item))
            if not text:
                continue
            pers = item.find(f".//{T}persName[@corresp]")
            ref = pers.get("corresp", "").lstrip("#") if pers is not None else ""
            name, _, ident = text.partition(", ")
            record.agents.append(AgentRecord(name, "participant", "person", text, ident, ref))
            known.add(ref)
    for child in el:
        if not isinstance(child.tag, str) or child.tag == HEAD:
            continue
        for pers in child.iter(f"{T}persName"):
            ref = (pers.get("corresp") or "").lstrip("#")
            if ref and ref not in known:
                known.add(ref)
                text = norm(text_of(pers))
                # A name under <signed> signed the document; anywhere else it is named.
                role = "signer" if _signed(pers, el) else "mentioned"
                record.agents.append(
                    AgentRecord(names.get(ref, text), role, "person", text, ref=ref)
                )
    for gloss in el.iter(f"{T}gloss"):
        ref = (gloss.get("target") or "").lstrip("#")
        name = names.get(ref) or norm(text_of(gloss))
        if ref and name and name not in record.subjects:
            record.subjects.append(name)


def _memo_lists(record: DocumentRecord, el: etree._Element, names: dict[str, str]) -> None:
    """A memorandum's TO and FROM lists ("The Secretary of Defense", an office more
    often than a person): recipients and senders the head does not name."""
    named = {(a.role, a.name) for a in record.agents}
    for lst in el.iter(f"{T}list"):
        role = {"to": "recipient", "from": "sender"}.get(lst.get("type", ""))
        if role is None:
            continue
        for item in lst.findall(f"{T}item"):
            text = norm(text_of(item)).rstrip(",;")
            pers = item.find(f".//{T}persName[@corresp]")
            ref = pers.get("corresp", "").lstrip("#") if pers is not None else ""
            name = names.get(ref, text) if ref else text
            if text and (role, name) not in named:
                named.add((role, name))
                kind = "person" if ref else "organization"
                record.agents.append(AgentRecord(name, role, kind, text, ref=ref))


def _iter_skip_notes(el: etree._Element) -> Iterator[etree._Element]:
    for child in el:
        if isinstance(child.tag, str) and local(child) != "note":
            yield child
            yield from _iter_skip_notes(child)


def _signed(el: etree._Element, stop: etree._Element) -> bool:
    for ancestor in el.iterancestors():
        if ancestor is stop:
            return False
        if ancestor.tag == f"{T}signed":
            return True
    return False
