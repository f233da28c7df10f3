"""What the prose styles (Chicago, MLA, APA) share: text with italic runs, rendered as
plain text or as HTML, and the punctuation rules they agree on.

A citation is a list of runs (text, italic). Plain text drops the italics; HTML escapes
each run and wraps italic ones in <i>. Styles build runs, never markup.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape

Run = tuple[str, bool]
Runs = list[Run]


def plain(text: str) -> Run:
    return (text, False)


def italic(text: str) -> Run:
    return (text, True)


def as_text(runs: Runs) -> str:
    return "".join(text for text, _ in runs)


def as_html(runs: Runs) -> str:
    return "".join(f"<i>{escape(t)}</i>" if i else str(escape(t)) for t, i in runs if t)


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith(("?", "!", "."))


def quoted(title: str, mark: str) -> str:
    """A quoted title with the following comma or full stop inside the quotes, as
    American usage puts it (“Title,”); a title ending in ? or ! takes no other mark."""
    return f"\u201c{title}\u201d" if ends_sentence(title) else f"\u201c{title}{mark}\u201d"


def sentence(runs: Runs) -> Runs:
    """The runs closed by a full stop unless they already end with one."""
    return runs if runs and ends_sentence(runs[-1][0]) else [*runs, plain(".")]


def join(groups: Iterable[Runs], separator: str) -> Runs:
    out: Runs = []
    for group in groups:
        if not group:
            continue
        if out:
            out.append(plain(separator))
        out.extend(group)
    return out


def and_list(names: list[str], conjunction: str = "and", serial: bool = True) -> str:
    """ "A", "A and B", "A, B, and C" """
    if len(names) <= 2:
        return f" {conjunction} ".join(names)
    comma = "," if serial else ""
    return f"{', '.join(names[:-1])}{comma} {conjunction} {names[-1]}"
