"""Where a hit matched: which of the document's texts (original, translation,
machine-read) hold the query's words and, for scans, on which pages, so the page can
show the hit on its page image.

Computed after the search for the hits of one page of results only (twenty documents,
not the corpus), with the analyzer the index uses, so it is the same for both backends.
"""

from __future__ import annotations

from typing import Any

from readingroom.catalogue import models as m
from readingroom.search.analysis import TermMatcher, highlight_terms
from readingroom.search.fields import (
    STEMMED_LANGUAGES,
    machine_read_in,
    plain_text,
    public_page_texts,
)


def where_matched(documents: list[m.Document], query: str) -> dict[int, dict[str, Any]]:
    terms = highlight_terms(query)
    out: dict[int, dict[str, Any]] = {d.pk: {"texts": [], "pages": []} for d in documents}
    if not terms or not documents:
        return out
    english = TermMatcher(terms)
    by_language = {code: TermMatcher(terms, stemmer) for code, stemmer in STEMMED_LANGUAGES.items()}
    texts = m.Text.objects.filter(document__in=documents).select_related("language")
    for t in texts.only("document_id", "kind", "html", "language__code", "language__name"):
        code = t.language.code if t.language else ""
        plain = plain_text(t.html)
        if english.matches(plain) or (code in by_language and by_language[code].matches(plain)):
            out[t.document_id]["texts"].append(
                {"kind": t.kind, "label": t.get_kind_display(),
                 "language": t.language.name if t.language else None}
            )  # fmt: skip
    files = m.File.objects.filter(document__in=documents).exclude(sha256="")
    holders: dict[str, list[int]] = {}
    for document_id, sha256 in files.values_list("document_id", "sha256"):
        holders.setdefault(sha256, []).append(document_id)
    languages: dict[int, list[str]] = {}
    for document_id, code in m.Document.languages.through.objects.filter(
        document__in=documents
    ).values_list("document_id", "language_id"):
        languages.setdefault(document_id, []).append(code)

    def page_matches(text: str, codes: list[str]) -> bool:
        # As the index reads it: in English, and in each language it was read in.
        return english.matches(text) or any(
            by_language[code].matches(machine_read_in(text, code, codes))
            for code in codes if code in by_language
        )  # fmt: skip

    for sha256, numbers in public_page_texts(holders).items():
        for document_id in holders[sha256]:
            codes = languages.get(document_id, [])
            out[document_id]["pages"] += [n for n, text in numbers if page_matches(text, codes)]
    for found in out.values():
        if found["pages"]:
            found["texts"].append({"kind": "machine-read",
                                   "label": "Machine-read (OCR, uncorrected)", "language": None})
    return out
