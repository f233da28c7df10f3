"""One sanitizer for every text that reaches a page: nh3 (the Rust ammonia library)."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "div", "span", "section", "blockquote", "q", "pre",
    "h2", "h3", "h4", "h5", "h6", "em", "strong", "i", "b", "u", "s", "sub", "sup",
    "small", "abbr", "cite", "del", "ins", "mark", "ol", "ul", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "a", "figure",
    "figcaption", "aside",
}  # fmt: skip
# A footnote's mark in a stored text is `<sup id="fnref-NOTE"><a href="#NOTE">2</a></sup>`
# and the way back from the note `<a href="#fnref-NOTE">↩</a>`: marks, not words, so the
# text a search indexes and shows in snippets leaves them out (search/fields.py).
FOOTNOTE_REF_PREFIX = "fnref-"
# ids and classes survive so paragraphs, page breaks and footnotes can be linked to.
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title"},
    "a": {"href"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
