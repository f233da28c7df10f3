"""The admin's "merge the selected" action for people, places and archives: a page to
choose the record kept, then `catalogue/merging.py`."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from readingroom.catalogue.merging import MergeError, linked_documents, merge

# An editor merges spellings of one name: a handful at a time, never a whole list.
MOST_AT_ONCE = 20


class MergeAdminMixin:
    """Adds the action to a ModelAdmin of a model `merging.OTHER_NAMES` knows."""

    actions = ["merge_selected"]

    @admin.action(description="Merge the selected into one (their names become its other names)",
                  permissions=["change", "delete"])  # fmt: skip
    def merge_selected(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        chosen = list(queryset.order_by("pk")[: MOST_AT_ONCE + 1])
        if not 2 <= len(chosen) <= MOST_AT_ONCE:
            self.message_user(request, f"Choose between 2 and {MOST_AT_ONCE} records to merge.",
                              messages.WARNING)  # fmt: skip
            return None
        wanted = request.POST.get("keep")
        keep = next((o for o in chosen if str(o.pk) == wanted), None)
        if request.POST.get("confirmed") and keep is not None:
            try:
                done = merge(keep, [o for o in chosen if o.pk != keep.pk], user=request.user)
            except MergeError as error:
                self.message_user(request, f"Not merged: {error}.", messages.ERROR)
                return None
            self.message_user(request, (
                f"Merged {', '.join(map(repr, done.names))} into {keep}: their names are its "
                f"other names now, and {done.documents} document(s) link to it."),
                messages.SUCCESS)  # fmt: skip
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[keep.pk]))
        rows = [(o, len(linked_documents(type(o), [o.pk]))) for o in chosen]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge {self.model._meta.verbose_name_plural}",
            "opts": self.model._meta,
            "rows": rows,
            "keep": keep or max(rows, key=lambda r: r[1])[0],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/catalogue/merge.html", context)
