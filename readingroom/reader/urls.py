import re

from django.urls import path, re_path, register_converter

from readingroom.interop.formats.registry import ROUTED
from readingroom.reader import browse_views, cite_views, views
from readingroom.reader.kinds import PAGED_SLUGS, SLUGS
from readingroom.search.backends.base import FACETS

app_name = "reader"

IDENTIFIER = r"(?P<identifier>[A-Za-z0-9][A-Za-z0-9._-]{0,119})"
# A row id: digits that fit a 64-bit integer (a longer one would overflow the database
# driver: a 500, not the 404 it is).
ID = r"[0-9]{1,18}"
FACET = rf"(?P<name>{'|'.join(FACETS)})"


class RowId:
    regex = ID

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RowId, "id")

urlpatterns = [
    path("", browse_views.home_page, name="home"),
    path("home.json", browse_views.home_json, name="home-json"),
    path("documents/", views.document_list_page, name="documents"),
    path("documents.json", views.document_list_json, name="documents-json"),
    # Before the `.json` route: identifiers may hold dots, so `a.b.csl.json` must reach
    # the CSL-JSON of `a.b`, not the JSON of `a.b.csl`.
    *[
        re_path(
            rf"^documents/{IDENTIFIER}{re.escape(f.suffix)}$",
            cite_views.export,
            kwargs={"format_name": f.name},
            name=f"document-{f.name}",
        )
        for f in ROUTED
    ],
    re_path(rf"^documents/{IDENTIFIER}\.json$", views.document_json, name="document-json"),
    re_path(rf"^documents/{IDENTIFIER}/cite/$", cite_views.cite, name="document-cite"),
    re_path(rf"^documents/{IDENTIFIER}/$", views.document_page, name="document"),
    re_path(
        rf"^documents/{IDENTIFIER}/files/(?P<file_id>{ID})/(?P<name>[^/]+)$",
        views.file_download,
        name="file",
    ),
    re_path(
        rf"^documents/{IDENTIFIER}/files/(?P<file_id>{ID})/pages/(?P<number>{ID})/image$",
        views.page_image,
        name="page-image",
        kwargs={"size": "reading"},
    ),
    re_path(
        rf"^documents/{IDENTIFIER}/files/(?P<file_id>{ID})/pages/(?P<number>{ID})/thumbnail$",
        views.page_image,
        name="page-thumbnail",
        kwargs={"size": "thumbnail"},
    ),
    re_path(
        rf"^documents/{IDENTIFIER}/files/(?P<file_id>{ID})/pages/(?P<number>{ID})\.json$",
        views.page_words,
        name="page-words",
    ),
    path("collections/", views.collection_list_page, name="collections"),
    path("collections.json", views.collection_list_json, name="collections-json"),
    re_path(rf"^collections/{IDENTIFIER}\.json$", views.collection_json, name="collection-json"),
    re_path(rf"^collections/{IDENTIFIER}/$", views.collection_page, name="collection"),
    path("search/", browse_views.search_page, name="search"),
    path("search.json", browse_views.search_json, name="search-json"),
    re_path(rf"^search/facets/{FACET}\.json$", browse_views.facet_values_json,
            name="search-facet-json"),
    re_path(rf"^search/facets/{FACET}/$", browse_views.facet_values_page, name="search-facet"),
    # People and organizations: /agents/<id>/; places, subjects, archives: /<kind>/<id>/.
    path("agents/<id:pk>/", browse_views.agent_page, name="agent"),
    path("agents/<id:pk>.json", browse_views.agent_json, name="agent-json"),
    re_path(rf"^(?P<kind>{SLUGS})\.json$", browse_views.entity_index_json, name="entities-json"),
    re_path(rf"^(?P<kind>{SLUGS})/$", browse_views.entity_index_page, name="entities"),
    re_path(rf"^(?P<kind>{PAGED_SLUGS})/(?P<pk>{ID})\.json$", browse_views.entity_json,
            name="entity-json"),
    re_path(rf"^(?P<kind>{PAGED_SLUGS})/(?P<pk>{ID})/$", browse_views.entity_page, name="entity"),
]
