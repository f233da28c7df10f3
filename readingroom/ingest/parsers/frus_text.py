"""TEI markup of a FRUS document -> clean structured HTML; shared text and date helpers.

Pure: works on lxml elements handed over by `frus.py`, no I/O, no Django. Every text node
is escaped; whitespace from the XML's pretty-printing is collapsed to single spaces.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, datetime, time
from html import escape

from lxml import etree

from readingroom.catalogue.sanitize import FOOTNOTE_REF_PREFIX as REF
from readingroom.ingest.parsers.pages import parse_date
from readingroom.ingest.records import DateRecord

TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = ("http://history.state.gov/ns/1.0", "http://history.state.gov/frus/ns/1.0")
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"

# TEI elements the volumes use (and a few close relatives); anything else is noise.
KNOWN_TEI = set(
    "TEI teiHeader text front body back div head p list item table row cell quote q closer "
    "signed dateline date time placeName persName orgName name gloss term ref hi lb pb note "
    "label seg title opener salute postscript figure graphic figDesc lg l milestone said "
    "foreign emph abbr expan sic corr unclear gap add del num address addrLine idno "
    "bibl byline docDate docImprint docTitle titlePart titlePage publisher pubPlace".split()
)
BLOCKS = {  # TEI name -> (HTML tag, class)
    "dateline": ("p", "dateline"),
    "closer": ("p", "signature"),
    "quote": ("blockquote", ""),
    "q": ("q", ""),
    "table": ("table", ""),
    "row": ("tr", ""),
    "item": ("li", ""),
    "opener": ("p", "opener"),
    "postscript": ("div", "postscript"),
    "lg": ("div", "lg"),
    "l": ("p", "l"),
    "figure": ("figure", ""),
    "div": ("div", ""),
    "label": ("p", "label"),
    "salute": ("span", "salute"),
    "head": ("h2", "head"),
}
HI = {
    "italic": "em",
    "strong": "strong",
    "bold": "strong",
    "underline": "u",
    "superscript": "sup",
    "subscript": "sub",
}
SPACE_RE = re.compile(r"\s+")


def local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def is_known(el: etree._Element) -> bool:
    qname = etree.QName(el)
    if qname.namespace in FRUS_NS:
        return True
    return qname.namespace in (TEI_NS, None) and qname.localname in KNOWN_TEI


def norm(text: str | None) -> str:
    return " ".join((text or "").split())


def text_of(el: etree._Element, skip: tuple[str, ...] = ("note",)) -> str:
    """The element's text without the subtrees of `skip` (their tails are kept)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and local(child) not in skip and is_known(child):
            parts.append(text_of(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def _text(value: str | None) -> str:
    return escape(SPACE_RE.sub(" ", value), quote=False) if value else ""


def _attr(value: str) -> str:
    return escape(value, quote=True)


class HtmlWriter:
    """Renders one document; `unknown(name)` is called for each element it skips."""

    def __init__(self, doc_id: str, unknown: Callable[[str], None]) -> None:
        self.doc_id, self.unknown = doc_id, unknown
        self.notes: list[tuple[str, str]] = []  # (xml:id, li content html)
        self.note_ids: set[str] = set()
        self.paragraphs = 0

    def document(self, div: etree._Element, editorial: bool, pages: list[str]) -> str:
        """The whole document: `pages` are page breaks met just before it."""
        body = "".join(self.pb(n) for n in pages) + self.inner(div)
        body = body.strip()
        if editorial:
            body = f'<div class="editorial-note">{body}</div>'
        if self.notes:
            items = "".join(
                f'<li id="{_attr(i)}">{content.strip()} <a href="#{REF}{_attr(i)}">↩</a></li>'
                for i, content in self.notes
            )
            body += f'\n<aside class="footnotes"><ol>{items}</ol></aside>'
        return body

    def inner(self, el: etree._Element) -> str:
        parts = [_text(el.text)]
        for child in el:
            if isinstance(child.tag, str):
                parts.append(self.render(child))
            parts.append(_text(child.tail))
        return "".join(parts)

    def render(self, el: etree._Element) -> str:
        name = local(el)
        if not is_known(el):
            self.unknown(name)
            return ""
        if etree.QName(el).namespace in FRUS_NS:
            return ""
        handler = getattr(self, f"el_{name}", None)
        if handler is not None:
            return handler(el)
        if name in BLOCKS:
            tag, cls = BLOCKS[name]
            return _wrap(tag, cls, self.inner(el))
        return _wrap("span", name.lower(), self.inner(el))

    @staticmethod
    def pb(n: str) -> str:
        return f'<span class="pb" id="pb-{_attr(n)}" data-page="{_attr(n)}"></span>'

    def el_pb(self, el: etree._Element) -> str:
        return self.pb(el.get("n", "")) if el.get("n") else ""

    def el_lb(self, el: etree._Element) -> str:
        return "<br>"

    def el_p(self, el: etree._Element) -> str:
        self.paragraphs += 1
        cls = f' class="{_attr(el.get("rend"))}"' if el.get("rend") else ""
        return f'<p id="p{self.paragraphs}"{cls}>{self.inner(el)}</p>'

    def el_hi(self, el: etree._Element) -> str:
        tag = HI.get(el.get("rend", ""), "")
        return f"<{tag}>{self.inner(el)}</{tag}>" if tag else _wrap("span", "hi", self.inner(el))

    def el_list(self, el: etree._Element) -> str:
        heads = "".join(_wrap("p", "list-head", self.inner(h)) for h in el if local(h) == "head")
        items = [
            self.render(c) + _text(c.tail)
            for c in el
            if isinstance(c.tag, str) and local(c) != "head"
        ]
        return f"{heads}{_wrap('ul', el.get('type', ''), ''.join(items))}"

    def el_cell(self, el: etree._Element) -> str:
        span = f' colspan="{_attr(el.get("cols"))}"' if el.get("cols", "").isdigit() else ""
        return f"<td{span}>{self.inner(el)}</td>"

    def el_signed(self, el: etree._Element) -> str:
        return _wrap("span", "signed", self.inner(el))

    def el_graphic(self, el: etree._Element) -> str:
        return ""

    def el_note(self, el: etree._Element) -> str:
        n = el.get("n", "")
        note_id = el.get(XML_ID) or f"{self.doc_id}fn{n or len(self.notes) + 1}"
        while note_id in self.note_ids:
            note_id += "-2"
        self.note_ids.add(note_id)
        slot = len(self.notes)
        self.notes.append((note_id, ""))
        self.notes[slot] = (note_id, self.inner(el))  # nested notes are listed after it
        label = _text(n or str(slot + 1))
        return f'<sup id="{REF}{_attr(note_id)}"><a href="#{_attr(note_id)}">{label}</a></sup>'


def _wrap(tag: str, cls: str, content: str) -> str:
    attr = f' class="{_attr(cls)}"' if cls else ""
    return f"<{tag}{attr}>{content}</{tag}>"


def iso_date(value: str, as_written: str) -> DateRecord:
    """@when: YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss(+offset)."""
    try:
        if "T" in value:
            moment = datetime.fromisoformat(value)
            offset = moment.utcoffset()
            return DateRecord(
                "time",
                as_written,
                moment.date(),
                moment.date(),
                moment.time().replace(tzinfo=None),
                None,
                int(offset.total_seconds() // 60) if offset is not None else None,
            )
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            day = date(*parts)
            return DateRecord("day", as_written, day, day)
        if len(parts) == 2:
            last = calendar.monthrange(*parts)[1]
            return DateRecord("month", as_written, date(*parts, 1), date(*parts, last))
        return DateRecord("year", as_written, date(parts[0], 1, 1), date(parts[0], 12, 31))
    except (ValueError, TypeError):
        return date_from_text(as_written)


def parse_time(value: str | None) -> time | None:
    try:
        return time.fromisoformat(value.split("T")[-1][:8]) if value else None
    except ValueError:
        return None


def min_max_date(low: str, high: str, as_written: str) -> DateRecord:
    """@frus:doc-dateTime-min/max: local date and time as written, with the offset."""
    a, b = datetime.fromisoformat(low), datetime.fromisoformat(high)
    offset = a.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else None
    whole_day = a.time() == time(0, 0) and b.time() >= time(23, 59)
    if a.date() != b.date():
        precision = "range"
    else:
        precision = "day" if whole_day else "time"
    record = DateRecord(precision, as_written, a.date(), b.date(), utc_offset_minutes=minutes)
    if precision == "time":
        record.time_start = a.time().replace(tzinfo=None)
        record.time_end = b.time().replace(tzinfo=None) if b != a else None
    return record


def date_from_text(text: str) -> DateRecord:
    m = re.search(r"[A-Z][a-z]+\.?\s+\d{1,2},\s*\d{4}|[A-Z][a-z]+\s+\d{4}", text)
    found = parse_date(m.group().replace(".", "")) if m else None
    if found:
        found.as_written = text
        return found
    return DateRecord("undated", text)
