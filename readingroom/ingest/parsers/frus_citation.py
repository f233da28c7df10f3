"""FRUS microfiche-supplement entries: a document known only by its citation.

A supplement's document is a one-paragraph head, "433. Memorandum from Kitchen to Nitze,
October 27. Transmits memorandum from Raymond Garthoff on Khrushchev's proposal for a
Turkey–Cuba tradeoff. Secret Attachment. 3 pp. WNRC, RG 330, ...", plus the page
images of the microfiche frames and the size of a PDF of them. `split_citation` cuts the
paragraph into its parts, every word of it in one part and none dropped; `citation_fields`
fills a record with them. The parts come in this order: title (type, from/to, date),
description, then the marking and the page count in either order (either may be
missing, the marking may lack its full stop or be followed by a word of its own), then
the archival reference. Pure helpers of `frus.py`: no Django, no database.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from readingroom.ingest.parsers.frus_notes import (
    ABBREVIATIONS,
    NUMBER_RE,
    YEAR_RE,
    _classify,
    _doc_type,
    parse_frus_reference,
)
from readingroom.ingest.parsers.frus_text import local, norm
from readingroom.ingest.parsers.pages import MONTHS
from readingroom.ingest.records import DateRecord, DocumentRecord, FileRecord

PAGES_RE = re.compile(r"(?<![\w–-])(?P<count>\d+)\s+pp?\.")
# A marking opens a sentence (or follows a closing quote) and is a level with its
# caveats ("Secret; Eyes Only"); it ends at a full stop, at the page count, at the
# capital that starts the reference or a note ("Secret Kennedy Library, ...",
# "Secret Attachment."), or at the end. "Secret raid by L-66 exile group." is no marking.
CITE_MARKING_RE = re.compile(
    r"(?:^|(?<=[.”\",]\s))(?P<marking>(?:Top Secret|Secret|Confidential|Limited Official Use|"
    r"Official Use Only|Unclassified|No classification marking)"
    r"(?:;\s*[A-Z][\w-]*(?:\s[A-Z][\w-]*)*)*)"
    r"(?=\.|\s+\d+\s+pp?\.|\s+[A-Z]|$)"
)
# A marking run into the description's last sentence, just before the page count:
# "...negotiation with U Thant Top Secret. 2 pp." (4 entries; one spells "Too Secret").
BARE_MARKING_RE = re.compile(
    r"(?<=\s)(?P<marking>To[op] Secret|Secret|Confidential|Unclassified)(?=\.?\s+\d+\s+pp?\.)"
)
MISSPELLED_LEVELS = {"Too Secret": "Top Secret"}
# Where the reference starts when neither a marking nor a page count ends the
# description (3 of the 746 entries): the archives the supplement cites.
REFERENCE_START_RE = re.compile(
    r"(?:^|(?<=\.\s))(?:DOS|DOD|OSD|NDU|NARA|WNRC|CIA|USUN|[A-Z][a-z]+ Library|"
    r"National (?:Archives|Defense University)|Washington National Records Center|"
    r"Department of (?:State|Defense)|Princeton University)\b[^.]{0,40}?[,:]"
)
CITE_DATE_RE = re.compile(
    r"\b(?P<month>[A-Z][a-z]+)\.?\s+(?:(?P<day>\d{1,2})\b(?:[,.]\s*"
    r"(?P<year>\d{4})\b)?|(?P<year_only>\d{4}))"
)
# Where the title sentence ends: a full stop (not an initial's, not "Gen.") before a
# capital, a quote or a parenthesis, before "-Material" (a stray hyphen in one entry) or
# "3 pages of source text not declassified" (but not "October 19. 1961, between").
# "Jr." ends a sentence here ("... and Adolf A. Berle, Jr. General exchange of views").
TITLE_END_RE = re.compile(r"(?P<word>[\w.]*)\.\s+(?=[-–]?[A-Z“\"(]|\d+ pages\b)")
TITLE_ABBREVIATIONS = ABBREVIATIONS - {"jr"}
# After the title's date, what describes the document rather than names it: a clause
# of its own ("May 4, advocating that ...", "November 13, prepared by Ewell, covering a
# JCS paper ...": CLAUSE_RE), or a description the entry runs on right after the date
# with a comma or a slash where a full stop belongs ("September 25, Proposed Donovan
# negotiations", "June 24/U-2 ...": RUN_ON_RE).
CLAUSE_RE = re.compile(r",\s+(?=[a-z]+ing\b)")
RUN_ON_RE = re.compile(r",\s+(?=[A-Z][a-z])|/(?=[A-Z])")
MONTH_NAMES = (  # not calendar.month_name, which follows the locale
    "january february march april may june july august september october november december"
).split()
PDF_NOTE = (
    "{locator}. The Office of the Historian publishes these frames as a PDF of {size} "
    "({bytes:,} bytes); this archive does not hold it."
)


@dataclass
class Citation:
    """The parts of one entry, each as written (the number removed)."""

    title: str
    description: str = ""
    marking: str = ""
    pages: int | None = None
    pages_as_written: str = ""  # "3 pp."
    notes: list[str] = field(default_factory=list)  # words beside the marking
    reference: str = ""
    shape: str = ""  # the parts present, in order: what the survey counts

    def parts(self) -> list[str]:
        """Every part as written: together they hold every word of the entry."""
        return [self.title, self.description, self.marking, *self.notes, self.pages_as_written,
                self.reference]  # fmt: skip


def split_citation(body: str) -> Citation:
    """Cut an entry (without its number) into its parts."""
    pages = _last(PAGES_RE.finditer(body))
    marking = _last(CITE_MARKING_RE.finditer(body))
    if marking is None and pages:
        marking = _last(m for m in BARE_MARKING_RE.finditer(body) if m.end() <= pages.start())
    markers = sorted((m for m in (marking, pages) if m), key=lambda m: m.start())
    if markers:
        end_of_text, start_of_reference = markers[0].start(), markers[-1].end()
    else:
        start = _last(REFERENCE_START_RE.finditer(body))
        end_of_text = start_of_reference = start.start() if start else len(body)
    title = _title(body[:end_of_text].strip())
    description = body[len(title) : end_of_text].strip(" .").lstrip(",/-– ").strip()
    if description and body[:end_of_text].rstrip().endswith("."):
        description += "."  # a sentence keeps its full stop ("...tradeoff.")
    notes = []
    if len(markers) == 2:  # what stands between marking and page count ("Attachment")
        between = body[markers[0].end() : markers[1].start()].strip(" .;")
        notes = [between] if between else []
    citation = Citation(
        title=title,
        description=description,
        marking=marking["marking"] if marking else "",
        pages=int(pages["count"]) if pages else None,
        pages_as_written=pages.group() if pages else "",
        notes=notes,
        reference=body[start_of_reference:].strip(" .").strip(),
    )
    citation.shape = _shape(citation, markers, marking)
    return citation


def _title(text: str) -> str:
    """The entry's title: its first sentence, up to what follows the date when that
    describes the document (`AFTER_DATE_RE`)."""
    end = len(text.rstrip("."))
    for m in TITLE_END_RE.finditer(text):
        word = m["word"].rsplit(".", 1)[-1]
        if not (len(word) <= 2 and word.isupper()) and word.casefold() not in TITLE_ABBREVIATIONS:
            # "Jr." keeps its full stop, a sentence's own is dropped
            end = m.start() + len(m["word"]) + (word.casefold() == "jr")
            break
    date = next((d for d in CITE_DATE_RE.finditer(text, 0, end) if _month(d["month"])), None)
    if date is not None:
        after = RUN_ON_RE.match(text, date.end(), end) or CLAUSE_RE.search(text, date.end(), end)
        end = after.start() if after else end
    return text[:end]


def _last(matches: Iterable[re.Match]) -> re.Match | None:
    found = list(matches)
    return found[-1] if found else None


def _shape(c: Citation, markers: list[re.Match], marking: re.Match | None) -> str:
    order = ["marking" if m is marking else "pages" for m in markers]
    parts = ["title", "description" if c.description else "", *order,
             "note" if c.notes else "", "reference" if c.reference else ""]  # fmt: skip
    return " ".join(p for p in parts if p)


def citation_fields(record: DocumentRecord, el: etree._Element, head_text: str,
                    heading: str) -> list[str]:  # fmt: skip
    """Fill `record` from a supplement entry (`heading`: its chapter's title, which
    may give the year); returns warnings."""
    body = NUMBER_RE.sub("", head_text)
    c = split_citation(body)
    record.citation_as_written = body
    record.title, record.document_type = c.title, _doc_type(c.title, None)
    # The description is the summary; a word beside the marking ("Attachment") is part
    # of what the entry says about the document, so it stays with it.
    summary = " ".join([c.description, *(f"{n}." for n in c.notes)]).strip()
    record.summary = summary[:1].upper() + summary[1:]  # "enclosing ..." after the title
    record.date = _citation_date(body, len(c.title), heading)
    if c.marking:
        record.classification = _classify(MISSPELLED_LEVELS.get(c.marking, c.marking))
        record.classification.marking = c.marking  # as written
    if c.reference:
        record.archival_references.append(parse_frus_reference(c.reference))
    warnings = []
    counted = next((norm(x.text) for x in el if local(x) == "page-count-according-to-citation"),
                   "")  # fmt: skip
    record.extent_pages = c.pages
    if c.pages is None and counted.isdigit():
        record.extent_pages = int(counted)
    elif counted.isdigit() and int(counted) != c.pages:
        warnings.append(f"page count {c.pages} in the citation, {counted} in the markup")
    record.files = _microfiche_file(record.identifier, el)
    record.texts = []
    return warnings


def _microfiche_file(identifier: str, el: etree._Element) -> list[FileRecord]:
    """The frames (a locator in the microfiche) and the PDF of them the Office of the
    Historian publishes, as a note on a file this archive does not hold."""
    frames = [x.get("path") for x in el if local(x) == "file" and x.get("path")]
    pdf = next((x for x in el if local(x) == "pdf" and (x.get("bytes") or "").isdigit()), None)
    if not frames and pdf is None:
        return []
    locator = frames_locator(frames) or "Microfiche frames not listed"
    if pdf is None:
        return [FileRecord(f"{identifier}.pdf", note=f"{locator}.")]
    size = pdf.get("readable") or f"{int(pdf.get('bytes')):,} bytes"
    note = PDF_NOTE.format(locator=locator, size=size, bytes=int(pdf.get("bytes")))
    return [FileRecord(f"{identifier}.pdf", note=note)]


def frames_locator(paths: list[str]) -> str:
    """ "0022/0092.tif", "0022/0093.tif", "0023/0000.tif" -> "Microfiche 0022, frames
    0092–0093; microfiche 0023, frame 0000": consecutive frames as a range."""
    fiches: dict[str, list[str]] = {}
    for path in paths:
        fiche, _, frame = path.rpartition("/")
        fiches.setdefault(fiche, []).append(frame.rsplit(".", 1)[0])
    out = []
    for fiche, frames in fiches.items():
        runs: list[list[str]] = []
        for frame in frames:
            if (
                runs
                and frame.isdigit()
                and runs[-1][-1].isdigit()
                and (int(frame) == int(runs[-1][-1]) + 1)
            ):
                runs[-1].append(frame)
            else:
                runs.append([frame])
        spans = ", ".join(r[0] if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
        noun = "frame" if len(frames) == 1 else "frames"
        out.append(f"microfiche {fiche}, {noun} {spans}" if fiche else f"{noun} {spans}")
    text = "; ".join(out)
    return text[:1].upper() + text[1:]


def _month(word: str, fuzzy: bool = False) -> int:
    word = word.casefold().rstrip(".")
    if word in MONTHS:
        return MONTHS[word]
    close = difflib.get_close_matches(word, MONTH_NAMES, n=1, cutoff=0.75) if fuzzy else []
    return MONTH_NAMES.index(close[0]) + 1 if close else 0


def _citation_date(citation: str, title_end: int, heading: str) -> DateRecord:
    """ "Memorandum from Harvey to McCone, August 8" + chapter "August 1962" -> 1962-08-08.
    The date is the first one that starts in the title (the citation's first sentence)."""
    year_in_heading = YEAR_RE.findall(heading)
    title = citation[:title_end]
    if re.search(r"\bundated\b", title):
        return DateRecord("undated", "undated")
    dated = re.search(r"\bdated\s+", title)  # "Chronology ... to April 19, 1961, dated April 23"
    for m in CITE_DATE_RE.finditer(citation, dated.end() if dated else 0, title_end + 8):
        month = _month(m["month"])
        if not month or m.start() >= title_end:
            continue
        year = m["year"] or m["year_only"] or (year_in_heading[-1] if year_in_heading else "")
        written = m.group()
        if not year:
            return DateRecord("undated", written)
        try:
            if m["day"]:
                day = date(int(year), month, int(m["day"]))
                return DateRecord("day", written, day, day)
            last = calendar.monthrange(int(year), month)[1]
            return DateRecord(
                "month", written, date(int(year), month, 1), date(int(year), month, last)
            )
        except ValueError:
            return DateRecord("undated", written)
    words = re.findall(r"[A-Za-z]+", heading)
    months = [n for w in words if (n := _month(w, fuzzy=True))]
    if year_in_heading and len(months) == 1:  # "Janaury 1963" and an undated citation
        year, month = int(year_in_heading[-1]), months[0]
        last = calendar.monthrange(year, month)[1]
        return DateRecord("month", heading, date(year, month, 1), date(year, month, last))
    return DateRecord("undated", "")
