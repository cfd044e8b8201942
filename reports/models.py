"""Report runs, their downloads, and the digest schedules admins edit.

A ``ReportRun`` is the background-job pattern of ``core.mail``: a status row,
claimed by a worker with a conditional update, its file in private storage
under a random name. Status changes only through ``reports.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from reports.kinds import Format, Kind


class ReportRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    Kind = Kind
    Format = Format

    kind = models.CharField(max_length=20, choices=Kind.choices)
    format = models.CharField(max_length=8, choices=Format.choices)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    # A name in private storage (default_storage), never a public path; empty once expired.
    storage_name = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_runs"
    )
    #: Mail the requester a download link when it succeeds (the weekly digest).
    notify = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file_deleted_at = models.DateTimeField(null=True, blank=True)
    #: The file was deleted early because it named a candidate who was erased.
    file_erased = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="reports_run_progress_0_100"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="reports_run_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="reports_run_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(format__in=Format.values), name="reports_run_format_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="running") | Q(started_at__isnull=False),
                name="reports_run_running_has_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.format}) #{self.pk}"

    @property
    def is_final(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def has_file(self) -> bool:
        return self.status == self.Status.SUCCEEDED and bool(self.storage_name)


class ReportDownload(models.Model):
    """Every download of a report file: who, when, which run."""

    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} downloaded run {self.run_id} at {self.at:%Y-%m-%d %H:%M}"


class DigestSchedule(models.Model):
    """When a weekly digest goes out; admins edit it. Beat checks these rows every few minutes."""

    class Digest(models.TextChoices):
        PIPELINE = "pipeline", "Weekly pipeline digest (each recruiter)"
        BAND_REVIEW = "band_review", "Weekly band-review digest (compensation admins)"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    digest = models.CharField(max_length=20, choices=Digest.choices, unique=True)
    enabled = models.BooleanField(default=True)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.MONDAY)
    hour = models.PositiveSmallIntegerField(default=7, help_text="Local hour (TIME_ZONE), 0-23.")
    format = models.CharField(max_length=8, choices=Format.choices, default=Format.XLSX)
    #: The local date of the last sending; claimed with a conditional update, so once a week.
    last_sent_on = models.DateField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["digest"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hour__gte=0, hour__lte=23), name="reports_digest_hour_0_23"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="reports_digest_weekday_0_6"
            ),
        ]

    def __str__(self) -> str:
        return self.get_digest_display()
