from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from readingroom.server.views import healthz

admin.site.site_header = "Reading Room — catalogue"
admin.site.site_title = "Reading Room catalogue"

# Every change list is paged at the list limit, and "Show all" lists no more than that
# (read at each request, so a changed setting applies at once).
_list_limit = property(lambda _self: settings.LIST_PAGE_SIZE)
for _model_admin in admin.site._registry.values():
    type(_model_admin).list_per_page = _list_limit
    type(_model_admin).list_max_show_all = _list_limit

# Errors answer in the form asked for (JSON for a .json URL) with a message to act on.
handler400 = "readingroom.web.errors.bad_request"
handler404 = "readingroom.web.errors.not_found"
handler500 = "readingroom.web.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("readingroom.reader.urls")),
    path("", include("readingroom.interop.urls")),
]
