"""A Chicago-style note citation, in the shape archive readers expect:

"Title," Date, Publisher, Archival reference. URL

Full CSL/BibTeX/RIS output comes with the citations issue; it will replace this module
behind the same call.
"""

from __future__ import annotations

from typing import Any


def cite(document: dict[str, Any], *, publisher: str, url: str) -> str:
    parts = [f"\u201c{document['title'].rstrip('.')},\u201d", document["date"]["display"]]
    parts.append(publisher)
    refs = [r["as_written"].rstrip(".") for r in document["archival_references"]]
    text = ", ".join(p for p in [*parts[1:], *refs] if p)
    return f"{parts[0]} {text}. {url}"
