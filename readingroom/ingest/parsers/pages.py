"""Parse plain-text captures of archive document pages into a `DocumentRecord`.

A capture is a page's visible text, one paragraph a line, with blocks whose order and
presence vary: navigation, a funder sentence, Citation/share bullets, a language line, a
marking, a PDF viewer notice, a "Document Information" block of labelled fields. Each
block is recognized by its own shape wherever it stands; of the lines no block claims,
the first is the date, the next the title (unless a citation names it), the rest the body.
Pure: no Django, no database, no file I/O except in `parse_page_file`.
"""

from __future__ import annotations

import calendar
import html
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from readingroom.ingest.records import (
    AgentRecord,
    ArchivalReferenceRecord,
    ClassificationRecord,
    DateRecord,
    DocumentRecord,
    FileRecord,
    IdentifierRecord,
    ParseError,
    SourceRecord,
    TextRecord,
)

IMPORTER = "pages"
PDF_NOTE = "The captured page shows a PDF of the original; the file itself is not in the capture."

NOISE = {"skip to content", "search in", "digital archive international history declassified"}
UI_BULLETS = {"share document", "share", "print", "download"}
INFO_HEADING = "document information"
LABELS = {
    "original uploaded date": "uploaded",
    "record id": "record_id",
    "original classification": "classification",
}

# Hard-coded rather than `calendar.month_name`, which follows the process locale.
MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
MONTHS = {n: i for i, name in enumerate(MONTH_NAMES.split(), 1) for n in (name, name[:3])}
MONTHS["sept"] = 9

LANGUAGES = {
    "english": "en",
    "russian": "ru",
    "spanish": "es",
    "german": "de",
    "french": "fr",
    "chinese": "zh",
    "portuguese": "pt",
    "italian": "it",
    "polish": "pl",
    "czech": "cs",
    "hungarian": "hu",
    "romanian": "ro",
    "bulgarian": "bg",
    "serbian": "sr",
    "japanese": "ja",
    "korean": "ko",
    "vietnamese": "vi",
    "arabic": "ar",
    "persian": "fa",
    "hebrew": "he",
    "mongolian": "mn",
    "albanian": "sq",
}
FORMATS = {"html": "html", "text": "plain", "pdf": "pdf"}

NUMBER_SIGN = r"(?:Nº|N°|№|No\.?|#)"
LEVELS = [  # longest first, so "Top Secret" is not read as "Secret"
    (r"top\s+secret", "top-secret"),
    (r"no\s+classification\s+marking", "no-marking"),
    (r"(?:for\s+)?official\s+use\s+only", "restricted"),
    (r"limited\s+official\s+use", "restricted"),
    (r"restricted", "restricted"),
    (r"confidential", "confidential"),
    (r"unclassified", "unclassified"),
    (r"secret", "secret"),
]
CAVEATS = [
    rf"copy\s*{NUMBER_SIGN}\s*\d+",
    r"eyes\s+only",
    r"making\s+copies\s+prohibited",
    r"of\s+special\s+importance",
    r"special\s+importance",
    r"personal",
    r"priority",
    r"niact",
    r"limit\s+distribution",
    r"exdis",
    r"nodis",
]
# Reference parts: (pattern of the key, field). Short Russian keys need their dot.
REFERENCE_KEYS = [
    (r"f\.\s*|fond\s+", "fond"),
    (r"op\.\s*|opis\s+", "opis"),
    (r"p\.\s*|papka\s+", "papka"),
    (r"d\.\s*|delo\s+", "delo"),
    (r"ll?\.\s*|list\s+", "list"),
    (r"file\s+", "file"),
    (r"vol\.?\s*|volume\s+", "volume"),
    (r"box\s+", "box"),
    (r"folder\s+", "folder"),
    (r"rg\s+|record\s+group\s+", "record_group"),
    (r"series\s+", "series"),
]
AGENT_ROLES = {"obtained": "obtained-by", "translated": "translated-by"}

FUNDER_RE = re.compile(
    r"^This document was made possible (?:with|by|through) (?:the )?support "
    r"(?:from|of) (?P<names>.+?)\.?$",
    re.I,
)
LANGUAGE_LINE_RE = re.compile(rf"^(?:(?:{'|'.join(LANGUAGES)})\s+(?:html|pdf|text)\s*)+$", re.I)
LANGUAGE_PAIR_RE = re.compile(rf"({'|'.join(LANGUAGES)})\s+(html|pdf|text)", re.I)
VIEWER_RE = re.compile(
    r"web browser is not configured to display pdf|"
    r"^click here to (?:view|download) the pdf|^pdfs cannot be printed",
    re.I,
)
NUMBER_RE = re.compile(
    rf"^(?P<kind>Outgoing|Incoming)\s+{NUMBER_SIGN}\s*(?P<value>[\w./-]+)$", re.I
)
CITATION_RE = re.compile(r'^["“](?P<title>.+?)[,.]?["”],?\s+(?P<rest>.+)$')
AGENT_RE = re.compile(
    r"\b(obtained|translated|contributed|donated|edited|transcribed)\s+by\s+", re.I
)
RIGHTS_RE = re.compile(r"\b(copyright|rights|reuse|permission|licen[cs]e|public domain)\b", re.I)
ORGANIZATION_RE = re.compile(
    r"\b(Foundation|Fund|Trust|Endowment|Corporation|Council|"
    r"Institute|Ministry|Government|Holdings|Society|Association)\b"
)
RECORD_ID_RE = re.compile(r"^(?=.*\d)[A-Za-z0-9][\w.\-/:]*$")
MONTH_RE = r"(?P<month>[A-Za-z]+)\.?"
DATE_PATTERNS = [
    re.compile(p)
    for p in (
        rf"^{MONTH_RE}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})$",
        rf"^(?P<day>\d{{1,2}})\s+{MONTH_RE},?\s+(?P<year>\d{{4}})$",
        rf"^{MONTH_RE},?\s+(?P<year>\d{{4}})$",
        r"^(?P<year>\d{4})$",
        r"^(?P<year>\d{4})-(?P<num>\d{2})-(?P<day>\d{2})$",
    )
]
IDENTIFIER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
ENGLISH_WORDS = {"the", "and", "of", "to", "in", "that", "is", "was", "with", "for", "on"}


@dataclass
class Citation:
    title: str
    as_written: str
    publisher: str = ""
    reference: str = ""


@dataclass
class Page:
    """What the line scan found, before the fields are decided."""

    free: list[str] = field(default_factory=list)
    summary_candidate: int | None = None  # index in `free` of the line before the heading
    citation: Citation | None = None
    citation_summary: list[str] = field(default_factory=list)
    funders: list[str] = field(default_factory=list)
    classification: ClassificationRecord | None = None
    identifiers: list[IdentifierRecord] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)  # (code, format)
    has_pdf: bool = False
    source: str = ""  # first paragraph of Document Information
    rights: list[str] = field(default_factory=list)
    info: dict[str, object] = field(default_factory=dict)  # labelled values, document type


def parse_page_file(path: Path) -> DocumentRecord:
    """Read a capture as UTF-8 and parse it; a file that is not UTF-8 is a ParseError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(str(path), "text", f"not UTF-8: {exc}") from exc
    return parse_page(text, str(path))


def parse_page(text: str, file: str) -> DocumentRecord:
    """One capture's text; `file` names it in errors and in the record's source."""
    lines = text.lstrip("\ufeff").splitlines()
    if not any(line.strip() for line in lines):
        raise ParseError(file, "text", "the file is empty")
    known = [n for line in lines if (m := FUNDER_RE.match(clean(line))) for n in funder_names(m)]
    return build_record(scan(lines, known), file)


def clean(line: str) -> str:
    return line.replace("\u00a0", " ").strip()


def scan(lines: list[str], known_funders: list[str]) -> Page:
    page, i, last_free = Page(), 0, False
    while i < len(lines):
        text = clean(lines[i])
        if not text:
            i += 1
            continue
        if text.startswith("•"):
            i, last_free = read_bullet(lines, i, page), False
        elif text.casefold() == INFO_HEADING:
            if last_free:  # the summary stands just before the heading
                page.summary_candidate = len(page.free) - 1
            i, last_free = read_info(lines, i + 1, page, known_funders), False
        else:
            last_free = not read_block_line(text, page)
            if last_free:
                page.free.append(text)
            i += 1
    return page


def block_kind(text: str) -> str | None:
    """Which one-line block this line is, if any."""
    lowered = text.casefold()
    if lowered in NOISE or lowered == "get citation":
        return "noise"
    checks = [
        ("funder", FUNDER_RE.match),
        ("language", LANGUAGE_LINE_RE.match),
        ("viewer", VIEWER_RE.search),
        ("number", NUMBER_RE.match),
        ("citation", parse_citation),
        ("classification", parse_classification),
    ]
    return next((kind for kind, check in checks if check(text)), None)


def read_block_line(text: str, page: Page) -> bool:
    """Record a one-line block; False when the line is free text."""
    kind = block_kind(text)
    if kind == "funder":
        page.funders += [n for n in funder_names(FUNDER_RE.match(text)) if n not in page.funders]
    elif kind == "language":
        page.languages += [
            (LANGUAGES[lang.casefold()], FORMATS[fmt.casefold()])
            for lang, fmt in LANGUAGE_PAIR_RE.findall(text)
        ]
    elif kind == "viewer":
        page.has_pdf = True
    elif kind == "number":
        m = NUMBER_RE.match(text)
        page.identifiers.append(IdentifierRecord(f"{m['kind'].capitalize()} number", m["value"]))
    elif kind == "citation":
        page.citation = page.citation or parse_citation(text)
    elif kind == "classification":
        if page.classification is not None:  # a second marking is part of the text
            return False
        page.classification = parse_classification(text)
    return kind is not None


def read_bullet(lines: list[str], i: int, page: Page) -> int:
    """Read a bullet and its indented content; returns the index after it."""
    title = clean(lines[i]).lstrip("•").strip()
    content, j = [], i + 1
    while j < len(lines) and (
        not lines[j].strip() or (lines[j][:1].isspace() and not clean(lines[j]).startswith("•"))
    ):
        if lines[j].strip():
            content.append(clean(lines[j]))
        j += 1
    if title.casefold() == "citation":
        for text in content:
            citation = parse_citation(text)
            if citation and page.citation is None:
                page.citation = citation
            elif text.casefold() != "get citation" and page.citation is None:
                page.citation_summary.append(text)
    elif title.casefold() not in UI_BULLETS:  # a list in the document text itself
        page.free += [f"• {title}", *content]
    return j


def read_info(lines: list[str], i: int, page: Page, known_funders: list[str]) -> int:
    """Read the Document Information block; returns the index of the first line after it."""
    pending, seen_label, first_label = "", False, first_label_index(lines, i)
    for j in range(i, len(lines)):
        text = clean(lines[j])
        if not text:
            continue
        if pending and take_value(pending, text, page):
            pending = ""
            continue
        pending = ""
        rights = bool(RIGHTS_RE.search(text)) and not AGENT_RE.search(text)
        if text.casefold() in LABELS:
            pending, seen_label = LABELS[text.casefold()], True
        elif ends_info(text):
            return j  # another block: the information block was moved before it
        elif not seen_label and not page.source and not page.rights and not rights:
            page.source = text
        elif rights or j < first_label:  # what stands between source and fields is rights
            page.rights.append(text)
        elif is_funder_name(text, known_funders):  # the page's closing list of funders
            page.funders += [] if text in page.funders else [text]
        elif "document_type" not in page.info and looks_like_type(text):
            page.info["document_type"] = text
        else:
            return j
    return len(lines)


def ends_info(text: str) -> bool:
    return text.startswith("•") or text.casefold() == INFO_HEADING or bool(block_kind(text))


def first_label_index(lines: list[str], i: int) -> int:
    """Where this block's labelled fields start; -1 when another block comes first."""
    for k in range(i, len(lines)):
        text = clean(lines[k])
        if text.casefold() in LABELS:
            return k
        if text and ends_info(text):
            break
    return -1


def take_value(label: str, text: str, page: Page) -> bool:
    """Store the value of a labelled field when the line fits it; a blank field has none."""
    if label == "uploaded":
        parsed = parse_date(text)
        value = parsed.start if parsed and parsed.precision == "day" else None
    elif label == "record_id":
        value = text if RECORD_ID_RE.match(text) else None
    else:
        value = parse_classification(text)
    if value is not None:
        page.info[label] = value
    return value is not None


def is_funder_name(text: str, known: list[str]) -> bool:
    return text in known or bool(
        ORGANIZATION_RE.search(text) and len(text.split()) <= 12 and not text.endswith(".")
    )


def looks_like_type(text: str) -> bool:
    # "Memorandum of Conversation": short, capitalized, not a sentence or a date.
    return (
        len(text.split()) <= 8
        and text[0].isupper()
        and text[-1] not in ".!?:;"
        and parse_date(text) is None
    )


def funder_names(match: re.Match) -> list[str]:
    names = re.split(r",\s*(?:and\s+)?|\s+and\s+(?=the\s)", match["names"])
    return [re.sub(r"^the\s+", "", n.strip(), flags=re.I) for n in names if n.strip()]


def parse_date(text: str) -> DateRecord | None:
    """A date line: "April 5, 1963", "5 April 1963", "April 1963", "1963" or ISO."""
    text = text.strip()
    m = next((m for p in DATE_PATTERNS if (m := p.match(text))), None)
    if m is None:
        return None
    g = {k: v for k, v in m.groupdict().items() if v}
    year = int(g["year"])
    month = int(g["num"]) if "num" in g else MONTHS.get(g.get("month", "").casefold(), 0)
    if "month" in g and not month:  # "Outgoing 1963" is not a month
        return None
    try:
        if "day" in g:
            day = date(year, month, int(g["day"]))
            return DateRecord("day", text, day, day)
        if month:
            last = calendar.monthrange(year, month)[1]
            return DateRecord("month", text, date(year, month, 1), date(year, month, last))
        return DateRecord("year", text, date(year, 1, 1), date(year, 12, 31))
    except ValueError:  # "February 30, 1963" is not a date
        return None


def parse_classification(text: str) -> ClassificationRecord | None:
    """A marking line: one level plus known caveats, in any order; else None."""
    level, marking, caveats, pos = "", "", [], 0
    while True:
        pos = re.compile(r"[\s,;/.()–—-]*").match(text, pos).end()
        if pos >= len(text):
            break
        for pattern, value in [*(LEVELS if not level else []), *((p, "") for p in CAVEATS)]:
            m = re.compile(pattern + r"(?![A-Za-z])", re.I).match(text, pos)
            if m:
                if value:
                    level, marking = value, m.group()
                else:
                    caveats.append(m.group())
                pos = m.end()
                break
        else:
            return None
    return ClassificationRecord(level, marking, caveats) if level else None


def parse_citation(text: str) -> Citation | None:
    """`"Title," Date, Publisher, Reference.` -- a quoted line that goes on to a source."""
    m = CITATION_RE.match(text)
    if not m:
        return None
    parts = [p.strip() for p in m["rest"].rstrip(" .").split(",")]
    dated = next((n for n in (2, 1) if parse_date(", ".join(parts[:n]))), 0)
    if not dated and "Digital Archive" not in m["rest"]:
        return None  # a quotation in the document text, not a citation
    rest = parts[dated:]
    return Citation(m["title"].strip(), text, rest[0] if rest else "", ", ".join(rest[1:]))


def parse_reference(as_written: str) -> ArchivalReferenceRecord:
    ref = ArchivalReferenceRecord(as_written=as_written)
    repository, keyed = [], False
    for segment in (s.strip() for s in as_written.split(",")):
        for pattern, name in REFERENCE_KEYS:
            m = re.match(rf"(?:{pattern})(?P<value>\w[\w./-]*)$", segment, re.I)
            if m:
                setattr(ref, name, m["value"])
                keyed = True
                break
        else:
            if not keyed:  # unkeyed segments before the first key name the repository
                repository.append(segment)
    ref.repository = ", ".join(repository)
    return ref


def parse_source(paragraph: str) -> tuple[ArchivalReferenceRecord | None, list[AgentRecord]]:
    """ "AVP RF, f. 0104, ... l. 89. Obtained by X and translated by Y." """
    matches = list(AGENT_RE.finditer(paragraph))
    reference = paragraph[: matches[0].start() if matches else len(paragraph)].strip(" .")
    agents = []
    for k, m in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(paragraph)
        names = re.sub(r"[\s,.]*(?:\band)?[\s,.]*$", "", paragraph[m.end() : end])
        role = AGENT_ROLES.get(m[1].casefold())
        for name in re.split(r",\s*(?:and\s+)?|\s+and\s+", names) if role else []:
            if name.strip():
                agents.append(AgentRecord(name=name.strip(), role=role, kind="person"))
    return (parse_reference(reference) if reference else None), agents


def same_title(line: str, title: str) -> bool:
    return len({re.sub(r"[\W_]+", " ", s).strip().casefold() for s in (line, title)}) == 1


def body_html(paragraphs: list[str]) -> str:
    # Numbered ids let citations and annotations link to a paragraph.
    return "\n".join(
        f'<p id="p{n}">{html.escape(p, quote=False)}</p>' for n, p in enumerate(paragraphs, 1)
    )


def source_for(file: str) -> SourceRecord:
    stem = Path(file).stem
    id_in_source = stem.rpartition("_")[2] or stem
    if not IDENTIFIER_RE.match(id_in_source):
        raise ParseError(file, "identifier", f"cannot make an identifier from {stem!r}")
    return SourceRecord(importer=IMPORTER, file=file, id_in_source=id_in_source)


def build_record(page: Page, file: str) -> DocumentRecord:
    source = source_for(file)
    if not page.free or (when := parse_date(page.free[0])) is None:
        found = f"; found {page.free[0][:60]!r}" if page.free else ""
        raise ParseError(file, "date", f"no date line before the title{found}")
    title, rest = title_and_body_start(page, file)
    summary, body = summary_and_body(page, rest)
    check_whole(page, body, file)
    reference, agents = parse_source(page.source) if page.source else (None, [])
    if reference is None and page.citation and page.citation.reference:
        reference = parse_reference(page.citation.reference)
    translator = next((a.name for a in agents if a.role == "translated-by"), "")
    texts = (
        [TextRecord("translation", body_html(body), text_language(page, body), "html", translator)]
        if body
        else []
    )
    identifier = f"page-{source.id_in_source}"
    return DocumentRecord(
        identifier=identifier,
        source=source,
        title=title,
        date=when,
        summary=summary,
        document_type=str(page.info.get("document_type", "")),
        classification=page.classification
        or page.info.get("classification")
        or ClassificationRecord(level="not-recorded"),
        languages=[t.language for t in texts if t.language],
        rights_text="\n\n".join(page.rights),
        funders=page.funders,
        archival_references=[reference] if reference else [],
        agents=agents,
        texts=texts,
        files=[FileRecord(f"{identifier}.pdf", note=PDF_NOTE)] if page.has_pdf else [],
        identifiers=page.identifiers,
        source_record_id=str(page.info.get("record_id", "")),
        source_uploaded_on=page.info.get("uploaded"),
        citation_as_written=page.citation.as_written if page.citation else "",
    )


def check_whole(page: Page, body: list[str], file: str) -> None:
    """Besides its date and title, a capture holds the blocks that make a page: the
    document's text (or the PDF viewer standing for it) and where the document comes
    from (a citation, or the Document Information block). A capture cut short lacks
    the second (seed 000 cut at 300 bytes reads as a page whose text is "5 April 1"),
    wherever its blocks stood."""
    if not (page.citation or page.source or page.rights or page.info):
        raise ParseError(file, "source", "neither a citation nor a Document Information "
                         "block: not a whole page capture (cut short?)")  # fmt: skip
    if not body and not page.has_pdf:
        raise ParseError(file, "text", "no document text and no PDF: not a whole page capture")


def title_and_body_start(page: Page, file: str) -> tuple[str, int]:
    """The title and the index in `page.free` where the body starts."""
    after_date = page.free[1] if len(page.free) > 1 else ""
    if page.citation:
        return page.citation.title, 2 if same_title(after_date, page.citation.title) else 1
    if not after_date or parse_date(after_date):  # a dateline opens the body, not a title
        raise ParseError(file, "title", "no citation and no title line after the date")
    return after_date, 2


def summary_and_body(page: Page, start: int) -> tuple[str, list[str]]:
    candidate = page.summary_candidate
    if page.citation_summary:
        summary = "\n\n".join(page.citation_summary)
    elif candidate is not None and candidate >= start:
        summary = page.free[candidate]
    else:
        summary = ""
    return summary, [p for p in page.free[start:] if p != summary]


def text_language(page: Page, body: list[str]) -> str:
    """The language the page names for its text, else English when it plainly reads so."""
    named = next((code for code, fmt in page.languages if fmt != "pdf"), "")
    words = re.findall(r"[a-z']+", " ".join(body).casefold())
    english = len(words) >= 20 and sum(w in ENGLISH_WORDS for w in words) / len(words) >= 0.1
    return named or ("en" if english else "")
