"""Requisitions, applications and their stage history, interviews, scorecards.

A stage change is a row (``StageChange``): time in each stage is derived from
it, never stored twice. The only way to change an application's stage is the
``application_move`` service.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.history import HistoricalRecords
from core.models import CreatedByModel
from hiring.stages import DISPOSITIONS, Stage


class Requisition(CreatedByModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        FILLED = "filled", "Filled"
        CANCELLED = "cancelled", "Cancelled"

    class RemotePolicy(models.TextChoices):
        ONSITE = "onsite", "On-site"
        HYBRID = "hybrid", "Hybrid"
        REMOTE = "remote", "Remote"

    title = models.CharField(max_length=200)
    track = models.ForeignKey("roles.Track", on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey("roles.Level", on_delete=models.PROTECT, related_name="+")
    zone = models.ForeignKey("roles.Zone", on_delete=models.PROTECT, related_name="+")
    remote_policy = models.CharField(
        max_length=10, choices=RemotePolicy.choices, default=RemotePolicy.HYBRID
    )
    headcount = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="managed_requisitions"
    )
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recruited_requisitions",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    opened_on = models.DateField(null=True, blank=True)
    target_on = models.DateField(null=True, blank=True)
    # The exact band version the posted range was derived from (pay transparency).
    band = models.ForeignKey(
        "roles.SalaryBand", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    posted_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    posted_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gte=1), name="hiring_requisition_headcount_positive"
            ),
            models.CheckConstraint(
                condition=Q(posted_min__isnull=True, posted_max__isnull=True)
                | Q(posted_min__gte=0, posted_min__lte=F("posted_max")),
                name="hiring_requisition_posted_range_ordered",
                violation_error_message="Posted minimum must not exceed posted maximum.",
            ),
            models.CheckConstraint(
                condition=Q(target_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(target_on__gte=F("opened_on")),
                name="hiring_requisition_dates_ordered",
                violation_error_message="Target date must not be before the opening date.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DispositionReason(models.Model):
    """Catalogue of reasons for the final stages rejected and withdrawn."""

    code = models.SlugField(max_length=60)
    label = models.CharField(max_length=120)
    applies_to = models.CharField(
        max_length=10,
        choices=[(Stage.REJECTED, "Rejected"), (Stage.WITHDRAWN, "Withdrawn")],
    )
    is_active = models.BooleanField(default=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["applies_to", "display_order", "label"]
        constraints = [
            # The same code (e.g. "declined-compensation", "other") may serve both final stages.
            models.UniqueConstraint(
                fields=["applies_to", "code"],
                name="hiring_dispositionreason_unique_code",
                violation_error_message="This reason code already exists for this stage.",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Application(CreatedByModel):
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.PROTECT, related_name="applications"
    )
    requisition = models.ForeignKey(
        Requisition, on_delete=models.PROTECT, related_name="applications"
    )
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.SOURCED)
    stage_entered_at = models.DateTimeField()
    disposition_reason = models.ForeignKey(
        DispositionReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-stage_entered_at", "-id"]
        indexes = [
            models.Index(fields=["requisition", "stage"]),
            # The application list's default order: a page without sorting all 300,000 rows.
            models.Index(fields=["-stage_entered_at", "-id"], name="hiring_application_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "requisition"],
                name="hiring_application_unique",
                violation_error_message="This candidate has already applied to this requisition.",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=[s.value for s in Stage]),
                name="hiring_application_stage_valid",
            ),
            models.CheckConstraint(
                condition=~Q(stage__in=list(DISPOSITIONS)) | Q(disposition_reason__isnull=False),
                name="hiring_application_final_has_reason",
                violation_error_message="Rejected and withdrawn applications need a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.requisition}"


class StageChange(models.Model):
    """One move of one application: from, to, who, when, why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=12, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(db_index=True)
    reason = models.ForeignKey(
        DispositionReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["application", "at", "id"]
        indexes = [models.Index(fields=["application", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_stage=F("to_stage")), name="hiring_stagechange_moves"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage or '∅'} → {self.to_stage}"


class Interview(CreatedByModel):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    round_name = models.CharField(max_length=120)
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interviews")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(8 * 60)]
    )
    location = models.CharField(max_length=300, blank=True, help_text="Room or video link.")
    history = HistoricalRecords(m2m_fields=[interviewers])

    class Meta:
        ordering = ["starts_at", "id"]
        # The interview list's order: a page of 50 without sorting every interview.
        indexes = [models.Index(fields=["starts_at", "id"], name="hiring_interview_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="hiring_interview_duration_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_name} · {self.application}"


RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]
# The guide's four work areas, rated on every scorecard.
COMPETENCIES = (
    "model_development",
    "data_engineering",
    "collaboration",
    "research_infrastructure",
)


class Scorecard(models.Model):
    """One interviewer's ratings (1 to 4) on the guide's four work areas."""

    class Recommendation(models.TextChoices):
        STRONG_NO = "strong_no", "Strong no"
        NO = "no", "No"
        YES = "yes", "Yes"
        STRONG_YES = "strong_yes", "Strong yes"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scorecards"
    )
    model_development = models.PositiveSmallIntegerField(
        "model development and deployment", validators=RATING_VALIDATORS
    )
    data_engineering = models.PositiveSmallIntegerField(
        "data engineering", validators=RATING_VALIDATORS
    )
    collaboration = models.PositiveSmallIntegerField(
        "collaboration and communication", validators=RATING_VALIDATORS
    )
    research_infrastructure = models.PositiveSmallIntegerField(
        "research and infrastructure", validators=RATING_VALIDATORS
    )
    recommendation = models.CharField(max_length=12, choices=Recommendation.choices)
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["submitted_at", "id"]
        # The scorecard list walks this index for its page of 50 instead of sorting every
        # visible scorecard (1.4 s at 78,000 scorecards; docs/performance.md).
        indexes = [models.Index(fields=["submitted_at", "id"], name="hiring_scorecard_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"],
                name="hiring_scorecard_one_per_interviewer",
                violation_error_message=(
                    "You have already submitted a scorecard for this interview."
                ),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 4}),
                    name=f"hiring_scorecard_{field}_1_to_4",
                )
                for field in COMPETENCIES
            ],
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} on {self.interview}"


class Note(models.Model):
    """A recruiter's or hiring manager's note on an application; seen by whoever sees it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""),
                name="hiring_note_not_empty",
                violation_error_message="A note needs some text.",
            )
        ]

    def __str__(self) -> str:
        return f"Note by {self.author} on {self.application}"


class PublicSubmission(models.Model):
    """An application made by the candidate on the careers page: the consent they gave.

    The application's stage change names the careers-site system user; this row keeps
    what only the candidate did: when, and which consent text (by version) they accepted.
    """

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="public_submission"
    )
    consent_version = models.CharField(max_length=40)
    consent_text = models.TextField()
    submitted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Careers submission for {self.application}"
