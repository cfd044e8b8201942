"""Admin: the access log, read-only; and the read-only bases other apps' admins share."""

from django.contrib import admin

from core import access, audit
from core.models import AccessEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by services only: listed and opened here, never added, changed or deleted."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CompensationAdminsOnly(ReadOnlyAdmin):
    """Staff who are compensation admins see these; Django model permissions do not apply."""

    def has_module_permission(self, request) -> bool:
        return access.is_compensation_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return access.is_compensation_admin(request.user)


@admin.register(AccessEvent)
class AccessEventAdmin(CompensationAdminsOnly):
    """Who may read it is ``core.audit.may_read_log``: compensation admins and superusers."""

    list_display = (
        "at",
        "actor_name",
        "action",
        "channel",
        "object_type",
        "object_id",
        "row_count",
        "address",
    )
    list_filter = ("action", "channel", "object_type")
    search_fields = ("=actor_name", "=object_id")
    readonly_fields = [field.name for field in AccessEvent._meta.fields]
    # The table grows large: no COUNT(*) of all of it on every page.
    show_full_result_count = False

    def has_module_permission(self, request) -> bool:
        return audit.may_read_log(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return audit.may_read_log(request.user)
