"""Admin registrations for the pipeline: requisitions, applications, stage history.

Requisitions save through the requisition services, with the same checks (who
may, the people's groups, status transitions, the posted range repriced from the
band when track, level or zone change) and the same history as the API. An
application's stage changes only through ``application_move`` (so every change
is a ``StageChange`` row), and stage history is read-only.
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyAdmin
from core.errors import DomainError
from hiring.models import Application, DispositionReason, Requisition, StageChange
from hiring.services.requisitions import (
    requisition_build,
    requisition_create,
    requisition_update,
    requisition_update_check,
)

REQUISITION_FORM_FIELDS = [
    "title",
    "track",
    "level",
    "zone",
    "remote_policy",
    "headcount",
    "hiring_manager",
    "recruiter",
    "status",
    "opened_on",
    "target_on",
    "posted_min",
    "posted_max",
]


class RequisitionAdminForm(forms.ModelForm):
    """Field shapes from the model; every rule from the service, run during validation."""

    actor = None  # set per request by ``RequisitionAdmin.get_form``

    class Meta:
        model = Requisition
        fields = REQUISITION_FORM_FIELDS
        help_texts = {
            "posted_min": "Empty: the bottom of the band. It may be narrowed, never widened.",
            "posted_max": "Empty: the top of the band.",
        }

    def _post_clean(self):
        # Model validation and constraints run once, in the service (see clean).
        pass

    def service_changes(self) -> dict:
        """What the admin changed (a new requisition: everything entered)."""
        data = self.cleaned_data
        if not self.instance.pk:
            return {name: value for name, value in data.items() if value is not None}
        return {name: data[name] for name in self.changed_data if name in data}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            if self.instance.pk:
                requisition_update_check(
                    requisition=self.instance, actor=self.actor, **self.service_changes()
                )
            else:
                requisition_build(actor=self.actor, **self.service_changes())
        except DomainError as exc:
            for field, messages in (exc.errors or {None: [exc.message]}).items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(Requisition)
class RequisitionAdmin(SimpleHistoryAdmin):
    form = RequisitionAdminForm
    list_display = ["title", "track", "level", "zone", "status", "headcount", "hiring_manager"]
    list_filter = ["status", "track", "level", "zone", "remote_policy"]
    search_fields = ["title"]
    list_select_related = ["track", "level", "zone", "hiring_manager"]
    raw_id_fields = ["hiring_manager", "recruiter"]
    # The band version and currency follow from track, level, zone and date.
    readonly_fields = ["band", "currency"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        if change:
            saved = requisition_update(
                requisition=Requisition.objects.get(pk=obj.pk),
                actor=request.user,
                **form.service_changes(),
            )
        else:
            saved = requisition_create(actor=request.user, **form.service_changes())
        # The admin logs and redirects to ``obj``: give it what was saved.
        for field in Requisition._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    fields = ["at", "from_stage", "to_stage", "actor", "reason", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["candidate", "requisition", "stage", "stage_entered_at"]
    list_filter = ["stage"]
    search_fields = ["candidate__full_name", "candidate__email", "requisition__title"]
    list_select_related = ["candidate", "requisition"]
    raw_id_fields = ["candidate", "requisition"]
    readonly_fields = ["stage", "stage_entered_at", "disposition_reason"]
    inlines = [StageChangeInline]

    def has_add_permission(self, request) -> bool:
        # Adding writes the first StageChange: use the requisition page or the API.
        return False


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ["application", "from_stage", "to_stage", "actor", "at", "reason"]
    list_filter = ["to_stage"]
    list_select_related = ["application__candidate", "application__requisition", "actor", "reason"]
    search_fields = ["application__candidate__full_name"]


@admin.register(DispositionReason)
class DispositionReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "applies_to", "is_active", "display_order"]
    list_filter = ["applies_to", "is_active"]
    list_editable = ["is_active", "display_order"]
