"""Admin registrations for the pipeline: requisitions, applications, stage history.

Read-mostly: an application's stage changes only through ``application_move``
(so every change is a ``StageChange`` row), and stage history is read-only.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hiring.models import Application, DispositionReason, Requisition, StageChange


@admin.register(Requisition)
class RequisitionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "track", "level", "zone", "status", "headcount", "hiring_manager"]
    list_filter = ["status", "track", "level", "zone", "remote_policy"]
    search_fields = ["title"]
    list_select_related = ["track", "level", "zone", "hiring_manager"]
    raw_id_fields = ["hiring_manager", "recruiter"]
    # The posted range and band come from the requisition service (band checks).
    readonly_fields = ["band", "posted_min", "posted_max", "currency", "status", "opened_on"]


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
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["application", "from_stage", "to_stage", "actor", "at", "reason"]
    list_filter = ["to_stage"]
    list_select_related = ["application__candidate", "application__requisition", "actor", "reason"]
    search_fields = ["application__candidate__full_name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DispositionReason)
class DispositionReasonAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "applies_to", "is_active", "display_order"]
    list_filter = ["applies_to", "is_active"]
    list_editable = ["is_active", "display_order"]
