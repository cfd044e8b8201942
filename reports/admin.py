from django.contrib import admin

from core.access import is_compensation_admin
from core.admin import CompensationAdminsOnly
from reports import services
from reports.models import DigestSchedule, ReportDownload, ReportRun


@admin.register(DigestSchedule)
class DigestScheduleAdmin(CompensationAdminsOnly):
    """Admins edit when the weekly digests go out; saved through the service (who, when)."""

    list_display = ["digest", "enabled", "weekday", "hour", "format", "last_sent_on", "updated_by"]
    readonly_fields = ["digest", "last_sent_on", "updated_at", "updated_by"]
    fields = [
        "digest",
        "enabled",
        "weekday",
        "hour",
        "format",
        "last_sent_on",
        "updated_at",
        "updated_by",
    ]

    def has_change_permission(self, request, obj=None) -> bool:
        return is_compensation_admin(request.user)  # one row per digest, seeded by migration

    def save_model(self, request, obj, form, change) -> None:
        services.digest_schedule_save(schedule=obj, actor=request.user)


@admin.register(ReportRun)
class ReportRunAdmin(CompensationAdminsOnly):
    """Read-only: runs change only through the services and the worker."""

    list_display = ["id", "kind", "format", "status", "progress", "requested_by", "created_at"]
    list_filter = ["status", "kind", "format"]
    list_select_related = ["requested_by"]


@admin.register(ReportDownload)
class ReportDownloadAdmin(CompensationAdminsOnly):
    list_display = ["run", "user", "at"]
    list_select_related = ["run", "user"]
