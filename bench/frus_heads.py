"""Survey of FRUS document heads: every shape in the shared volumes, and what was lost.

    .venv/bin/python bench/frus_heads.py [FILE.xml ...]

A head is where a FRUS document says what it is. Two kinds, counted separately:
- a printed volume's head: "196. Telegram From the <gloss type="from">Embassy…</gloss>
  to the <gloss type="to">…</gloss><note type="source">Source: …</note>". Its shape is
  the sequence of elements outside notes (with their @type) and its notes (a source
  note, typed or starting "Source:", or another). Lost: a name in the head (persName,
  or a typed gloss) that gives the record no agent; a source note that gives it no
  archival reference.
- a microfiche supplement's entry, one paragraph: "433. Memorandum from Kitchen to
  Nitze, October 27. Transmits …. Secret Attachment. 3 pp. WNRC, …". Its shape is the
  order of the parts found (title, description, marking, pages, note, reference). Lost:
  a word of the paragraph in no part of the record (title, summary, classification,
  extent, archival reference), or a part parsed but not stored.
Prints a table per volume and the totals; exit status 1 when anything was lost.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO)]

from readingroom.conf import corpus  # noqa: E402
from readingroom.ingest.parsers.frus import parse_volume  # noqa: E402
from readingroom.ingest.parsers.frus_citation import split_citation  # noqa: E402
from readingroom.ingest.parsers.frus_notes import NUMBER_RE  # noqa: E402
from readingroom.ingest.parsers.frus_text import FRUS_NS, TEI_NS, XML_ID, norm, text_of  # noqa: E402
from readingroom.ingest.records import DocumentRecord  # noqa: E402

T = f"{{{TEI_NS}}}"
WORD_RE = re.compile(r"\w+")


def local(el: etree._Element) -> str:
    return etree.QName(el).localname


def head_shape(head: etree._Element) -> tuple[str, list[etree._Element], list[str]]:
    """The shape of a printed volume's head, its names outside notes, its note kinds."""
    parts, names, notes = [], [], []
    for el in head.iter():
        if el is head or not isinstance(el.tag, str):
            continue
        if any(local(a) == "note" for a in el.iterancestors() if head in a.iterancestors()):
            continue
        if local(el) == "note":
            text = norm(text_of(el, skip=()))
            source = el.get("type") == "source" or re.match(r"\[?Source:", text)
            kind = "source" if source else "other"
            notes.append(kind)
            parts.append(f"note[{kind}]")
        elif local(el) in ("persName", "gloss"):
            parts.append(f"{local(el)}[{el.get('type') or ''}]")
            if local(el) == "persName" or el.get("type"):
                names.append(el)
    return " ".join(parts) or "(text only)", names, notes


def words(text: str) -> Counter:
    return Counter(w.casefold() for w in WORD_RE.findall(text))


def survey(path: Path) -> tuple[str, Counter, list[str]]:
    """(kind, shape counts, what was lost) for one volume."""
    records = {
        r.source.id_in_source.split("/", 1)[1]: r
        for r in parse_volume(path).items
        if isinstance(r, DocumentRecord)
    }
    shapes, lost, kind = Counter(), [], "printed"
    for div in etree.parse(str(path)).getroot().iter(f"{T}div"):
        if div.get("type") != "document":
            continue
        record = records[div.get(XML_ID)]
        head = div.find(f"{T}head")
        if any(etree.QName(c).namespace in FRUS_NS for c in div if isinstance(c.tag, str)):
            kind = "supplement"
            body = NUMBER_RE.sub("", norm(text_of(head)))
            citation = split_citation(body)
            shapes[citation.shape] += 1
            missing = words(body) - words(" ".join(citation.parts()))
            stored = {
                "title": record.title == citation.title,
                "summary": citation.description.casefold() in record.summary.casefold(),
                "classification": not citation.marking or record.classification.marking,
                "extent": citation.pages is None or record.extent_pages == citation.pages,
                "reference": not citation.reference
                or [r.as_written for r in record.archival_references] == [citation.reference],
            }
            if missing:
                lost.append(f"{record.identifier}: words in no part: {sorted(missing)}")
            lost += [f"{record.identifier}: {k} not stored" for k, ok in stored.items() if not ok]
            continue
        shape, names, notes = head_shape(head)
        shapes[shape] += 1
        written = {a.name_as_written for a in record.agents}
        for el in names:
            if norm(text_of(el)) not in written:
                lost.append(f"{record.identifier}: {norm(text_of(el))!r} is no agent")
        if "source" in notes and not record.archival_references:
            lost.append(f"{record.identifier}: source note without a reference")
    return kind, shapes, lost


def main() -> int:
    paths = [Path(p) for p in sys.argv[1:]] or sorted((corpus() / "frus").glob("*.xml"))
    totals: dict[str, Counter] = {"printed": Counter(), "supplement": Counter()}
    all_lost: list[str] = []
    for path in paths:
        kind, shapes, lost = survey(path)
        totals[kind].update(shapes)
        all_lost += lost
        print(f"\n{path.name}: {sum(shapes.values())} heads ({kind}), {len(lost)} lost")
        for shape, n in shapes.most_common():
            print(f"  {n:5}  {shape}")
    for kind, shapes in totals.items():
        print(f"\nall volumes, {kind} heads: {sum(shapes.values())} in {len(shapes)} shapes")
    print(f"lost: {len(all_lost)}")
    for line in all_lost:
        print(f"  {line}")
    return 1 if all_lost else 0


if __name__ == "__main__":
    raise SystemExit(main())
