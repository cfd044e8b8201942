"""People: the candidate's profile, documents and consent.

Candidate data is personal data. Personal fields live here, on the candidate
side, so erasure and retention can act in one place.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from core.history import HistoricalRecords
from core.limits import DOCUMENT_MAX_BYTES
from core.models import CreatedByModel
from core.money import DEFAULT_CURRENCY, ISO_CODE

MAX_YEARS = Decimal("60")


class Candidate(CreatedByModel):
    class Degree(models.TextChoices):
        NONE = "none", "No degree"
        ASSOCIATE = "associate", "Associate"
        BACHELOR = "bachelor", "Bachelor's"
        MASTER = "master", "Master's"
        PHD = "phd", "PhD"

    class SourceChannel(models.TextChoices):
        REFERRAL = "referral", "Referral"
        LINKEDIN = "linkedin", "LinkedIn"
        AGENCY = "agency", "Agency"
        CAREERS_SITE = "careers_site", "Careers site"
        OTHER = "other", "Other"

    full_name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=40, blank=True)
    city = models.CharField(max_length=120, blank=True)
    zone = models.ForeignKey(
        "roles.Zone", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    open_to_remote = models.BooleanField(default=False)
    years_experience = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_YEARS)],
    )
    highest_degree = models.CharField(max_length=20, choices=Degree.choices, blank=True)
    degree_field = models.CharField(max_length=120, blank=True)
    skills = models.ManyToManyField("roles.Skill", blank=True, related_name="+")
    certifications = models.ManyToManyField("roles.Certification", blank=True, related_name="+")
    github_url = models.URLField(blank=True)
    kaggle_url = models.URLField(blank=True)
    portfolio_url = models.URLField(blank=True)
    source = models.CharField(
        max_length=20, choices=SourceChannel.choices, default=SourceChannel.OTHER
    )
    referrer = models.CharField(max_length=200, blank=True)
    expected_base = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    current_base = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Never used for offers; not asked where a salary-history ban applies.",
    )
    pay_currency = models.CharField(
        "pay currency",
        max_length=3,
        default=DEFAULT_CURRENCY,
        validators=[
            RegexValidator(ISO_CODE, "Currency must be a three-letter ISO code such as USD.")
        ],
        help_text="The currency of the expected and current base.",
    )
    consent_at = models.DateField(null=True, blank=True)
    consent_version = models.CharField(
        "consent text version",
        max_length=40,
        blank=True,
        help_text="Which consent text the candidate accepted (e.g. the careers page's 2026-11).",
    )
    # Kept current by candidates.retention: last activity + RETENTION_MONTHS, or extended.
    retain_until = models.DateField(null=True, blank=True)
    # Set once by candidates.erasure: the row is anonymised and stays only for the counts.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    tags = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    search_document = models.TextField(
        blank=True, editable=False, help_text="Lower-cased text the search index covers."
    )
    history = HistoricalRecords(
        m2m_fields=[skills, certifications], excluded_fields=["search_document"]
    )

    class Meta:
        ordering = ["full_name", "id"]
        indexes = [
            models.Index(fields=["phone"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["retain_until"], name="candidates_retain_until_idx"),
            # The candidate list's default order: a page without sorting every candidate.
            models.Index(fields=["full_name", "id"], name="candidates_name_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="candidates_email_unique_ci",
                violation_error_message="A candidate with this email already exists.",
            ),
            models.CheckConstraint(
                condition=Q(years_experience__gte=0, years_experience__lte=MAX_YEARS),
                name="candidates_years_in_range",
                violation_error_message="Years of experience must be between 0 and 60.",
            ),
            models.CheckConstraint(
                condition=Q(expected_base__isnull=True) | Q(expected_base__gte=0),
                name="candidates_expected_base_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(current_base__isnull=True) | Q(current_base__gte=0),
                name="candidates_current_base_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(pay_currency__regex=ISO_CODE.pattern),
                name="candidates_pay_currency_iso",
                violation_error_message="Currency must be a three-letter ISO code such as USD.",
            ),
            models.CheckConstraint(
                condition=~Q(source="referral") | ~Q(referrer=""),
                name="candidates_referral_has_referrer",
                violation_error_message="A referral needs the referrer's name.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


def document_path(instance: Document, filename: str) -> str:
    # Random names: the original name is kept in the row, never on disk.
    return f"documents/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}"


class Document(models.Model):
    class Kind(models.TextChoices):
        RESUME = "resume", "Résumé"
        COVER_LETTER = "cover_letter", "Cover letter"
        OTHER = "other", "Other"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RESUME)
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0, size__lte=DOCUMENT_MAX_BYTES),
                name="candidates_document_size_limit",
            ),
            models.CheckConstraint(
                condition=Q(
                    content_type__in=[
                        "application/pdf",
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    ]
                ),
                name="candidates_document_pdf_or_docx",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class RetentionExtension(models.Model):
    """A recruiter kept a candidate's data longer: who, when, why, from which date to which."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="retention_extensions"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    old_date = models.DateField(null=True, blank=True)
    new_date = models.DateField()
    reason = models.TextField()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(old_date__isnull=True) | Q(new_date__gt=F("old_date")),
                name="candidates_retention_extension_extends",
                violation_error_message="The new date must be after the current one.",
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="candidates_retention_extension_has_reason",
                violation_error_message="Give a reason for keeping the data longer.",
            ),
        ]

    def __str__(self) -> str:
        return f"Candidate {self.candidate_id} kept until {self.new_date}"
