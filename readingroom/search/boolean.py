"""AND, OR, NOT and -word as a researcher means them, the same on both backends.

The engines disagree with each other and with what a researcher expects: tantivy
reads `Castro OR Guevara Khrushchev` as "Khrushchev" (a required word makes the
optional ones decoration) and finds nothing for `Castro AND NOT Khrushchev`;
PostgreSQL's websearch_to_tsquery reads `Castro OR Guevara -Khrushchev` as Castro OR
(Guevara AND NOT Khrushchev) and takes AND and NOT for words. So a query is first read
here, as search engines read it for everyone:

- words, "phrases", field:values and prefix* are terms; terms next to each other must
  all match (AND is implied, and may be written);
- OR joins the terms beside it into one alternative: `Castro OR Guevara Khrushchev` is
  (Castro OR Guevara) AND Khrushchev;
- -term and NOT term exclude documents with the term, whatever else the query says;
- parentheses around terms joined by OR are an alternative; other parentheses are
  read as if absent (nesting is beyond what researchers type, and never an error).

The result is a list of clauses, each rendered by a backend in its own syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# "-(" opening an excluded group, a field's quoted value, a phrase (-"excluded" too; an
# unclosed one runs to the end), a parenthesis, or anything else up to a space,
# parenthesis or quote. A lone "-" between words is punctuation, not an exclusion.
TOKEN_RE = re.compile(r'-\(|-?\w+:"[^"]*"?|-?"[^"]*"?|[()]|[^\s()"]+')


@dataclass
class Clause:
    terms: list[str] = field(default_factory=list)  # OR-ed
    excluded: bool = False

    def text(self, joiner: str = " OR ") -> str:
        return joiner.join(self.terms)


def parse(text: str) -> list[Clause]:
    clauses: list[Clause] = []
    join_next = exclude_next = False
    excluded_group = False  # inside -( ... ): its OR-ed terms are excluded together
    for token in TOKEN_RE.findall(text):
        if token in ("(", "-("):
            excluded_group = exclude_next = exclude_next or token == "-("
            continue
        if token == ")":
            excluded_group = False
            continue
        if token == "AND":
            continue  # implied
        if token == "OR":
            join_next = bool(clauses) and clauses[-1].excluded == excluded_group
            continue
        if token == "NOT":
            exclude_next = True
            continue
        if token == "-":
            continue
        if token.startswith("-"):
            token, exclude_next = token[1:], True
        if join_next:
            clauses[-1].terms.append(token)
        else:
            clauses.append(Clause([token], excluded=exclude_next or excluded_group))
        join_next = exclude_next = False
    return clauses


def positive_text(clauses: list[Clause]) -> str:
    """The terms a document is found by (for ranking and highlighting)."""
    return " ".join(term for c in clauses if not c.excluded for term in c.terms)


def to_tantivy(clauses: list[Clause]) -> str:
    """tantivy's own syntax with the grouping made explicit."""
    parts = []
    for c in clauses:
        group = c.terms[0] if len(c.terms) == 1 else f"({c.text()})"
        parts.append(f"-{group}" if c.excluded else group)
    return " ".join(parts)
