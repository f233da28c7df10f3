"""The material of bench/load.py's mix, read from a prepared catalogue: public document
identifiers, page image and thumbnail paths, and each query's most frequent facet
values. Prints JSON.   READINGROOM_HOME=... python bench/load_paths.py QUERY..."""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")


def main(queries: list[str]) -> int:
    django.setup()
    from readingroom.catalogue.gate import public_documents
    from readingroom.catalogue.models import File
    from readingroom.files.models import Page
    from readingroom.search.service import search

    documents = list(public_documents().order_by("pk").values_list("identifier", flat=True))
    rendered = Page.objects.exclude(image_sha256="")
    images = []
    scans = File.objects.filter(sha256__in=rendered.values("pdf_sha256"),
                                document__in=public_documents()).select_related("document")
    for f in scans.order_by("pk"):
        for n in rendered.filter(pdf_sha256=f.sha256).values_list("number", flat=True):
            base = f"/documents/{f.document.identifier}/files/{f.pk}/pages/{n}/"
            images += [base + "image", base + "thumbnail"]
    facets = {}
    for q in queries:
        found = search(q)["facets"]
        facets[q] = {name: found[name]["values"][0][0] for name in ("type", "year", "collection")
                     if found[name]["values"]}  # fmt: skip
    print(json.dumps({"documents": documents, "images": images, "facets": facets}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
