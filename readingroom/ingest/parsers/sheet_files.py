"""The files a sheet's row names: found in the folder handed over with the sheet, and
read for what they are by their content: scans (PDF, PNG, JPEG, TIFF: `files/scans.py`,
stored and read page by page) or texts (HTML or plain text: a transcript, a translation,
another language version, kept as the document's texts). Pure: no Django.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from readingroom.files.scans import ScanError, inspect_scan, media_type_of
from readingroom.files.storage import sha256_of
from readingroom.ingest.parsers.sheet_values import CellError
from readingroom.ingest.walk import is_hidden

TEXT_SUFFIXES = {".html": "html", ".htm": "html", ".xhtml": "html", ".txt": "plain"}


@dataclass
class ScanFile:
    path: Path
    media_type: str
    pages: int
    sha256: str


@dataclass
class TextFile:
    path: Path
    format: str  # html | plain
    html: str  # the body as HTML (a plain text's paragraphs as <p>)
    title: str = ""  # an HTML file's <h1> (or <title>)
    language: str = ""  # as its <html lang> says
    direction: str = ""  # as its <html dir> says


class FileFinder:
    """Files by the name a sheet gives them: DIR/NAME, or else the one file of that
    name anywhere under DIR (an archivist's folder may keep scans in a subfolder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._by_name: dict[str, list[Path]] | None = None

    def find(self, name: str) -> Path:
        direct = self.folder / name
        if direct.is_file():
            return direct
        if self._by_name is None:
            self._by_name = {}
            for path in sorted(self.folder.rglob("*")):
                if path.is_file() and not is_hidden(path):
                    self._by_name.setdefault(path.name, []).append(path)
        found = self._by_name.get(Path(name).name, [])
        if len(found) == 1:
            return found[0]
        if found:
            places = ", ".join(str(p.relative_to(self.folder)) for p in found)
            raise CellError(f"several files of that name under {self.folder} ({places}): "
                            "name it with its folder")  # fmt: skip
        raise CellError(f"no such file in {self.folder}")


def read_file(path: Path) -> ScanFile | TextFile:
    """The file as a scan (checked by its content, every page decodable) or a text;
    CellError says what is wrong with it."""
    try:
        media_type = media_type_of(path)
    except OSError as exc:
        raise CellError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if media_type is not None:
        try:
            media_type, pages = inspect_scan(path)
        except ScanError as exc:
            raise CellError(str(exc)) from exc
        return ScanFile(path, media_type, len(pages), sha256_of(path))
    kind = TEXT_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise CellError(f"{path.name}: neither a scan (PDF, PNG, JPEG, TIFF, by its content) "
                        "nor a text (.html, .htm, .txt)")  # fmt: skip
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CellError(f"{path.name}: a text must be UTF-8 ({exc})") from exc
    return read_html(path, content) if kind == "html" else read_plain(path, content)


def read_plain(path: Path, content: str) -> TextFile:
    """Paragraphs (blank lines between them) as <p>, line breaks kept."""
    paragraphs = [p.strip() for p in content.replace("\r\n", "\n").split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return TextFile(path, "plain", body)


def read_html(path: Path, content: str) -> TextFile:
    """The body without its <h1> (the text's title), with the language and direction
    the document element declares."""
    try:
        root = lxml_html.document_fromstring(content)
    except (etree.ParserError, ValueError) as exc:
        raise CellError(f"{path.name}: not readable as HTML ({exc})") from exc
    body = root.find("body")
    if body is None:
        body = root
    heading = body.find(".//h1")
    title = ""
    if heading is not None:
        title = " ".join(heading.text_content().split())
        heading.drop_tree()
    elif (head_title := root.find(".//title")) is not None:
        title = " ".join(head_title.text_content().split())
    for element in body.iter("script", "style"):
        element.drop_tree()
    inner = (body.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in body
    )
    return TextFile(path, "html", inner.strip(), title, root.get("lang", ""),
                    root.get("dir", "").lower())  # fmt: skip
