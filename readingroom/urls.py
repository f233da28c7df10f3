from django.contrib import admin
from django.urls import include, path

from readingroom.server.views import healthz

admin.site.site_header = "Reading Room — catalogue"
admin.site.site_title = "Reading Room catalogue"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("readingroom.reader.urls")),
]
