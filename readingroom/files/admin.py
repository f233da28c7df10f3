"""Pages in the back office: their state, their machine-read text, and the editor's
switch that hides a page's text from the public (released scans can expose personal
data): the text leaves the search index at once, the page image stays as released."""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from readingroom.files.models import MarkingSuggestion, Page

log = logging.getLogger(__name__)


def reindex_holders_now(shas: set[str]) -> None:
    """Record the change and apply it to the index right after commit: one document's
    entry is milliseconds of work, and hidden text must not wait for the worker."""
    from readingroom.catalogue import models as m
    from readingroom.catalogue.outbox import record_changes
    from readingroom.catalogue.publicity import publicity_changed
    from readingroom.search.indexer import sync

    holders = list(
        m.Document.objects.filter(files__sha256__in=shas).distinct().values_list("pk", "identifier")
    )
    record_changes(holders)
    publicity_changed()  # a hidden text leaves every kept page at once

    def apply() -> None:
        try:
            sync([pk for pk, _ in holders])
        except Exception:  # the index is busy (the worker writes): the outbox follows up
            log.warning("index busy; hidden page text leaves it with the worker's next run")

    transaction.on_commit(apply)


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["pdf_sha256_short", "number", "text_state", "text_source", "text_hidden",
                    "attempts", "read_at"]  # fmt: skip
    list_filter = ["text_state", "text_source", "text_hidden", "has_text_layer"]
    search_fields = ["pdf_sha256", "text"]
    readonly_fields = [f.name for f in Page._meta.fields
                       if f.name not in {"text_hidden", "hidden_reason"}]  # fmt: skip
    actions = ["hide_text", "show_text"]

    @admin.display(description="PDF (sha256)")
    def pdf_sha256_short(self, obj: Page) -> str:
        return obj.pdf_sha256[:16] + "…"

    def save_model(self, request: HttpRequest, obj: Page, form, change: bool) -> None:
        if "text_hidden" in form.changed_data:
            obj.hidden_by = request.user if obj.text_hidden else None
            obj.hidden_at = timezone.now() if obj.text_hidden else None
        super().save_model(request, obj, form, change)
        if "text_hidden" in form.changed_data:
            reindex_holders_now({obj.pdf_sha256})

    @admin.action(description="Hide machine-read text from the public")
    def hide_text(self, request: HttpRequest, queryset: QuerySet[Page]) -> None:
        with transaction.atomic():
            n = queryset.update(text_hidden=True, hidden_by=request.user, hidden_at=timezone.now())
            reindex_holders_now(set(queryset.values_list("pdf_sha256", flat=True)))
        self.message_user(request, f"Text of {n} page(s) hidden; removed from search.",
                          messages.SUCCESS)  # fmt: skip

    @admin.action(description="Show machine-read text to the public again")
    def show_text(self, request: HttpRequest, queryset: QuerySet[Page]) -> None:
        with transaction.atomic():
            n = queryset.update(text_hidden=False, hidden_by=None, hidden_at=None)
            reindex_holders_now(set(queryset.values_list("pdf_sha256", flat=True)))
        self.message_user(request, f"Text of {n} page(s) shown again.", messages.SUCCESS)


@admin.register(MarkingSuggestion)
class MarkingSuggestionAdmin(admin.ModelAdmin):
    list_display = ["marking", "level", "page", "pdf_sha256", "evidence"]
    list_filter = ["level"]
    search_fields = ["pdf_sha256", "evidence"]
    readonly_fields = [f.name for f in MarkingSuggestion._meta.fields]
