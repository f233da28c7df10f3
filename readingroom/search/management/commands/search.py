from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from readingroom.search.backends.base import FACETS
from readingroom.search.service import search


class Command(BaseCommand):
    help = "Search the published documents: readingroom search QUERY [--json]."

    def add_arguments(self, parser) -> None:
        parser.add_argument("query", nargs="+", help='words, "phrases", AND/OR/NOT, field:value')
        parser.add_argument("--json", action="store_true", help="print JSON on stdout")
        parser.add_argument("--limit", type=int, default=20)
        for name, facet in FACETS.items():
            parser.add_argument(f"--{name}", action="append", default=[],
                                help=f"filter: {facet.label} (repeat: any of the values)")

    def handle(self, *args, query: list[str], limit: int, **options) -> None:
        filters = {name: options[name] for name in FACETS if options.get(name)}
        data = search(" ".join(query), filters, size=limit)
        if options["json"]:
            self.stdout.write(json.dumps({
                "query": data["query"], "total": data["total"],
                "hits": [{"identifier": h["document"].identifier, "title": h["document"].title,
                          "score": h["score"]} for h in data["hits"]],
                "facets": _named(data["facets"]),
            }, ensure_ascii=False, indent=2))  # fmt: skip
            return
        self.stderr.write(f"{data['total']} documents")
        for h in data["hits"]:
            self.stdout.write(f"{h['document'].identifier}\t{h['document'].title}")


def _named(facets: dict) -> dict[str, dict[str, dict]]:
    """facet → value → its label and count (an entity's id is named)."""
    from readingroom.search.labels import labels

    named = labels({name: [v for v, _ in f["values"]] for name, f in facets.items()})
    return {name: {v: {"label": named[name][v], "count": c} for v, c in f["values"]}
            for name, f in facets.items()}  # fmt: skip
