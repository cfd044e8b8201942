"""Admin: candidates with their history; documents read-only (upload goes through the checks)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from candidates.models import Candidate, Document
from candidates.services import build_search_document


class DocumentInline(admin.TabularInline):
    model = Document
    fields = ("original_name", "kind", "content_type", "size", "uploaded_at", "uploaded_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    list_display = (
        "full_name",
        "email",
        "city",
        "zone",
        "years_experience",
        "source",
        "created_at",
    )
    list_filter = ("source", "zone", "open_to_remote", "highest_degree", "skills")
    search_fields = ("full_name", "email", "phone", "city", "search_document")
    list_select_related = ("zone",)
    readonly_fields = ("search_document", "created_by", "created_at", "updated_at")
    filter_horizontal = ("skills", "certifications")
    inlines = [DocumentInline]
    date_hierarchy = "created_at"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Keep the search document in step with the services once the skills are saved.
        super().save_related(request, form, formsets, change)
        obj = form.instance
        document = build_search_document(obj, obj.skills.all(), obj.certifications.all())
        Candidate.objects.filter(pk=obj.pk).update(search_document=document)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "candidate", "kind", "content_type", "size", "uploaded_at")
    list_filter = ("kind", "content_type")
    search_fields = ("original_name", "candidate__full_name", "candidate__email", "sha256")
    list_select_related = ("candidate",)
    fields = (
        "candidate",
        "kind",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_at",
        "uploaded_by",
        "download",
    )
    readonly_fields = (
        "candidate",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_at",
        "uploaded_by",
        "download",
    )

    def has_add_permission(self, request) -> bool:
        # Uploads go through the content checks on the candidate page or the API.
        return False

    @admin.display(description="File")
    def download(self, obj: Document) -> str:
        url = reverse("candidates:document-download", args=[obj.pk])
        return format_html('<a href="{}">Download</a>', url)
