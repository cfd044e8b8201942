"""Admin for offers: read-only.

Offers change only through ``offers.services`` (the API and the offer pages),
so the admin cannot skip the approvals, the state machine or the event log.
Support staff see every offer, its approvals, its events and its history.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.access import is_compensation_admin
from offers.models import DeclineReason, Offer, OfferApproval, OfferEvent


class CompensationAdminsOnly:
    """Offers carry pay: in the admin, compensation admins (and superusers) only."""

    def has_module_permission(self, request) -> bool:
        return is_compensation_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_compensation_admin(request.user)


class ReadOnlyMixin(CompensationAdminsOnly):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class OfferApprovalInline(ReadOnlyMixin, admin.TabularInline):
    model = OfferApproval
    extra = 0
    fields = ["round", "role", "approver", "decision", "note", "decided_at"]
    readonly_fields = fields


class OfferEventInline(ReadOnlyMixin, admin.TabularInline):
    model = OfferEvent
    extra = 0
    fields = ["at", "kind", "actor", "note", "data"]
    readonly_fields = fields


@admin.register(Offer)
class OfferAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = [
        "id",
        "application",
        "status",
        "base_salary",
        "currency",
        "round",
        "expires_on",
        "created_by",
        "created_at",
    ]
    list_filter = ["status", "currency"]
    search_fields = ["application__candidate__full_name", "application__requisition__title"]
    list_select_related = ["application__candidate", "application__requisition", "created_by"]
    readonly_fields = [
        "application",
        "status",
        "base_salary",
        "sign_on_bonus",
        "equity",
        "currency",
        "start_date",
        "expires_on",
        "band",
        "adjusted_min",
        "adjusted_max",
        "recommendation",
        "justification",
        "decline_reason",
        "round",
        "sent_at",
        "decided_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields
    inlines = [OfferApprovalInline, OfferEventInline]


@admin.register(OfferEvent)
class OfferEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "offer", "kind", "actor"]
    list_filter = ["kind"]
    list_select_related = ["offer", "actor"]


@admin.register(DeclineReason)
class DeclineReasonAdmin(CompensationAdminsOnly, admin.ModelAdmin):
    """The catalogue: compensation admins add and retire reasons (never delete one in use)."""

    list_display = ["label", "code", "is_active", "display_order"]
    list_editable = ["is_active", "display_order"]

    def has_add_permission(self, request) -> bool:
        return is_compensation_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_compensation_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
