"""Harvesting interfaces: OAI-PMH, sitemaps and robots.txt, Atom feeds, and the schema
of the archive's own XML record."""

from django.urls import path, re_path

from readingroom.interop import feeds, views
from readingroom.interop.oai.views import endpoint
from readingroom.interop.sitemaps import views as sitemaps

app_name = "interop"

IDENTIFIER = r"(?P<identifier>[A-Za-z0-9][A-Za-z0-9._-]{0,119})"

urlpatterns = [
    path("oai", endpoint, name="oai"),
    path("schemas/readingroom-document-1.0.xsd", views.document_schema, name="document-schema"),
    path("robots.txt", sitemaps.robots, name="robots"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap-index"),
    re_path(r"^sitemaps/(?P<name>(?:documents|collections)-[0-9]{1,6})\.xml$",
            sitemaps.sitemap, name="sitemap"),
    path("documents.atom", feeds.documents_feed, name="documents-feed"),
    re_path(rf"^collections/{IDENTIFIER}\.atom$", feeds.collection_feed, name="collection-feed"),
    path("search.atom", feeds.search_feed, name="search-feed"),
]
