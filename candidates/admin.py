"""Admin: candidates with their history; documents read-only (upload goes through the checks).

Adding and changing a candidate go through ``candidate_create`` / ``candidate_update``,
as the pages and the API do: the same field errors (a taken email names the
candidate who has it), possible duplicates confirmed with a checkbox, the search
document, skills and certifications written by the service, the admin user in history.
"""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from candidates import services
from candidates.models import Candidate, Document
from core import audit
from core.errors import DomainError


class DocumentInline(admin.TabularInline):
    model = Document
    fields = ("original_name", "kind", "content_type", "size", "uploaded_at", "uploaded_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CandidateAdminForm(forms.ModelForm):
    """Shows the services' refusals on their fields; the service itself saves."""

    confirm_duplicate = forms.BooleanField(
        required=False,
        label="Confirm duplicate",
        help_text="Save anyway: I checked the possible duplicates named here; "
        "this is a different person.",
    )

    def _post_clean(self):
        # Model validation, duplicates and constraints are the service's: ask it, save
        # nothing. Fix the form's own field errors first, as on the candidate pages.
        if self.errors:
            return
        error = services.candidate_write_error(
            candidate=self.instance if self.instance.pk else None, **self.service_kwargs()
        )
        if error is not None:
            self._add_domain_error(error)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {name: data[name] for name in services.PROFILE_FIELDS if name in data}
        for name in services.M2M_FIELDS:
            if name in kwargs:
                kwargs[name] = list(kwargs[name])
        kwargs["confirm_duplicate"] = bool(data.get("confirm_duplicate"))
        return kwargs

    def _add_domain_error(self, error: DomainError) -> None:
        for field, problems in error.errors.items():
            for problem in problems:
                self.add_error(field if field in self.fields else None, problem)
        if not error.errors:
            self.add_error(None, error.message)
        existing_id = error.extra.get("existing_id")
        existing = Candidate.objects.filter(pk=existing_id).first() if existing_id else None
        if existing is not None:
            self.add_error(
                "email" if "email" in self.fields else None,
                format_html(
                    'It belongs to <a href="{}">{}</a>.',
                    reverse("admin:candidates_candidate_change", args=[existing.pk]),
                    existing.full_name,
                ),
            )
        if error.code == "possible_duplicate":
            self.add_error("confirm_duplicate", error.message)


@admin.register(Candidate)
class CandidateAdmin(SimpleHistoryAdmin):
    form = CandidateAdminForm
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
    readonly_fields = (
        "retain_until",
        "erase",
        "erased_at",
        "search_document",
        "created_by",
        "created_at",
        "updated_at",
    )
    # Exactly what the services write, then the confirmation, then what they keep. The
    # retain-until date moves with activity and is extended with a reason (retention page).
    fields = (
        *(f for f in services.PROFILE_FIELDS if f != "retain_until"),
        "confirm_duplicate",
        *readonly_fields,
    )
    filter_horizontal = ("skills", "certifications")
    # As on the candidate pages: a link typed without a scheme is https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [DocumentInline]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request, obj=None) -> bool:
        # A delete would leave history rows and files behind, and applications protect
        # the row: erasure (the "erase" link, for compensation admins) replaces it.
        return False

    @admin.display(description="Erase")
    def erase(self, obj: Candidate) -> str:
        if obj is None or obj.pk is None or obj.erased_at is not None:
            return "—"
        url = reverse("candidates:erase", args=[obj.pk])
        return format_html('<a href="{}">Erase this candidate…</a>', url)

    def save_model(self, request, obj, form, change):
        kwargs = form.service_kwargs()
        if change:
            saved = services.candidate_update(candidate=obj, actor=request.user, **kwargs)
        else:
            saved = services.candidate_create(actor=request.user, **kwargs)
        # The admin logs and redirects to ``obj``: give it the saved row's values.
        for field in Candidate._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding, obj._state.db = False, saved._state.db

    def save_related(self, request, form, formsets, change):
        # The service has set skills and certifications: only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # A refusal the form could not foresee (a concurrent save took the email):
        # the view's transaction has rolled back; say why instead of a 500.
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        if object_id and request.method == "GET" and response.status_code == 200:
            audit.record(audit.Action.VIEW, "candidate", object_id, request=request)
        return response

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            # len() fetches the page's rows once; the template then reuses them.
            rows = len(changelist.result_list)
            audit.record_list("candidate", rows, request=request, search_params=["q"])
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if response.status_code == 200:
            audit.record(audit.Action.VIEW, "candidate", object_id, request=request)
        return response


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

    def delete_model(self, request, obj: Document) -> None:
        services.document_delete(document=obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for document in queryset:
            services.document_delete(document=document, actor=request.user)

    @admin.display(description="File")
    def download(self, obj: Document) -> str:
        url = reverse("candidates:document-download", args=[obj.pk])
        return format_html('<a href="{}">Download</a>', url)
