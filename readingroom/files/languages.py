"""Which Tesseract models read a scan: the languages its documents are catalogued in
(`data/ocr_languages.json`), English always among them.

A scan's page is read once for every document that holds it (pages belong to the scan's
content, `files/models.py`), so the models are those of all its holders' languages.
English joins every other language: the README of the un-ussr scans measured `rus+eng`
as good as `rus` alone on Russian text, and it reads the Latin-script UN symbols and
bilingual letterheads of those pages (`rus` alone makes them Cyrillic look-alikes). The
Latin look-alike words it emits in Cyrillic text are folded by the search index
(`search/analysis.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

ENGLISH = "eng"


@cache
def models() -> dict[str, str]:
    data = json.loads((Path(__file__).parent / "data" / "ocr_languages.json").read_text())
    return {code: model for code, model in data.items() if not code.startswith("_")}


def tesseract_languages(codes: Iterable[str]) -> str:
    """Tesseract's `-l` value for documents in these catalogue languages: their models
    (the first is Tesseract's main one: sorted, for the same value every time), English
    last; English alone when none has a model."""
    wanted = sorted({models()[code] for code in codes if code in models()} - {ENGLISH})
    return "+".join([*wanted, ENGLISH])


def languages_of_scans(shas: Iterable[str]) -> dict[str, str]:
    """Scan sha256 → Tesseract's `-l` value for the documents holding it, in one query."""
    from readingroom.catalogue import models as m

    shas = set(shas)
    codes: dict[str, set[str]] = {sha: set() for sha in shas}
    rows = m.File.objects.filter(sha256__in=shas).values_list("sha256", "document__languages")
    for sha, code in rows:
        if code:
            codes[sha].add(code)
    return {sha: tesseract_languages(found) for sha, found in codes.items()}
