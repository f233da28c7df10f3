"""Names in the sources that are not names of an agent, read by the mapping table
`catalogue/data/names.json`: a withheld name, an office title, a station, a note, a
participant list's heading. Each becomes what it is (a redaction on the link, a position
and its office, an organization, a note) instead of a person called "((DELETED))".

Applied to every importer's records between parsing and loading (`importers.py`), so a
record's content hash covers the result and a change of the table reaches the
catalogue at the next import. Each record notes the rules that changed it (`mapped`), and
the import's summary counts them. Pure: no Django, no I/O beyond the table.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from readingroom.catalogue.organizations import find_organization
from readingroom.catalogue.vocabularies import DATA, normalize_spelling
from readingroom.ingest.records import AgentRecord, DocumentRecord

TABLE = json.loads((DATA / "names.json").read_text(encoding="utf-8"))

# What each rule does, as the import's summary names it.
WITHHELD = "withheld name → a redaction on the link, shown as [name withheld]"
NO_AGENT = "no one named (memo for the record, multiple addressees…) → no link"
NOTE = "a note where a name was expected → the link's note"
HEADING = "participant list heading (a side) → the link's note"
TITLE = "office title → a position on the link, its office an organization"
OFFICE = "office or station written as a name → an organization"
NAME_WITH_OFFICE = "name written with its office or an aside → the person, with position or note"
RULES = (WITHHELD, NO_AGENT, NOTE, HEADING, TITLE, OFFICE, NAME_WITH_OFFICE)


def _spaced(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=16384)  # cells and their parts are read again by several rules
def _upper(text: str) -> str:
    return _spaced(text).upper().rstrip(".;:, ")


def _alternation(words: list[str]) -> str:
    """A regex matching any of `words` (longest first, so `CHIEF OF STATION` wins)."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_MARKERS = TABLE["withheld"]["markers"]
_MARKER_RE = re.compile(rf"(?<![\w(\[])(?:{_alternation(_MARKERS)})(?![\w)\]])", re.I)
_NO_AGENT_RE = re.compile("|".join(f"(?:{p})" for p in TABLE["no_agent"]["patterns"]))
_NOTE_RE = re.compile("|".join(f"(?:{p})" for p in TABLE["notes"]["patterns"]), re.I)
_SIDES = {_upper(s) for s in TABLE["headings"]["sides"]}
_P = TABLE["positions"]
_TITLE_RE = re.compile(
    rf"^(?P<title>(?:(?:{_alternation(_P['modifiers'])})\s*)*(?:{_alternation(_P['titles'])}))"
    rf"(?P<rest>(?:\s+|\s*[-(]).*)?$"
)
_LINKING_RE = re.compile(rf"^\s*(?:(?:{'|'.join(_P['linking_words'])})\b|\()")
_ABBREVIATED_RE = re.compile(rf"^(?P<short>{'|'.join(_P['abbreviations'])})/(?P<office>\S.*)$")
_O = TABLE["offices"]
_OFFICE_NAMES = {_upper(n) for n in _O["names"]}
_OFFICE_WORD_RE = re.compile(rf"(?<![\w/])(?:{_alternation(_O['words'])})(?![\w])")
_AS_WRITTEN = {_upper(n) for n in _O["kept_as_written"]}  # WH: White House or WH Division
_CODE_RE = re.compile(r"^[A-Z]{1,2}\d?$")  # MM, NY, WH8: FBI field offices, CIA desks
_ADDRESSED_RE = re.compile(rf"^(?:{_alternation(TABLE['addressed']['prefixes'])})\b:?\s*", re.I)
# `J. BARRY HARRELSON. CSI/HRG`: a name ending in a word (not an initial), a full stop,
# then the office.
_DOTTED_RE = re.compile(r"^(?P<name>.*?[A-Z'\-]{3,})\.\s+(?P<office>\S.*)$")
_SUFFIXES = {"JR", "SR", "II", "III", "IV"}


def _signal_words() -> frozenset[str]:
    """Every word a title, an office or an organization is spelled with: a cell in
    capitals holding none of them (nor a short code, nor a sign such as `/`) can only be
    a name, and skips the rules that look for one (most of the lists' 6,000 cells)."""
    from readingroom.catalogue.organizations import ORGANIZATIONS, spellings

    phrases = [*_P["modifiers"], *_P["titles"], *_P["abbreviations"], *_O["words"],
               *_O["names"], *TABLE["addressed"]["prefixes"],
               *(s for entry in ORGANIZATIONS for s in spellings(entry))]  # fmt: skip
    return frozenset(w for phrase in phrases for w in re.findall(r"[A-Z]+", phrase.upper()))


_SIGNALS = _signal_words()
_PLAIN_CELL_RE = re.compile(r"^[A-Z][A-Z.'\- ]*(?:, [A-Z][A-Z.'\- ]*)?$")  # at most one comma


def _only_a_name(upper: str) -> bool:
    if not _PLAIN_CELL_RE.match(upper):
        return False
    words = re.findall(r"[A-Z]+", upper)
    return all(len(w) > 2 and w not in _SIGNALS for w in words)
_PLAIN_NAME_RE = re.compile(r"^[A-Z][A-Z.'\- ]*$")  # capitals, initials, no office signs
_ASIDE_RE = re.compile("|".join(f"(?:{p})" for p in TABLE["asides"]["patterns"]), re.I)
_ROUTING_RE = re.compile(r"\s+(?:INFO(?:RMATION)?|ATTN:?|ATTENTION:?)\s+")  # cables: capitals
# `CHIEF, WE; CHIEF, SR`, `CHIEF, WE, CHIEF, SR`: two offices addressed.
_NEXT_TITLE_RE = re.compile(r"\s*[;,]\s*(?=(?:CHIEF|C/|COS|DIRECTOR|DEPUTY)\b)")
_DASH_RE = re.compile(r"\s*[—–]\s*|\s+-\s+")
# `SURNAME, GIVEN` as NARA writes persons (`BRECKINRIDGE, SCOTT D.`, `ROEMER, WILLIAM F.
# JR.`): what follows it is the person's office (`OLC`, `DD/P, CIA`).
_SURNAME_RE = re.compile(r"^[A-Z][A-Za-z'\-]+(?: [A-Z][A-Za-z'\-]+)?$")
_GIVEN_RE = re.compile(r"^(?:[A-Z][A-Za-z'\"]*\.?(?: |$)|[A-Z]\.)+$")
# A person as FRUS writes one: an honorific, or two to four capitalized words.
_HONORIFIC_RE = re.compile(
    r"^(?:Mr|Mrs|Miss|Ms|Dr|Ambassador|Amb|Gen|General|Adm|Admiral|Col|Colonel|Capt|Lt|Maj|"
    r"Senator|Sen|Governor|Gov|Minister|Professor|Prof|Judge|Father|Sir|Lord|Lady|Count|M)\.?\s"
)


@dataclass(frozen=True)
class Link:
    """What one name becomes: an agent (`name`, `kind`) or none (`name` empty), with the
    office or position the source gives, a note, and whether the name was withheld."""

    name: str
    kind: str
    office: str = ""
    note: str = ""
    withheld: bool = False


@dataclass(frozen=True)
class Reading:
    links: tuple[Link, ...]
    rule: str = ""  # the rule that changed it; "" when the name is a name


def apply_name_rules(record: DocumentRecord) -> DocumentRecord:
    """Rewrite the record's agents by the table, in place; `record.mapped` lists the
    rules that changed something. Agents a source linked to its own list of persons
    (`ref`, FRUS) are names by definition and stay as they are; so do links the rules
    already read (no name), so applying them again changes nothing."""
    agents: list[AgentRecord] = []
    rules: set[str] = set()
    for agent in record.agents:
        found = None if agent.ref or not agent.name else _rewritten(
            agent.name, agent.name_as_written, agent.kind, agent.role, agent.identification
        )  # fmt: skip
        if found is None:
            agents.append(agent)
            continue
        rule, rewritten = found
        rules.add(rule)
        agents += rewritten
    if rules:
        record.agents = agents
        record.mapped = sorted(rules)
    return record


@lru_cache(maxsize=32768)  # 45,000 agents of the release lists, 6,000 distinct
def _rewritten(name: str, written: str, kind: str, role: str,
               identification: str) -> tuple[str, tuple[AgentRecord, ...]] | None:  # fmt: skip
    """The rule and the agents an agent becomes, or None when its name is a name. The
    records returned are shared by the records that name the same (never changed after
    parsing)."""
    written = written or name
    # `Chief, Latin American Division, Treasury Department—Henry Costanzo`: a parser
    # that cut the name at its first comma left the name after the dash; read whole.
    whole = written if _DASH_RE.search(written) and not _capitals(written) else name
    reading = read_name(whole, kind, role)
    if not reading.rule:
        return None
    return reading.rule, tuple(
        AgentRecord(link.name, role, link.kind, written, identification, "",
                    link.office, link.note, link.withheld)
        for link in reading.links
    )  # fmt: skip


@lru_cache(maxsize=16384)  # a release list repeats a few thousand From/To cells
def read_name(name: str, kind: str, role: str) -> Reading:
    """What `name` (as the parser gives it, of `kind`, in `role`) becomes."""
    text = _spaced(name)
    if kind == "person" and _capitals(text):
        routed = _routed(text)
        if routed:
            return routed
    if _MARKER_RE.search(text):
        return Reading((_withheld(text),), WITHHELD)
    if _NOTE_RE.fullmatch(text):
        return Reading((Link("", kind, note=text),), NOTE)
    if role == "participant" and (text.endswith(":") or _upper(text) in _SIDES):
        return Reading((Link("", kind, note=text.rstrip(":")),), HEADING)
    if kind != "person" or find_organization(text):
        return Reading(())  # organizations are the parsers' (organizations.json)
    if no_one_named(text):
        return Reading((), NO_AGENT)
    addressed = _ADDRESSED_RE.match(text)
    if addressed and addressed.end() < len(text):
        inner = read_name(text[addressed.end() :], kind, role)
        return Reading(inner.links or (Link(text[addressed.end() :], kind),), inner.rule or OFFICE)
    return _one(text, kind)


def _routed(text: str) -> Reading | None:
    """`JMWAVE INFO DIRECTOR`, `DIR FBI ATTN: S.J. PAPICH`: the addressee, then each
    one the cable informs (noted so), each read on its own."""
    pieces = [p.strip(" ,") for p in _ROUTING_RE.split(text)]
    informs = len(pieces) > 1
    if not informs and _TITLE_RE.match(text.split(",")[0]):
        pieces = [p.strip(" ,") for p in _NEXT_TITLE_RE.split(text)]
    if len(pieces) < 2 or not all(pieces):
        return None
    links: list[Link] = []
    rule = ""
    for i, piece in enumerate(pieces):
        reading = read_name(piece, "person", "")
        rule = rule or reading.rule
        found = reading.links if reading.rule else (Link(piece, "person"),)
        if i and informs:
            found = tuple(replace(x, note=x.note or "information copy") for x in found)
        links += found
    return Reading(tuple(links), rule or OFFICE)


def no_one_named(text: str) -> bool:
    """A cell that names no one (`MFR`, `MULTIPLE ADDRESSEES`, `UNKNOWN`)."""
    return _NO_AGENT_RE.fullmatch(normalize_spelling(text)) is not None


def _withheld(text: str) -> Link:
    """A redaction: the office written beside the marker stays (`ACTING CHIEF OF STATION
    ((DELETED))`, `CHIEF OF STATION, (WITHHELD)`); other words are a note."""
    rest = _spaced(_MARKER_RE.sub(" ", text)).strip(" ,;:-/")
    if not rest:
        return Link("", "person", withheld=True)
    if _TITLE_RE.match(_upper(rest)) or _ABBREVIATED_RE.match(_upper(rest)) or _is_office(
        _upper(rest)
    ):
        return Link("", "person", office=rest, withheld=True)
    return Link("", "person", note=rest, withheld=True)


def _one(text: str, kind: str) -> Reading:
    """One addressee: its shape decides (see the table's sections)."""
    dashed = _DASH_RE.split(text)
    if len(dashed) > 1 and ("," not in text or not _capitals(text)):
        found = _dashed(dashed, kind)
        if found:
            return found
    aside = _ASIDE_RE.search(text)
    if aside:
        name = _spaced(text[: aside.start()] + text[aside.end() :]).strip(" ,")
        inner = _one(name, kind)
        links = inner.links or (Link(name, kind),)
        return Reading((replace(links[0], note=aside["note"]), *links[1:]), NAME_WITH_OFFICE)
    if not _capitals(text):
        # Mixed case is a narrative's (FRUS): a title alone (`The President`) or before
        # a name (`Ambassador Lodge`); anything else is left as the source wrote it.
        return _titled(text, kind) or Reading((Link(text, kind),))
    if _only_a_name(text):
        return Reading((Link(text, kind),))
    dotted = _DOTTED_RE.match(text)  # `J. BARRY HARRELSON. CSI/HRG`
    if (dotted and _PLAIN_NAME_RE.match(dotted["name"])
            and not _is_office_or_title(dotted["name"])
            and _is_office_or_title(dotted["office"])):  # fmt: skip
        office = _spaced(dotted["office"])
        return Reading((Link(dotted["name"], "person", office=office),), NAME_WITH_OFFICE)
    parts = [p.strip() for p in re.split(r"[,;]", text) if p.strip()]
    if not parts:  # punctuation alone
        return Reading((Link(text, kind),))
    if len(parts) > 1 and all(_is_known_office(p) for p in parts):  # cables to several
        return Reading(tuple(Link(_office_name(p), "organization") for p in parts), OFFICE)
    return (
        _title_and_office(parts)
        or _person_with_office(parts)
        or _name_and_offices(parts)
        or (Reading((Link(_office_name(text), "organization"),), OFFICE)
            if _is_office(_upper(text)) else Reading((Link(text, kind),)))
    )  # fmt: skip


def _capitals(text: str) -> bool:
    """Written in capitals, as the release lists write names and offices."""
    return text == text.upper()


def _titled(text: str, kind: str) -> Reading | None:
    match = _TITLE_RE.match(_upper(text))
    if match is None:
        return None
    rest = _spaced(text)[len(match["title"]) :].strip(" ,")
    if not rest:
        return Reading((Link("", kind, office=_spaced(text)),), TITLE)
    if re.fullmatch(r"(?:[A-Z][\w'\-]*\.?\s?){1,3}", rest) and not _is_office(_upper(rest)):
        title = _spaced(text)[: len(match["title"])].strip()
        return Reading((Link(rest, kind, office=title),), NAME_WITH_OFFICE)
    return None


def _title_and_office(parts: list[str]) -> Reading | None:
    """`CHIEF, WH DIVISION`, `COS JMWAVE`, `C/WH/4`, `CIA, DIRECTOR`, `DIRECTOR`."""
    head = _upper(parts[0])
    if _TITLE_RE.fullmatch(head) and not (_TITLE_RE.match(head)["rest"] or ""):
        return _title_then(_spaced(parts[0]), parts[1:])
    abbreviated = _ABBREVIATED_RE.match(head)
    if abbreviated:
        title = _P["abbreviations"][abbreviated["short"]]
        office = abbreviated["office"].strip()
        if _TITLE_RE.fullmatch(office):  # SA/DDO: a position's assistant, no office
            return Reading((Link("", "person", office=_spaced(parts[0])),), TITLE)
        person = _person_with_office([*parts[1:], ""]) if len(parts) > 2 else None
        if person:  # DC/SAG, BROWN, JERRY G.
            link = person.links[0]
            office = ", ".join(x for x in (_spaced(parts[0]), link.office) if x)
            return Reading((replace(link, office=office),), NAME_WITH_OFFICE)
        return _title_then(title, [office, *parts[1:]])
    match = _TITLE_RE.match(head)
    if match is None:
        if len(parts) == 2 and _TITLE_RE.fullmatch(_upper(parts[1])) and _is_office(head):
            office = _office_name(parts[0])  # CIA, DIRECTOR
            return Reading((Link(office, "organization", office=_spaced(parts[1])),), TITLE)
        return None
    rest = match["rest"] or ""
    if _LINKING_RE.match(rest):  # DIRECTOR OF SECURITY: one title
        return _title_then(_spaced(parts[0]), parts[1:])
    # COS JMWAVE, CHIEF WH DIVISION, Ambassador Lodge: the title, then what follows it
    written = _spaced(parts[0])
    cut = len(match["title"])
    return _title_then(written[:cut].strip(), [written[cut:].strip(" -"), *parts[1:]])


def _title_then(title: str, after: list[str]) -> Reading:
    """A title and what follows it: nothing (a position alone), its office, or a name."""
    after = [a for a in after if a]
    if not after:
        return Reading((Link("", "person", office=title),), TITLE)
    person = _person_with_office(after) or _person_with_office([*after, ""])
    if person or (len(after) == 1 and _looks_like_a_name(after[0])):
        name = person.links[0].name if person else after[0]
        more = person.links[0].office if person else ""
        office = ", ".join(x for x in (title, more) if x)
        return Reading((Link(name, "person", office=office),), NAME_WITH_OFFICE)
    return Reading((Link(_office_name(", ".join(after)), "organization", office=title),), TITLE)


def _person_with_office(parts: list[str]) -> Reading | None:
    """`BRECKINRIDGE, SCOTT D., OLC` → the person `BRECKINRIDGE, SCOTT D.`, office `OLC`
    (with `parts` ending in "" a name alone is asked for: `BROWN, JERRY G.`)."""
    if len(parts) < 3 or not _SURNAME_RE.match(parts[0]) or not _GIVEN_RE.match(parts[1]):
        return None
    if _is_office_or_title(parts[0]) or _is_office_or_title(parts[1]):
        return None
    rest = [p for p in parts[2:] if p]
    name = f"{parts[0]}, {parts[1]}"
    while rest and _upper(rest[0]) in _SUFFIXES:
        name, rest = f"{name}, {rest[0]}", rest[1:]
    if not rest and parts[-1]:
        return None
    return Reading((Link(name, "person", office=", ".join(rest)),), NAME_WITH_OFFICE)


def _name_and_offices(parts: list[str]) -> Reading | None:
    """`RAY REARDON, OFFICE OF SECURITY`, `CI/SO, OBER, RICHARD`, `SCOTT, CIA`: the parts
    that are offices are the person's office, the others (one run) the name."""
    if len(parts) < 2:
        return None
    offices = [_is_office_or_title(p) for p in parts]
    if all(offices) or not any(offices):
        return None
    names = [i for i, office in enumerate(offices) if not office]
    if names != list(range(names[0], names[-1] + 1)):
        return None
    name = ", ".join(parts[i] for i in names)
    office = ", ".join(p for p, is_office in zip(parts, offices, strict=True) if is_office)
    if no_one_named(name):  # MFR, DEPUTY DIR PLANS.: a memo for the record, to an office
        return Reading((Link("", "person", office=office),), TITLE)
    return Reading((Link(name, "person", office=office),), NAME_WITH_OFFICE)


def _dashed(pieces: list[str], kind: str) -> Reading | None:
    """FRUS participants written `S/P—Mr. Fried`, `Mr. Martin—Assistant Secretary for
    Inter-American Affairs`, `D—Mr. Akalosvky (interpreting)`: the piece that is a name
    is the person, the others the office."""
    def head(piece: str) -> str:  # `James J. Wickel, Interpreter`: the name before a comma
        return _ASIDE_RE.sub("", piece).split(",")[0].strip()

    names = [p for p in pieces if _looks_like_a_name(head(p))]
    if len(names) != 1:
        return None
    name = names[0]
    aside = _ASIDE_RE.search(name)
    note = aside["note"] if aside else ""
    person = head(name)
    after = _spaced(_ASIDE_RE.sub("", name))[len(person) :].strip(" ,")
    office = ", ".join(x for p in pieces for x in ([after] if p is name else [p]) if x)
    return Reading((Link(person, kind, office=office, note=note),), NAME_WITH_OFFICE)


def _looks_like_a_name(text: str) -> bool:
    """A person's name as FRUS and the lists write one: an honorific (`Mr. Fried`), or
    two to four capitalized words with no office word (`Graham Martin`)."""
    if _HONORIFIC_RE.match(text):
        return True
    words = text.split()
    if not 2 <= len(words) <= 4 or _is_office(_upper(text)) or _TITLE_RE.match(_upper(text)):
        return False
    return all(re.match(r"^[A-Z][\w.'\-]*$", w) for w in words) and any(
        w[-1].islower() for w in words
    )


def _is_office(upper: str) -> bool:
    """An office, station or field office written where a name was expected."""
    return (
        upper in _OFFICE_NAMES
        or (bool(_CODE_RE.match(upper)) and upper not in _SUFFIXES)  # JR is no office
        or "/" in upper
        or bool(_OFFICE_WORD_RE.search(upper))
        or find_organization(upper) is not None
    )


def _is_office_or_title(text: str) -> bool:
    upper = _upper(text)
    head = upper.split(",")[0]  # `ACTING CHIEF, WH`: a title, then its office
    return bool(_TITLE_RE.match(head) or _ABBREVIATED_RE.match(upper)) or _is_office(upper)


def _is_known_office(text: str) -> bool:
    """A station, city or organization the tables name (not merely office-shaped): a
    cell of several of them is a cable to several."""
    upper = _upper(text)
    return upper in _OFFICE_NAMES or (upper not in _AS_WRITTEN and bool(find_organization(upper)))


def _office_name(text: str) -> str:
    """An office as an organization: organizations.json's name when it has one (but
    `WH`, which is the White House or the CIA's WH Division, as written)."""
    written = _spaced(text).strip(" ,;")
    entry = None if _upper(written) in _AS_WRITTEN else find_organization(written)
    return entry["name"] if entry else written
