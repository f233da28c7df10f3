"""Parse a FRUS TEI volume into a `VolumeRecord` whose `items` stream chapters and documents.

Two passes of `lxml.etree.iterparse`: the first stops where `text/body` starts and fills
the volume's header and its persons and abbreviations lists; the second (a generator,
run when `items` is consumed) yields a `CollectionRecord` per chapter and a
`DocumentRecord` per `div[@type="document"]`, clearing each finished document so memory
stays bounded. Anomalies go to `VolumeRecord.warnings`, once each; malformed XML is a
`ParseError` naming the file and line. Pure: no Django, no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from lxml import etree

from readingroom.ingest.parsers.frus_agents import body_agents, head_agents
from readingroom.ingest.parsers.frus_citation import citation_fields
from readingroom.ingest.parsers.frus_notes import (
    NUMBER_RE,
    YEAR_RE,
    _doc_type,
    parse_source_note,
)
from readingroom.ingest.parsers.frus_text import (
    FRUS_NS,
    TEI_NS,
    XML_ID,
    HtmlWriter,
    date_from_text,
    is_known,
    iso_date,
    local,
    min_max_date,
    norm,
    parse_time,
    text_of,
)
from readingroom.ingest.records import (
    CollectionRecord,
    DateRecord,
    DocumentRecord,
    EntityRecord,
    IdentifierRecord,
    ParseError,
    PlaceRecord,
    SourceRecord,
    TextRecord,
    VolumeRecord,
)

IMPORTER = "frus"
RIGHTS_URI = "https://creativecommons.org/publicdomain/mark/1.0/"
RIGHTS_TEXT = (
    "Public domain: a work of the U.S. Government (17 U.S.C. § 105), published by "
    "the Office of the Historian, U.S. Department of State."
)
T = f"{{{TEI_NS}}}"
DIV, HEAD, BODY, PB = f"{T}div", f"{T}head", f"{T}body", f"{T}pb"


def parse_volume(path: Path) -> VolumeRecord:
    """Read the header and front matter now; `items` streams the body when consumed."""
    path = Path(path)
    root = _read_front(path)
    title_stmt = root.find(f"{T}teiHeader/{T}fileDesc/{T}titleStmt")
    pub = root.find(f"{T}teiHeader/{T}fileDesc/{T}publicationStmt")
    titles = {
        (t.get("type") or "").replace("-", ""): norm(text_of(t))
        for t in root.iterfind(f"{T}teiHeader/{T}fileDesc/{T}titleStmt/{T}title")
    }
    idnos = {} if pub is None else {i.get("type"): norm(i.text) for i in pub.iter(f"{T}idno")}
    identifier = idnos.get("frus") or root.get(XML_ID) or path.stem
    editors = [] if title_stmt is None else list(title_stmt.iter(f"{T}editor"))
    year = (
        YEAR_RE.search(" ".join(d.text or "" for d in pub.iter(f"{T}date")))
        if pub is not None
        else None
    )
    title = titles.get("complete") or next((t for t in titles.values() if t), "")
    if not title:  # a collection every reader sees must say what it is
        message = "the TEI header gives the volume no title (titleStmt/title)"
        raise ParseError(file=str(path), field="title", message=message)
    volume = VolumeRecord(
        identifier=identifier,
        title=title,
        source=SourceRecord(IMPORTER, str(path), identifier),
        series=titles.get("series", ""),
        subseries=titles.get("subseries", ""),
        volume_number=titles.get("volumenumber", ""),
        editors=_names(e for e in editors if e.get("role") != "general"),
        general_editors=_names(e for e in editors if e.get("role") == "general"),
        published=year.group() if year else "",
        publisher=_first_text(pub, "publisher"),
        publication_place=_first_text(pub, "pubPlace"),
        isbn=idnos.get("isbn-13") or idnos.get("isbn-10") or "",
        entities=_entities(root),
    )
    volume.items = _Body(path, volume).items()
    return volume


def _names(elements: Iterable[etree._Element]) -> list[str]:
    return [name for e in elements if (name := norm(text_of(e)))]


def _first_text(parent: etree._Element | None, tag: str) -> str:
    found = None if parent is None else parent.find(f"{T}{tag}")
    return "" if found is None else norm(text_of(found))


def _syntax_error(path: Path, exc: etree.XMLSyntaxError) -> ParseError:
    line = exc.position[0] if exc.position else exc.lineno
    return ParseError(file=str(path), field="xml", message=f"line {line}: {exc.msg}")


def _iterparse(path: Path, events: tuple[str, ...]) -> etree.iterparse:
    # recover: libxml2 stops at a duplicate xml:id, which a volume may have (reported, not
    # fatal); every other error is read from the error log by `_check_errors` and raised.
    return etree.iterparse(str(path), events=events, recover=True)


def _check_errors(
    context: etree.iterparse, path: Path, done: int, warn: Callable[[str], None]
) -> int:
    """Raise the first real error logged since entry `done`; returns the new count."""
    log = list(context.error_log)
    for entry in log[done:]:
        if entry.type_name == "DTD_ID_REDEFINED":
            warn(f"{path.stem}: line {entry.line}: {entry.message}")
        elif entry.level_name in ("ERROR", "FATAL"):
            raise ParseError(
                file=str(path), field="xml", message=f"line {entry.line}: {entry.message.strip()}"
            )
    return len(log)


def _read_front(path: Path) -> etree._Element:
    try:
        if path.stat().st_size == 0:
            raise ParseError(file=str(path), field="file", message="the file is empty")
        context, root = _iterparse(path, ("start",)), None
        for _event, el in context:
            if root is None:
                root = el.getroottree().getroot()
                _check_root(path, root)  # before reading on: any XML is not a volume
            if el.tag == BODY:
                break
        _check_errors(context, path, 0, lambda message: None)
        if root is None:
            raise ParseError(file=str(path), field="xml", message="line 1: no root element")
        return root
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(path, exc) from exc
    except OSError as exc:
        raise ParseError(file=str(path), field="file", message=str(exc)) from exc


def _check_root(path: Path, root: etree._Element) -> None:
    """A FRUS volume is a TEI document: `<TEI>` in the TEI namespace."""
    name = etree.QName(root)
    if (name.namespace, name.localname) != (TEI_NS, "TEI"):
        where = f"in namespace {name.namespace}" if name.namespace else "in no namespace"
        raise ParseError(
            file=str(path),
            field="xml",
            message=f"not a TEI file: its root element is <{name.localname}> {where}; "
            f"a FRUS volume is <TEI> in {TEI_NS}",
        )


def _entities(root: etree._Element) -> list[EntityRecord]:
    out = []
    for section, tag, kind in (("persons", "persName", "person"), ("terms", "term", "term")):
        for div in root.iter(DIV):
            if div.get(XML_ID) != section:
                continue
            for el in div.iter(f"{T}{tag}"):
                if not el.get(XML_ID):
                    continue
                name = norm(text_of(el))
                item = next(el.iterancestors(f"{T}item"), None)
                line = norm(text_of(item)) if item is not None else name
                rest = line[line.find(name) + len(name) :] if name in line else ""
                out.append(EntityRecord(el.get(XML_ID), name, kind, rest.lstrip(" ,;:").strip()))
    return out


class _Body:
    """The second pass: state shared by the chapters and documents of one volume."""

    def __init__(self, path: Path, volume: VolumeRecord) -> None:
        self.path, self.volume, self.vid = path, volume, volume.identifier
        self.names = {e.key: e.name for e in volume.entities}
        self.seen_ids: dict[str, int] = {}
        self.warned: set[str] = set()

    def warn(self, message: str) -> None:
        if message not in self.warned:
            self.warned.add(message)
            self.volume.warnings.append(message)

    def items(self) -> Iterator[CollectionRecord | DocumentRecord]:
        chapters: list[dict] = []  # open chapters, outermost first
        positions: dict[str, int] = {}
        pages: list[str] = []
        in_body, doc_depth, count, logged = False, 0, 0, 0
        context = _iterparse(self.path, ("start", "end"))
        try:
            for event, el in context:
                kind = el.get("type") if el.tag == DIV else None
                if event == "start":
                    if el.tag == BODY:
                        in_body = True
                    elif in_body and el.tag == DIV and chapters and not chapters[-1]["done"]:
                        yield self._chapter(chapters[-1], "")
                    if in_body and kind == "chapter":
                        count += 1
                        parent = chapters[-1]["id"] if chapters else self.vid
                        positions[parent] = positions.get(parent, 0) + 1
                        ident = f"{self.vid}-{el.get(XML_ID) or f'ch{count}'}"
                        chapters.append(
                            {
                                "id": ident,
                                "parent": parent,
                                "done": False,
                                "position": positions[parent],
                                "title": "",
                            }
                        )
                    elif kind == "document":
                        doc_depth += 1
                    continue
                if not in_body:
                    if el.getparent() is not None and local(el.getparent()) in (
                        "front",
                        "back",
                        "teiHeader",
                    ):
                        _release(el)
                elif (
                    el.tag == HEAD
                    and chapters
                    and el.getparent().get("type") == "chapter"
                    and not chapters[-1]["done"]
                ):
                    yield self._chapter(chapters[-1], norm(text_of(el)))
                elif kind == "document":
                    logged = _check_errors(context, self.path, logged, self._duplicate)
                    doc_depth -= 1
                    parent = chapters[-1] if chapters else None
                    yield self._document(el, parent, pages)
                    pages = []
                    _release(el)
                elif kind == "chapter":
                    chapters.pop()
                    _release(el)
                elif el.tag == PB and not doc_depth and el.get("n"):
                    pages.append(el.get("n"))
                elif el.tag == BODY:
                    in_body = False
                    _release(el)
            _check_errors(context, self.path, logged, self._duplicate)
        except etree.XMLSyntaxError as exc:
            raise _syntax_error(self.path, exc) from exc
        if not self.seen_ids:  # a volume of nothing would be an empty public collection
            message = 'no document (<div type="document">) in the volume'
            raise ParseError(file=str(self.path), field="body", message=message)

    def _duplicate(self, message: str) -> None:
        """libxml2's own report of a duplicate xml:id; document ids are reported by
        `_document`, so only the others (footnotes, pages...) are warned here."""
        key = re.search(r"ID (\S+) already defined", message)
        if key and not re.fullmatch(r"d\d+[A-Za-z]?", key[1]):
            self.warn(f"{self.vid}: duplicate xml:id {key[1]!r}")

    def _chapter(self, chapter: dict, title: str) -> CollectionRecord:
        chapter["done"], chapter["title"] = True, title
        return CollectionRecord(
            chapter["id"], title, "chapter", chapter["parent"], chapter["position"]
        )

    def _document(
        self, el: etree._Element, chapter: dict | None, pages: list[str]
    ) -> DocumentRecord:
        xml_id = el.get(XML_ID) or f"d{el.get('n', '')}"
        seen = self.seen_ids.get(xml_id, 0) + 1
        self.seen_ids[xml_id] = seen
        key = xml_id if seen == 1 else f"{xml_id}-{seen}"
        if seen > 1:
            self.warn(f"{self.vid}: duplicate xml:id {xml_id!r}; later document read as {key}")
        for child in el.iter():
            if isinstance(child.tag, str) and not is_known(child):
                self.warn(f"{self.vid} {key}: skipped non-TEI element <{local(child)}>")
        head = el.find(HEAD)
        head_text = norm(text_of(head)) if head is not None else ""
        title = NUMBER_RE.sub("", head_text)
        record = DocumentRecord(
            identifier=f"{self.vid}-{key}",
            source=SourceRecord(IMPORTER, str(self.path), f"{self.vid}/{key}"),
            title=title,
            date=DateRecord("undated"),
            document_type=_doc_type(title, head),
            physical_form="Textual",
            languages=["en"],
            rights_uri=RIGHTS_URI,
            rights_text=RIGHTS_TEXT,
            identifiers=[IdentifierRecord("FRUS document number", el.get("n", ""))]
            if el.get("n")
            else [],
            collections=[chapter["id"] if chapter else self.vid],
        )
        if any(etree.QName(c).namespace in FRUS_NS for c in el if isinstance(c.tag, str)):
            heading = chapter["title"] if chapter else ""
            for warning in citation_fields(record, el, head_text, heading):
                self.warn(f"{self.vid} {key}: {warning}")
            return record
        editorial = (
            record.document_type.casefold() == "editorial note"
            or el.get("subtype") == "editorial-note"
        )
        head_agents(record, head, self.names)
        self._source_note(record, head)
        body_agents(record, el, self.names)
        record.date = self._date(el, key, editorial)
        dateline = el.find(f".//{T}dateline")
        place = dateline.find(f".//{T}placeName") if dateline is not None else None
        if place is not None and norm(text_of(place)):
            record.places.append(
                PlaceRecord(norm(text_of(place)), "written-at", norm(text_of(place)))
            )
        writer = HtmlWriter(xml_id, lambda name: None)
        record.texts = [TextRecord("original", writer.document(el, editorial, pages), "en")]
        return record

    def _source_note(self, record: DocumentRecord, head: etree._Element | None) -> None:
        """The head's source note: archival reference and original classification."""
        if head is None:
            return
        for note in head.iter(f"{T}note"):
            text = norm(text_of(note, skip=()))
            if note.get("type") == "source" or re.match(r"\[?Source:", text):
                reference, record.classification = parse_source_note(text)
                if reference:
                    record.archival_references.append(reference)
                break

    def _date(self, el: etree._Element, key: str, editorial: bool) -> DateRecord:
        low = next(
            (
                el.get(f"{{{ns}}}doc-dateTime-min")
                for ns in FRUS_NS
                if el.get(f"{{{ns}}}doc-dateTime-min")
            ),
            None,
        )
        high = next(
            (
                el.get(f"{{{ns}}}doc-dateTime-max")
                for ns in FRUS_NS
                if el.get(f"{{{ns}}}doc-dateTime-max")
            ),
            None,
        )
        dateline = el.find(f".//{T}dateline")
        dates = list(dateline.iter(f"{T}date")) if dateline is not None else []
        chosen = next((d for d in dates if d.get("when") or d.get("from")), None)
        if chosen is None and dates:
            chosen = dates[-1]
        as_written = norm(text_of(chosen)) if chosen is not None else ""
        if low and high:
            return min_max_date(low, high, as_written)
        if editorial or dateline is None:
            return DateRecord("undated", as_written)
        if chosen is None:
            as_written = norm(text_of(dateline))
            place = dateline.find(f".//{T}placeName")
            if place is not None:
                as_written = as_written.replace(norm(text_of(place)), "", 1).strip(" ,.")
        times = [t for t in dateline.iter(f"{T}time") if t.get("from") or t.get("when")]
        if chosen is not None and chosen.get("when"):
            record = iso_date(chosen.get("when"), as_written)
        elif chosen is not None and chosen.get("from") and chosen.get("to"):
            start, end = iso_date(chosen.get("from"), ""), iso_date(chosen.get("to"), "")
            return DateRecord("range", as_written, start.start, end.end)
        else:
            self.warn(f"{self.vid} {key}: date without @when ({as_written or 'empty'!r})")
            record = date_from_text(as_written)
        if times and record.precision == "day":
            first = times[0]
            record.precision = "time"
            record.time_start = parse_time(first.get("from") or first.get("when"))
            record.time_end = parse_time(first.get("to")) if first.get("to") else None
        return record


def _release(el: etree._Element) -> None:
    el.clear(keep_tail=True)
    parent = el.getparent()
    while parent is not None and el.getprevious() is not None:
        del parent[0]
