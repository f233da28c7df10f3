"""Snippets from windows of a long text, not the whole of it.

tantivy's snippet generator analyzes the entire stored text (tokens, folding,
stemming) to pick its fragment: about 0.5 ms for a 17 KB FRUS document, so twenty long
hits cost ten times what the query itself does. The fragment shown is 150 characters,
so here the generator is given windows around the first place where each query word
matches, found by a plain text search (`analysis.QueryWords`), and the whole text only
when the windows have no fragment and the text is not ASCII (a match only the engine's
accent folding sees). An ASCII text where the search finds no word of the query has
none the engine would find either, so the generator is not run.
"""

from __future__ import annotations

import tantivy

from readingroom.search.analysis import highlight_terms, query_words

WINDOW = 300  # characters each side of the first match (a fragment is 150)
SHORT = 4 * WINDOW  # a text this long is given whole: a window would save little


class WindowedSnippets:
    """Snippets of one stored field for one query."""

    def __init__(self, generator: tantivy.SnippetGenerator, field: str, query_text: str) -> None:
        self.generator, self.field = generator, field
        # Only the words this field's generator highlights: a word searched in another
        # field (`title:telegram`) is no reason to look here. Each is tried on a text
        # of its own, a few microseconds.
        self.words = query_words(tuple(
            term for term in highlight_terms(query_text)
            if self._highlights(term.rstrip("*"))
        ))  # fmt: skip

    def _highlights(self, text: str) -> bool:
        probe = tantivy.Document(**{self.field: [text]})
        return bool(self.generator.snippet_from_doc(probe).highlighted())

    def html(self, doc: tantivy.Document) -> str:
        texts = doc[self.field]
        if self.words is None or not texts:
            return ""
        text = texts[0] if len(texts) == 1 else " ".join(texts)
        if len(text) <= SHORT:
            return self.generator.snippet_from_doc(doc).to_html()
        found = self.words.first_matches(text)
        if found:
            window = tantivy.Document(**{self.field: [_windows(text, found)]})
            html = self.generator.snippet_from_doc(window).to_html()
            if html or text.isascii():
                return html
        elif text.isascii():
            return ""  # no word of the query is in it (see the module's note)
        return self.generator.snippet_from_doc(doc).to_html()


def _windows(text: str, positions: list[int]) -> str:
    """The text around each position, overlapping windows merged, apart ones joined by
    an ellipsis: the generator picks the best fragment among them, one with several of
    the query's words when they stand together near a first occurrence."""
    spans: list[list[int]] = []
    for at in sorted(positions):
        start, end = max(0, at - WINDOW), at + WINDOW
        if spans and start <= spans[-1][1]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return " … ".join(text[start:end] for start, end in spans)
