"""Provenance in the admin: who asserts each field (a note beside it in the document's
form) and each part (a panel), and the conflict queue, where a source's value for
something an editor changed waits for an editor to accept or dismiss it.

Kept apart from `admin.py`, which uses `ProvenanceAdminMixin` for the document.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from readingroom.catalogue import conflicts
from readingroom.catalogue import models as m
from readingroom.catalogue.provenance import EDITOR_FIELDS, FIELDS, field_note, summary


class ProvenanceAdminMixin:
    """For DocumentAdmin: each field's provenance as its help text, the parts' in a
    read-only panel (`parts_provenance`)."""

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        if obj is None:
            return form
        fields = summary(obj)["fields"]
        for name, columns in {**FIELDS, **EDITOR_FIELDS}.items():
            # Beside the field's first column in the form (date: its start).
            shown = [c.removesuffix("_id") for c in columns]
            column = next((c for c in shown if c in form.base_fields), None)
            if column is None:
                continue
            field = form.base_fields[column]
            note = field_note(fields.get(name))
            field.help_text = f"{field.help_text} {note}".strip() if field.help_text else note
        return form

    @admin.display(description="who asserts each part")
    def parts_provenance(self, obj: m.Document | None) -> str:
        if obj is None or obj.pk is None:
            return "—"
        found = summary(obj)
        rows = []
        for kind, keys in found["parts"].items():
            for key, entry in keys.items():
                said = ", ".join(entry["sources"]) or "no source"
                edit = entry.get("editor")
                by = f"{edit['op']} by {edit['by']} at {edit['at']}" if edit else ""
                rows.append((kind, key, said, by))
        table = format_html(
            "<table><thead><tr><th>Part</th><th>Key</th><th>Sources (the first gives it)</th>"
            "<th>Editor</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )
        waiting = found["open_conflicts"]
        if waiting:
            url = reverse("admin:catalogue_conflict_changelist")
            return format_html(
                '{}<p><a href="{}?document__id__exact={}&amp;status=open">{} conflict(s) '
                "wait for a decision</a></p>",
                table,
                url,
                obj.pk,
                waiting,
            )
        return table


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on what waits (the open conflicts); "all" shows every one."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [*m.ConflictStatus.choices, ("all", "All")]

    def choices(self, changelist):
        current = self.value() or m.ConflictStatus.OPEN
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value() or m.ConflictStatus.OPEN
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(m.Conflict)
class ConflictAdmin(admin.ModelAdmin):
    """The review queue: paged, newest first, open ones by default (filter by status)."""

    list_display = ["document_link", "what_changed", "editor_value_shown", "source_value_shown",
                    "source_label", "status", "created_at"]  # fmt: skip
    list_filter = [StatusFilter, "what", "name"]
    search_fields = ["document__identifier", "document__title", "source_label"]
    list_per_page = 50
    list_select_related = ["document"]
    actions = ["accept_conflicts", "dismiss_conflicts"]
    readonly_fields = ["document", "source", "source_label", "what", "name", "key",
                       "source_value", "editor_value", "status", "created_at", "updated_at",
                       "decided_at", "decided_by"]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("document")

    @admin.display(description="document", ordering="document__identifier")
    def document_link(self, obj: m.Conflict) -> str:
        url = reverse("admin:catalogue_document_change", args=[obj.document_id])
        return format_html('<a href="{}">{}</a>', url, obj.document.identifier)

    @admin.display(description="what")
    def what_changed(self, obj: m.Conflict) -> str:
        return f"{obj.name} {obj.key}".strip()

    @admin.display(description="editor's value (kept)")
    def editor_value_shown(self, obj: m.Conflict) -> str:
        return _shown(obj.editor_value)

    @admin.display(description="source's value")
    def source_value_shown(self, obj: m.Conflict) -> str:
        value = obj.source_value
        if obj.what == "part" and isinstance(value, dict):
            value = {k: v for k, v in value.get("row", {}).items() if v not in (None, "")}
        return _shown(value)

    def _decide(self, request: HttpRequest, queryset: QuerySet, decide, verb: str) -> None:
        count = 0
        for conflict in queryset.filter(status=m.ConflictStatus.OPEN):
            decide(conflict, request.user)
            count += 1
        self.message_user(request, f"{verb}: {count} conflict(s).", messages.SUCCESS)

    @admin.action(description="Accept the source's value (replaces the editor's)",
                  permissions=["change"])  # fmt: skip
    def accept_conflicts(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, conflicts.accept, "Accepted")

    @admin.action(description="Dismiss (the editor's value stays)", permissions=["change"])
    def dismiss_conflicts(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._decide(request, queryset, conflicts.dismiss, "Dismissed")


def _shown(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 300 else text[:300] + "…"
