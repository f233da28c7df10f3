"""What every format cites, worked out once from the public document dict.

Each format module renders a `Citable`; none reads the dict itself, so the choices
below (who is the author, which archive holds the original, which number identifies it)
are made in one place and every format agrees on them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Identifiers a citation gives, and the label it gives them with. A published volume's
# own number ("Document 196") places the document in the volume; a holding archive's
# record number identifies it in the archive's collection.
VOLUME_NUMBERS = {"FRUS document number": "Document"}
RECORD_NUMBERS = {"NARA record number": "Record Number"}

# Who a citation names as author, in order of preference: the writer, else who signed,
# else the agency that produced the record (a corporate author).
AUTHOR_ROLES = ("author", "signer", "originator")


@dataclass(frozen=True)
class Name:
    """A person (family and given names) or an organization (literal)."""

    literal: str = ""
    family: str = ""
    given: str = ""
    suffix: str = ""

    @property
    def is_person(self) -> bool:
        return bool(self.family)

    def inverted(self) -> str:
        """ "Thompson, Llewellyn E., Jr." / "Central Intelligence Agency" """
        if not self.is_person:
            return self.literal
        name = f"{self.family}, {self.given}" if self.given else self.family
        return f"{name}, {self.suffix}" if self.suffix else name

    def direct(self) -> str:
        """ "Llewellyn E. Thompson, Jr." """
        if not self.is_person:
            return self.literal
        name = f"{self.given} {self.family}".strip()
        return f"{name}, {self.suffix}" if self.suffix else name

    def initials(self) -> str:
        """ "Thompson, L. E., Jr." (APA) """
        if not self.is_person:
            return self.literal
        parts = re.split(r"([\s-]+)", self.given)
        given = "".join(p if not p.strip() or p == "-" else p[0] + "." for p in parts)
        return Name(family=self.family, given=given, suffix=self.suffix).inverted()


@dataclass(frozen=True)
class Volume:
    title: str
    editors: list[Name]
    publisher: str
    place: str
    year: str
    number: str  # "Document 196"
    isbn: str = ""


@dataclass(frozen=True)
class Citable:
    identifier: str
    title: str  # as catalogued, without a closing full stop
    precision: str
    start: date | None
    end: date | None
    authors: list[Name]
    agencies: list[str]  # originating agencies ("Central Intelligence Agency")
    genre: str  # document type: "Telegram", "Memorandum of Conversation"
    site: str
    url: str  # canonical when READINGROOM_BASE_URL is set, else the request's
    cite_url: str | None  # only the canonical one: what prose citations print
    # Where the original is: the archive, and where in it.
    archive: str
    archive_place: str
    archive_location: str
    reference: str  # the archival reference as written (the seed pages' form)
    collection: str  # the holding archive's collection ("JFK Assassination Records Collection")
    record_number: str  # "Record Number 104-10121-10174"
    call_number: str  # the record number alone
    volume: Volume | None
    languages: list[str]
    abstract: str
    rights_uri: str
    rights_text: str
    pdf_url: str
    subjects: list[str] = field(default_factory=list)
    locator: str = ""  # "p. 3", "para. 12"

    @property
    def key(self) -> str:
        """A citation key: the identifier with only the characters BibTeX keys allow."""
        return re.sub(r"[^A-Za-z0-9_.:-]", "-", self.identifier)


def person_name(name: str, sort_name: str | None) -> Name:
    """Family and given names from the catalogue's sort form ("Goldberg, Gary",
    "Thompson, Llewellyn E., Jr."), else from the name's last word."""
    if sort_name and "," in sort_name:
        family, _, rest = sort_name.partition(",")
        given, _, suffix = rest.partition(",")
        return Name(family=family.strip(), given=given.strip(), suffix=suffix.strip())
    suffix = ""
    words = name.split()
    if len(words) > 1 and words[-1].rstrip(".") in {"Jr", "Sr", "II", "III", "IV"}:
        suffix = words.pop().lstrip(",")
        words[-1] = words[-1].rstrip(",")
    if len(words) < 2:
        return Name(literal=name)
    return Name(family=words[-1], given=" ".join(words[:-1]), suffix=suffix)


def _named(contributors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The links that name an agent: a withheld name ("[name withheld]") or a note
    stands where a name was, and is nobody to cite."""
    return [c for c in contributors if c.get("kind")]


def _authors(contributors: list[dict[str, Any]]) -> list[Name]:
    for role in AUTHOR_ROLES:
        found = [c for c in _named(contributors) if c["role"] == role]
        if found:
            return [
                person_name(c["name"], c.get("sort_name")) if c["kind"] == "person"
                else Name(literal=c["name"])
                for c in found
            ]  # fmt: skip
    return []


def _without_prefix(text: str, prefixes: list[str]) -> str:
    """ "AVP RF, f. 0104, ..." less its repository: "f. 0104, ..." """
    for prefix in prefixes:
        if prefix and text.startswith(prefix):
            return text[len(prefix) :].lstrip(" ,;:")
    return text


def _identifier(document: dict[str, Any], labels: dict[str, str]) -> tuple[str, str]:
    for i in document["identifiers"]:
        if i["scheme"] in labels:
            return f"{labels[i['scheme']]} {i['value']}", i["value"]
    return "", ""


def _volume(document: dict[str, Any]) -> Volume | None:
    for c in document["collections"]:
        if v := c.get("volume"):
            return Volume(
                title=v["title"],
                editors=[person_name(e, None) for e in v["editors"]],
                publisher=v["publisher"] or "",
                place=v["publication_place"] or "",
                year=v["published"] or "",
                number=_identifier(document, VOLUME_NUMBERS)[0],
                isbn=v.get("isbn") or "",
            )
    return None


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def citable(document: dict[str, Any], site: str, locator: str = "") -> Citable:
    refs = document["archival_references"]
    ref = refs[0] if refs else None
    repository = (ref or {}).get("repository") or {}
    record_number, call_number = _identifier(document, RECORD_NUMBERS)
    # A record a holding archive numbers within its collection (NARA) is cited by that
    # collection and number; the reference as written is for records cited as their
    # source prints them (the seed pages).
    collection = next(
        (c["root"]["title"] for c in document["collections"] if not c.get("volume")), ""
    )
    held = bool(record_number and collection)
    location = (
        ", ".join(p for p in (collection, record_number) if p) if held
        else _without_prefix(ref["as_written"], [repository.get("name"),
                                                 repository.get("abbreviation")])
        if ref else ""
    )  # fmt: skip
    files = [f for f in document["files"] if f["held"] and f["media_type"] == "application/pdf"]
    date_ = document["date"]
    return Citable(
        identifier=document["identifier"],
        title=document["title"].strip().removesuffix(".").strip(),
        precision=date_["precision"],
        start=_iso(date_["start"]),
        end=_iso(date_["end"]),
        authors=_authors(document["contributors"]),
        agencies=[c["name"] for c in _named(document["contributors"]) if c["role"] == "originator"],
        genre=(document.get("document_type") or {}).get("label") or "",
        site=site,
        url=document.get("canonical_url") or document["url"],
        cite_url=document.get("canonical_url"),
        archive=repository.get("name") or "",
        archive_place=repository.get("location") or "",
        archive_location=location,
        reference="; ".join(r["as_written"].strip().removesuffix(".") for r in refs),
        collection=collection if held else "",
        record_number=record_number if held else "",
        call_number=call_number,
        volume=_volume(document),
        languages=[lang["code"] for lang in document["languages"]],
        abstract=document.get("summary") or "",
        rights_uri=document["rights"]["uri"] or "",
        rights_text=document["rights"]["text"] or "",
        pdf_url=files[0]["url"] if files else "",
        subjects=list(document.get("subjects") or []),
        locator=locator,
    )


def locator_for(anchor: str = "", page: str = "", para: str = "") -> str:
    """ "p. 3" for a page (printed page anchor `pb-3`, scan page `page-3`), "para. 12"
    for a paragraph anchor (`p12`); "" for anything else."""
    anchor = anchor.lstrip("#")
    if m := re.fullmatch(r"(?:pb|page)-(\w{1,10})", anchor):
        page = m.group(1)
    elif m := re.fullmatch(r"p(\d{1,5})", anchor):
        para = m.group(1)
    if page and re.fullmatch(r"\w{1,10}", page):
        return f"p. {page}"
    if para and para.isdigit() and len(para) <= 5:
        return f"para. {int(para)}"
    return ""
