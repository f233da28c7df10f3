"""The cataloguing back office: every field editable, with search, filters and inlines.

DocumentAdmin is a reversion VersionAdmin, so each save is one revision of the whole
document (with its inlines) and the History page lists them with who and when.
"""

from __future__ import annotations

import reversion
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from reversion.admin import VersionAdmin

from readingroom.catalogue import models as m
from readingroom.catalogue import scan_evidence
from readingroom.catalogue.admin_merge import MergeAdminMixin
from readingroom.catalogue.admin_provenance import ProvenanceAdminMixin


class CaveatInline(admin.TabularInline):
    model = m.Caveat
    extra = 0


class IdentifierInline(admin.TabularInline):
    model = m.DocumentIdentifier
    extra = 0


class ArchivalReferenceInline(admin.StackedInline):
    model = m.ArchivalReference
    extra = 0
    autocomplete_fields = ["repository"]


class AgentLinkInline(admin.TabularInline):
    model = m.DocumentAgent
    extra = 0
    autocomplete_fields = ["agent"]


class PlaceLinkInline(admin.TabularInline):
    model = m.DocumentPlace
    extra = 0
    autocomplete_fields = ["place"]


class TextInline(admin.StackedInline):
    model = m.Text
    extra = 0
    autocomplete_fields = ["translator"]
    fields = ["kind", "language", "direction", "title", "source_text", "translator", "format",
              "html", "position"]  # fmt: skip

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A text translates another text of the same document: offer only those.
        if db_field.name == "source_text":
            document_id = request.resolver_match.kwargs.get("object_id") if (
                request.resolver_match) else None  # fmt: skip
            kwargs["queryset"] = m.Text.objects.filter(document_id=document_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RelationInline(admin.TabularInline):
    model = m.DocumentRelation
    fk_name = "document"
    extra = 0
    raw_id_fields = ["target"]


class FileInline(admin.TabularInline):
    model = m.File
    extra = 0
    readonly_fields = ["sha256", "size", "uploaded_at", "modified_at"]


class ReleaseInline(admin.TabularInline):
    model = m.Release
    extra = 0


class MembershipInline(admin.TabularInline):
    model = m.CollectionMember
    extra = 0
    autocomplete_fields = ["collection"]


class SourceInline(admin.TabularInline):
    model = m.DocumentSource
    extra = 0
    fields = ["importer", "id_in_source", "origin", "rank", "file", "content_hash", "imported_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(m.Document)
class DocumentAdmin(ProvenanceAdminMixin, VersionAdmin):
    list_display = [
        "identifier",
        "title_short",
        "date_start",
        "document_type",
        "classification_level",
        "state",
        "embargo_until",
        "modified_at",
    ]
    list_filter = [
        "state",
        "classification_level",
        "document_type",
        "physical_form",
        "date_precision",
        "languages",
        "funders",
        "memberships__collection",
    ]
    search_fields = [
        "identifier",
        "title",
        "summary",
        "archival_references__as_written",
        "identifiers__value",
        "source_record_id",
    ]
    date_hierarchy = "date_start"
    autocomplete_fields = ["document_type", "physical_form", "languages", "funders", "subjects",
                           "title_original_language"]  # fmt: skip
    readonly_fields = ["record_id", "created_at", "modified_at", "suggested_classification",
                       "suggested_type", "parts_provenance"]  # fmt: skip
    inlines = [
        CaveatInline,
        IdentifierInline,
        ArchivalReferenceInline,
        AgentLinkInline,
        PlaceLinkInline,
        TextInline,
        RelationInline,
        FileInline,
        ReleaseInline,
        MembershipInline,
        SourceInline,
    ]
    fieldsets = [
        (None, {"fields": ["identifier", "record_id", "title",
                           ("title_original", "title_original_language"), "summary", "notes"]}),
        ("Date", {"fields": [("date_start", "date_end"), ("time_start", "time_end"),
                             "date_precision", "date_as_written", "date_utc_offset"]}),
        ("Description", {"fields": [("document_type", "document_type_as_written"),
                                    "suggested_type",
                                    ("physical_form", "physical_form_as_written"),
                                    "languages", "subjects"]}),
        ("Classification", {"fields": ["classification_level", "classification_marking",
                                       "suggested_classification"]}),
        ("Rights and funding", {"fields": ["rights_uri", "rights_text", "funders"]}),
        ("Publication", {"fields": ["state", "withdrawn_reason", "embargo_until"]}),
        ("As the source gives it", {"fields": ["source_record_id", "source_uploaded_on",
                                               "citation_as_written"]}),
        ("In this archive", {"fields": ["created_at", "modified_at"]}),
        # Each field's provenance is its help text (admin_provenance.py).
        ("Provenance of the parts", {"fields": ["parts_provenance"], "classes": ["collapse"]}),
    ]  # fmt: skip
    actions = ["publish", "make_draft", "accept_suggested_types"]

    @admin.display(description="suggested type (accept to apply)")
    def suggested_type(self, obj: m.Document):
        """Types the title or the scan's form header suggest, each with its words and a
        button that accepts it (a revision: `catalogue/suggestions.py`)."""
        from django.urls import reverse
        from django.utils.html import format_html_join

        from readingroom.catalogue.suggestions import suggestions_for

        found = suggestions_for(obj)
        if not found:
            return "—"

        def url(s) -> str:
            return reverse("admin:catalogue_document_accept_type", args=[obj.pk, s.source])

        return format_html_join(
            "",
            "<div><strong>{}</strong>, from {}: “{}” "
            '<button type="submit" formmethod="post" formaction="{}">Accept</button></div>',
            ((s.document_type.label, s.where, s.evidence, url(s)) for s in found),
        )

    def accept_type_view(self, request: HttpRequest, object_id: str, source: str):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
        from django.shortcuts import get_object_or_404
        from django.urls import reverse

        from readingroom.catalogue.suggestions import accept, suggestions_for

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        document = get_object_or_404(m.Document, pk=unquote(object_id))
        if not self.has_change_permission(request, document):
            raise PermissionDenied
        suggestion = next((s for s in suggestions_for(document) if s.source == source), None)
        if suggestion is None:
            raise Http404("no such suggestion (the document may have a type already)")
        accept(document, suggestion, request.user)
        self.message_user(request, f"Document type set to {suggestion.document_type}.",
                          messages.SUCCESS)  # fmt: skip
        return HttpResponseRedirect(reverse("admin:catalogue_document_change", args=[document.pk]))

    def get_urls(self):
        from django.urls import path

        own = [
            path("<path:object_id>/accept-type/<slug:source>/",
                 self.admin_site.admin_view(self.accept_type_view),
                 name="catalogue_document_accept_type"),
        ]  # fmt: skip
        return own + super().get_urls()

    @admin.action(description="Accept the suggested document type", permissions=["change"])
    def accept_suggested_types(self, request: HttpRequest, queryset: QuerySet) -> None:
        from readingroom.catalogue.suggestions import accept, agreed

        done = skipped = 0
        for document in queryset.filter(document_type__isnull=True):
            suggestion = agreed(document)
            if suggestion is None:
                skipped += 1
                continue
            accept(document, suggestion, request.user)
            done += 1
        note = f"; {skipped} without one agreed suggestion left to choose" if skipped else ""
        self.message_user(request, f"Type accepted for {done} document(s){note}.",
                          messages.SUCCESS)  # fmt: skip

    @admin.display(description="read from the scan (suggestion)")
    def suggested_classification(self, obj: m.Document):
        """Markings OCR read on the document's scans, with page and words as evidence;
        an editor decides, nothing is applied."""
        from django.utils.html import format_html_join

        shas = [f.sha256 for f in obj.files.all() if f.sha256] if obj.pk else []
        found = scan_evidence.markings_read(shas)
        if not found:
            return "—"
        return format_html_join("", "<div><strong>{}</strong> on page {}: “{}”</div>", found)

    @admin.display(description="title")
    def title_short(self, obj: m.Document) -> str:
        return obj.title if len(obj.title) <= 90 else obj.title[:89] + "…"

    # The history names the import a document's state came from: an imported document
    # has no version until it first changes (catalogue/versions.py).
    object_history_template = "admin/catalogue/document/object_history.html"

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        sources = m.DocumentSource.objects.filter(document_id=unquote(object_id))
        context = {**(extra_context or {}), "sources": sources.order_by("imported_at")}
        return super().history_view(request, object_id, context)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        # The identifier is minted once: it is in every URL and citation ever made.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "identifier"] if obj is not None else fields

    def _set_state(self, request: HttpRequest, queryset: QuerySet, state: str, verb: str) -> None:
        count = 0
        with transaction.atomic():
            for document in queryset.exclude(state=state):
                with reversion.create_revision():
                    reversion.set_user(request.user)
                    reversion.set_comment(f"{verb} from the document list.")
                    document.state = state
                    document.save()
                count += 1
        self.message_user(request, f"{verb}: {count} document(s).", messages.SUCCESS)

    @admin.action(description="Publish selected documents", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_state(request, queryset, m.PublicationState.PUBLISHED, "Published")

    @admin.action(description="Return selected documents to draft", permissions=["change"])
    def make_draft(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_state(request, queryset, m.PublicationState.DRAFT, "Returned to draft")


class NameInline(admin.TabularInline):
    extra = 0


class AgentIdentificationInline(admin.TabularInline):
    model = m.AgentIdentification
    extra = 0
    fields = ["collection", "key", "name_as_listed", "identification"]
    readonly_fields = ["collection"]


class AgentNameInline(NameInline):
    model = m.AgentName


@admin.register(m.Agent)
class AgentAdmin(MergeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "identification"]
    list_filter = ["kind"]
    search_fields = ["name", "sort_name", "other_names__name", "identification"]
    inlines = [AgentNameInline, AgentIdentificationInline]

    def get_urls(self):
        from django.urls import path

        own = [
            path(
                "near-matches/",
                self.admin_site.admin_view(self.near_matches_view),
                name="catalogue_agent_near_matches",
            )
        ]
        return own + super().get_urls()

    def near_matches_view(self, request: HttpRequest):
        from django.template.response import TemplateResponse

        from readingroom.catalogue.people import near_matches
        from readingroom.web.limits import window

        rows = window(request.GET, settings.LIST_PAGE_SIZE)
        total, pairs = near_matches(rows.offset, rows.size)
        if rows.page > 1 and not pairs:
            raise Http404(f"page={rows.page}: past the last page.")
        context = {
            **self.admin_site.each_context(request),
            "pairs": pairs,
            "total": total,
            "page": rows.page,
            "pages": max(1, -(-total // rows.size)),
            "previous_page": rows.page - 1 or None,
            "next_page": rows.page + 1 if rows.offset + len(pairs) < total else None,
            "title": "People who may be the same person",
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/catalogue/agent/near_matches.html", context)


class PlaceNameInline(NameInline):
    model = m.PlaceName


@admin.register(m.Place)
class PlaceAdmin(MergeAdminMixin, admin.ModelAdmin):
    search_fields = ["name", "other_names__name"]
    inlines = [PlaceNameInline]


class RepositoryNameInline(NameInline):
    model = m.RepositoryName


@admin.register(m.Repository)
class RepositoryAdmin(MergeAdminMixin, admin.ModelAdmin):
    list_display = ["name", "abbreviation", "location"]
    search_fields = ["name", "abbreviation", "other_names__name"]
    inlines = [RepositoryNameInline]


class ChildCollectionInline(admin.TabularInline):
    model = m.Collection
    fk_name = "parent"
    extra = 0
    fields = ["position", "identifier", "title", "kind"]


class CollectionMemberInline(admin.TabularInline):
    model = m.CollectionMember
    extra = 0
    fields = ["position", "document"]
    autocomplete_fields = ["document"]


@admin.register(m.Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["identifier", "title", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["identifier", "title"]
    autocomplete_fields = ["parent"]
    inlines = [ChildCollectionInline, CollectionMemberInline]


class SpellingInline(admin.TabularInline):
    extra = 1


class DocumentTypeSpellingInline(SpellingInline):
    model = m.DocumentTypeSpelling


class PhysicalFormSpellingInline(SpellingInline):
    model = m.PhysicalFormSpelling


@admin.register(m.DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    search_fields = ["label", "slug", "spellings__spelling"]
    inlines = [DocumentTypeSpellingInline]


@admin.register(m.PhysicalForm)
class PhysicalFormAdmin(admin.ModelAdmin):
    search_fields = ["label", "slug", "spellings__spelling"]
    inlines = [PhysicalFormSpellingInline]


@admin.register(m.Language)
class LanguageAdmin(admin.ModelAdmin):
    search_fields = ["code", "name"]


@admin.register(m.Funder)
class FunderAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(m.Subject)
class SubjectAdmin(admin.ModelAdmin):
    search_fields = ["term"]


@admin.register(m.OutboxEntry)
class OutboxEntryAdmin(admin.ModelAdmin):
    list_display = ["identifier", "created_at", "processed_at", "processed_by"]
    list_filter = [("processed_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["document_pk", "identifier", "created_at", "processed_at", "processed_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
