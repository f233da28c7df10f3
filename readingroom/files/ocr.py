"""Words with boxes on a page: from the PDF's own text layer, or from Tesseract OCR.

Boxes are in pixels of the page at 300 dpi (the scans' own resolution), origin top left,
as in hOCR, so search hits can be drawn on the page image at any size by scaling.
NARA's release banner is kept as words (it is on the image) but flagged boilerplate:
it is never indexed, shown as the page's text, or matched by a search.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from lxml import etree
from PIL import Image

from readingroom.files.images import (
    OCR_DPI,
    POINTS_PER_INCH,
    image_for_ocr,
    is_page_image,
    open_page,
)
from readingroom.files.pdf import TEXT_LAYER_MIN_CHARS

TESSERACT = "tesseract"
JSON_VERSION = 1


class OcrError(RuntimeError):
    """Tesseract could not read a page: not installed, failed, or too slow."""


@dataclass
class Word:
    text: str
    x0: int
    y0: int
    x1: int
    y1: int
    confidence: float | None  # Tesseract's word confidence, 0-100; None from a text layer
    line: int  # 0-based line number on the page, in reading order
    boilerplate: bool = False

    def to_row(self) -> list:
        conf = self.confidence
        if conf is not None:
            conf = int(conf) if float(conf).is_integer() else round(conf, 1)
        row = [self.text, self.x0, self.y0, self.x1, self.y1, conf, self.line]
        return [*row, 1] if self.boilerplate else row

    @classmethod
    def from_row(cls, row: list) -> Word:
        text, x0, y0, x1, y1, conf, line, *rest = row
        conf = None if conf is None else float(conf)
        return cls(text, x0, y0, x1, y1, conf, line, bool(rest and rest[0]))


@dataclass
class PageText:
    source: str  # "ocr" | "text-layer"
    width: int  # pixel space of the boxes
    height: int
    words: list[Word] = field(default_factory=list)
    engine: str = ""  # e.g. "tesseract 5.3.0 (eng)"
    hocr: str = ""  # Tesseract's output as it came; not part of to_json (stored as a file)

    def text(self) -> str:
        """The page's text, one line a line, without boilerplate: what is indexed and shown."""
        lines: dict[int, list[str]] = {}
        for word in self.words:
            if not word.boilerplate:
                lines.setdefault(word.line, []).append(word.text)
        return "\n".join(" ".join(lines[n]) for n in sorted(lines))

    def mean_confidence(self) -> float | None:
        """Tesseract's mean word confidence (0-100) over the page's own words, the
        banner left out; None for a text layer (no engine guessed) or an empty page."""
        found = [w.confidence for w in self.words
                 if w.confidence is not None and not w.boilerplate]  # fmt: skip
        return round(sum(found) / len(found), 1) if found else None

    def to_json(self) -> dict:
        """Compact: one list per word, e.g. ["SECRET", 980, 2801, 1212, 2846, 93, 41]
        (a trailing 1 marks boilerplate), so a page is a few kB in a JSON column."""
        return {
            "v": JSON_VERSION,
            "source": self.source,
            "width": self.width,
            "height": self.height,
            "engine": self.engine,
            "words": [w.to_row() for w in self.words],
        }

    @classmethod
    def from_json(cls, data: dict) -> PageText:
        return cls(
            source=data["source"],
            width=data["width"],
            height=data["height"],
            words=[Word.from_row(row) for row in data["words"]],
            engine=data.get("engine", ""),
        )

    def find(self, terms: list[str]) -> list[Word]:
        """Words matching any term, ignoring case, accents and surrounding punctuation;
        `term*` matches by prefix. A word also matches by its parts, so "10180" finds
        "124-10180-10295" as a search index splitting on hyphens would. Boilerplate
        words never match."""
        exact, prefixes = _search_terms(terms)
        if not exact and not prefixes:
            return []
        return [
            w
            for w in self.words
            if not w.boilerplate
            and any(k in exact or k.startswith(prefixes) for k in _word_keys(w.text))
        ]


# ---- matching --------------------------------------------------------------------

_PUNCT_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
_PARTS = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Élysée" -> "elysee"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _word_keys(text: str) -> set[str]:
    folded = fold(text)
    keys = set(_PARTS.findall(folded))
    stripped = _PUNCT_EDGES.sub("", folded)
    if stripped:
        keys.add(stripped)
    return keys


def _search_terms(terms: list[str]) -> tuple[set[str], tuple[str, ...]]:
    exact: set[str] = set()
    prefixes: list[str] = []
    for term in terms:
        for part in fold(term).split():
            prefix = part.endswith("*")
            part = _PUNCT_EDGES.sub("", part.rstrip("*"))
            if part and prefix:
                prefixes.append(part)
            elif part:
                exact.add(part)
    return exact, tuple(prefixes)


# ---- the release banner ----------------------------------------------------------

BANNER = "2025 RELEASE UNDER THE PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT OF 1992"
_BANNER_WORDS = frozenset(re.findall(r"[A-Z0-9]+", BANNER))
# A line naming this many of the banner's 13 words is the banner, whatever OCR did to
# the rest. Measured on OCR of the 143 NARA pages: banner lines name 13 of them (38 of
# 42), or 6-8 when OCR cut the banner in two; no line of a document's own text names
# more than 4 ("... OF PRESIDENT KENNEDY").
BANNER_MIN_WORDS = 6
# A fragment (the banner split in two lines by OCR, or its faint remains) needs fewer
# where the banner is: at the top of the page, or beside a line that is the banner.
FRAGMENT_MIN_WORDS = 3
BESIDE_BANNER_MIN_WORDS = 2
TOP_BAND = 0.05  # of the page height: the banner ends within the top 3.6 % on all 42
FUZZY_RATIO = 0.75  # "PRESEN" ~ PRESIDENT, "2026" ~ 2025; measured against the lines above


def _banner_word(token: str) -> str | None:
    """The banner word `token` is (as OCR read it), or None. Tokens under 3 characters
    must be exact; longer ones may be misread or cut ("ASSASSINAT", "DENT", "199")."""
    return _banner_word_of(re.sub(r"[^A-Z0-9]", "", fold(token).upper()))


@lru_cache(maxsize=8192)  # words repeat across lines and pages: 10 -> 6 ms a page
def _banner_word_of(token: str) -> str | None:
    if token in _BANNER_WORDS:
        return token
    if len(token) < 3:
        return None
    for word in _BANNER_WORDS:
        if len(word) >= 4 and (
            word.startswith(token)
            or word.endswith(token)
            or difflib.SequenceMatcher(None, token, word).ratio() >= FUZZY_RATIO
        ):
            return word
    return None


def _alnum_count(text: str) -> int:
    return sum(len(p) for p in _PARTS.findall(text))


def _banner_words_in(tokens: list[str]) -> set[str]:
    return {w for w in map(_banner_word, tokens) if w}


def is_release_banner(line_text: str) -> bool:
    """True for a line holding NARA's release banner, even as OCR misreads it."""
    return len(_banner_words_in(line_text.split())) >= BANNER_MIN_WORDS


def _is_banner_fragment(tokens: list[str]) -> bool:
    """Most of the line's real tokens are banner words (noise of 1-2 characters that is
    no banner word does not count either way)."""
    found = [_banner_word(t) for t in tokens]
    counted = [w for t, w in zip(tokens, found, strict=True) if w or _alnum_count(t) > 2]
    hits = [w for w in counted if w]
    return len(set(hits)) >= FRAGMENT_MIN_WORDS and len(hits) >= 0.6 * len(counted)


def mark_release_banner(words: list[Word], page_height: int) -> None:
    """Flag the banner's words as boilerplate. Only the banner's own run of words in a
    line is flagged (with punctuation around it): the record number NARA prints left of
    it stays text, since it differs from scan to scan."""
    lines: dict[int, list[Word]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    banner_rows: list[tuple[int, int]] = []
    for line in lines.values():
        if is_release_banner(" ".join(w.text for w in line)):
            _flag_banner_run(line)
            banner_rows.append((min(w.y0 for w in line), max(w.y1 for w in line)))
    for line in lines.values():
        if any(w.boilerplate for w in line):
            continue
        tokens = [w.text for w in line]
        top, bottom = min(w.y0 for w in line), max(w.y1 for w in line)
        if any(top < b and bottom > t for t, b in banner_rows):
            # Beside the banner: what OCR split off it, from its first banner word on.
            if len(_banner_words_in(tokens)) >= BESIDE_BANNER_MIN_WORDS:
                _flag_banner_run(line, to_end=True)
        elif top < TOP_BAND * page_height and _is_banner_fragment(tokens):
            _flag_banner_run(line)


def _flag_banner_run(line: list[Word], *, to_end: bool = False) -> None:
    hits = [i for i, w in enumerate(line) if _banner_word(w.text)]
    first, last = hits[0], len(line) - 1 if to_end else hits[-1]
    while first > 0 and not _PARTS.search(line[first - 1].text):
        first -= 1  # "|" and "[" framing the banner
    while last + 1 < len(line) and _alnum_count(line[last + 1].text) <= 2:
        last += 1  # "|", "r", "Js": the banner's frame as OCR read it
    for word in line[first : last + 1]:
        word.boilerplate = True


# ---- OCR -------------------------------------------------------------------------


def recognize(image: Image.Image, *, language: str = "eng", timeout: float = 180) -> PageText:
    """Run Tesseract on `image` (one process, one thread: parallelism is one page per
    core, which Tesseract's own OpenMP threads only slow down) and parse its hOCR."""
    dpi = _dpi_of(image)
    command = [TESSERACT, "stdin", "stdout", "-l", language, "--dpi", str(dpi), "hocr"]
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            command, input=_encoded(image), capture_output=True, timeout=timeout, env=env
        )
    except FileNotFoundError as exc:
        raise OcrError(
            f"`{TESSERACT}` is not installed: install Debian's tesseract-ocr and "
            "tesseract-ocr-eng (`make` does)"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"tesseract took longer than {timeout:g} s on one page") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        raise OcrError(f"tesseract failed (exit {done.returncode}): {' / '.join(detail)}")
    page = parse_hocr(done.stdout.decode("utf-8"), language=language)
    mark_release_banner(page.words, page.height)
    return page


def _dpi_of(image: Image.Image) -> int:
    dpi = image.info.get("dpi")
    try:
        value = round(float(dpi[0])) if dpi else 0
    except (TypeError, ValueError):
        value = 0
    return value if 50 <= value <= 2400 else OCR_DPI


def _encoded(image: Image.Image) -> bytes:
    """The image as Tesseract's stdin gets it: PNG at zlib level 1. Measured on 20 NARA
    pages (CPU per page, ours + Tesseract's): PNG level 1 18 + 842 ms, G4 TIFF 15 +
    859 ms, uncompressed PBM 9 + 880 ms (Tesseract reads 1 MB of stdin slowly)."""
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB" if image.mode in ("RGBA", "P", "CMYK", "LA") else "L")
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1, dpi=(_dpi_of(image),) * 2)
    return out.getvalue()


_LINE_CLASSES = ("ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat")
_BBOX = re.compile(r"bbox\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)")
_WCONF = re.compile(r"x_wconf\s+(-?[\d.]+)")


def parse_hocr(hocr: str, *, language: str = "eng") -> PageText:
    """Words, boxes and confidences from Tesseract's hOCR (lines in document order)."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    root = etree.fromstring(hocr.encode("utf-8"), parser)
    if root is None:
        raise OcrError("tesseract returned no hOCR")
    page = root.find(".//*[@class='ocr_page']")
    bbox = _BBOX.search(page.get("title", "")) if page is not None else None
    if not bbox:
        raise OcrError("tesseract's hOCR has no page box")
    _, _, width, height = map(int, bbox.groups())
    system = root.xpath("string(//*[local-name()='meta'][@name='ocr-system']/@content)")
    words: list[Word] = []
    line_no = 0
    condition = " or ".join(f"@class='{c}'" for c in _LINE_CLASSES)
    for line in root.xpath(f"//*[{condition}]"):
        found = [_hocr_word(el, line_no) for el in line.xpath(".//*[@class='ocrx_word']")]
        found = [w for w in found if w]
        if found:
            words += found
            line_no += 1
    engine = f"{system or 'tesseract'} ({language})"
    return PageText("ocr", width, height, words, engine, hocr)


def _hocr_word(element: etree._Element, line: int) -> Word | None:
    text = "".join(element.itertext()).strip()
    title = element.get("title", "")
    box = _BBOX.search(title)
    if not text or not box:
        return None
    conf = _WCONF.search(title)
    x0, y0, x1, y1 = map(int, box.groups())
    return Word(text, x0, y0, x1, y1, float(conf.group(1)) if conf else None, line)


# ---- text layer ------------------------------------------------------------------

TEXT_LAYER_ENGINE = "PDF text layer (PDFium)"
_PdfWord = tuple[str, tuple[float, float, float, float], int]  # text, box in points, line


def text_layer(pdf_path: Path, page_number: int) -> PageText:
    """Words with boxes from the page's own text objects, in 300-dpi pixels, origin top
    left (as OCR's). PDFium orders the characters and marks line ends."""
    with open_page(pdf_path, page_number) as (_pdf, page):
        return _text_layer_of(page)


def _text_layer_of(page: pdfium.PdfPage) -> PageText:
    left, bottom, right, top = page.get_cropbox()
    scale = OCR_DPI / POINTS_PER_INCH
    width, height = (right - left) * scale, (top - bottom) * scale
    textpage = page.get_textpage()
    try:
        boxes = _words_of(textpage)
    finally:
        textpage.close()
    # PDF space (points, origin bottom left) to the pixels of the page as shown.
    turn = page.get_rotation() % 360
    words = []
    for text, (x0, y0, x1, y1), line in boxes:
        corners = [((x - left) * scale, (top - y) * scale) for x, y in ((x0, y1), (x1, y0))]
        (a, b), (c, d) = (_turned(x, y, width, height, turn) for x, y in corners)
        box = round(min(a, c)), round(min(b, d)), round(max(a, c)), round(max(b, d))
        words.append(Word(text, *box, None, line))
    if turn in (90, 270):
        width, height = height, width
    result = PageText("text-layer", round(width), round(height), words, TEXT_LAYER_ENGINE)
    mark_release_banner(result.words, result.height)
    return result


def _turned(x: float, y: float, width: float, height: float, turn: int) -> tuple[float, float]:
    """A point of the unrotated page (top-left origin) on the page turned clockwise by
    `turn` degrees, as viewers and `image_for_ocr` show it."""
    if turn == 90:
        return height - y, x
    if turn == 180:
        return width - x, height - y
    if turn == 270:
        return y, width - x
    return x, y


def _words_of(textpage: pdfium.PdfTextPage) -> list[_PdfWord]:
    """(text, (left, bottom, right, top) in points, line) for each run of characters
    between spaces; a line ends where PDFium marks one or where the next word does not
    overlap the last one vertically."""
    words: list[_PdfWord] = []
    chars: list[str] = []
    box = (0.0, 0.0, 0.0, 0.0)
    line = 0
    for index in range(textpage.count_chars()):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index) or 32)
        if char.isspace() or unicodedata.category(char) == "Cc":
            if chars:
                words.append(("".join(chars), box, line))
                chars = []
            if char in "\r\n" and words and words[-1][2] == line:
                line += 1
            continue
        cl, cb, cr, ct = textpage.get_charbox(index)
        if chars:
            box = (min(box[0], cl), min(box[1], cb), max(box[2], cr), max(box[3], ct))
        else:
            last = words[-1] if words else None
            if last and last[2] == line and (cb >= last[1][3] or ct <= last[1][1]):
                line += 1  # no vertical overlap with the word before: a new line
            box = (cl, cb, cr, ct)
        chars.append(char)
    if chars:
        words.append(("".join(chars), box, line))
    return words


def _has_text_layer(page: pdfium.PdfPage) -> bool:
    # The same test as pdf.PageInfo.has_text_layer, on this page only.
    textpage = page.get_textpage()
    try:
        return len(textpage.get_text_range().strip()) >= TEXT_LAYER_MIN_CHARS
    finally:
        textpage.close()


def read_page(pdf_path: Path, page_number: int, language: str = "eng") -> PageText:
    """The page's text layer when it has one, otherwise OCR of its scan in `language`
    (Tesseract's models joined by "+", `files/languages.py`). A page image has no text
    layer."""
    if not is_page_image(pdf_path):
        with open_page(pdf_path, page_number) as (_pdf, page):
            if _has_text_layer(page):
                return _text_layer_of(page)
    return recognize(image_for_ocr(pdf_path, page_number), language=language)
