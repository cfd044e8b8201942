"""Offers, their approvals and their event log.

An offer is pinned to the band version it was made under and keeps a frozen
copy of the recommendation that was shown, so later band revisions never
rewrite what was offered. Status changes only through ``offers.services``; the
allowed transitions are the pure table in ``offers.states``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from core.history import HistoricalRecords
from core.models import CreatedByModel
from offers.states import OPEN_STATUSES, OfferStatus

ZERO = Decimal("0")


class DeclineReason(models.Model):
    """Catalogue of reasons a candidate declines an offer (seeded by migration)."""

    code = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=120)
    is_active = models.BooleanField(default=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "label"]

    def __str__(self) -> str:
        return self.label


class Offer(CreatedByModel):
    Status = OfferStatus

    application = models.ForeignKey(
        "hiring.Application", on_delete=models.PROTECT, related_name="offers"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    base_salary = models.DecimalField(max_digits=12, decimal_places=2)
    sign_on_bonus = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    equity = models.DecimalField(
        max_digits=12, decimal_places=2, default=ZERO, help_text="The grant's value."
    )
    currency = models.CharField(max_length=3, default="USD")
    start_date = models.DateField()
    expires_on = models.DateField()
    # The exact band version the offer was made under, and what was shown then (frozen).
    band = models.ForeignKey("roles.SalaryBand", on_delete=models.PROTECT, related_name="+")
    adjusted_min = models.DecimalField(max_digits=12, decimal_places=2)
    adjusted_max = models.DecimalField(max_digits=12, decimal_places=2)
    recommendation = models.JSONField(default=dict, blank=True)
    justification = models.TextField(blank=True)
    decline_reason = models.ForeignKey(
        DeclineReason, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    round = models.PositiveSmallIntegerField(
        default=1, help_text="Approval round: a new one starts when an amount changes."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "expires_on"]),
            # The lists' order (newest first): read from the index, not sorted in full.
            models.Index(fields=["created_at", "id"], name="offers_offer_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=OPEN_STATUSES),
                name="offers_offer_one_open_per_application",
                violation_error_message="This application already has an open offer.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values), name="offers_offer_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(base_salary__gt=0, sign_on_bonus__gte=0, equity__gte=0),
                name="offers_offer_amounts_non_negative",
                violation_error_message="Amounts must not be negative; the base must be positive.",
            ),
            models.CheckConstraint(
                condition=Q(adjusted_min__gte=0, adjusted_min__lte=F("adjusted_max")),
                name="offers_offer_adjusted_band_ordered",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__lte=F("start_date")),
                name="offers_offer_expires_before_start",
                violation_error_message="The offer must expire on or before the start date.",
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="offers_offer_round_positive"),
            models.CheckConstraint(
                condition=~Q(status=OfferStatus.DECLINED) | Q(decline_reason__isnull=False),
                name="offers_offer_declined_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer #{self.pk} for {self.application}"

    @property
    def inside_band(self) -> bool:
        return self.adjusted_min <= self.base_salary <= self.adjusted_max

    @property
    def compa_ratio(self) -> Decimal | None:
        midpoint = (self.adjusted_min + self.adjusted_max) / 2
        if not midpoint:
            return None
        return (self.base_salary / midpoint).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class OfferApproval(models.Model):
    """One approver's decision for one role in one approval round."""

    class Role(models.TextChoices):
        HIRING_MANAGER = "hiring_manager", "Hiring manager"
        COMPENSATION_ADMIN = "compensation_admin", "Compensation admin"

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="approvals")
    round = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=20, choices=Role.choices)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    note = models.TextField(blank=True)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["offer", "round", "decided_at", "id"]
        constraints = [
            # Two approvers acting at once can never both record the same role's decision.
            models.UniqueConstraint(
                fields=["offer", "round", "role"], name="offers_approval_one_per_role_and_round"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["hiring_manager", "compensation_admin"]),
                name="offers_approval_role_valid",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["approved", "rejected"]),
                name="offers_approval_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.decision} round {self.round} of {self.offer_id}"


class OfferEvent(models.Model):
    """Every decision and change on an offer: who (empty for the system), when, what, why."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        SUBMITTED = "submitted", "Submitted for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        RETURNED_FOR_APPROVAL = "returned_for_approval", "Returned for approval"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        RESCINDED = "rescinded", "Rescinded"
        EXPIRED = "expired", "Expired"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: the system (e.g. expiry).",
    )
    at = models.DateTimeField(db_index=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["offer", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "created",
                        "updated",
                        "submitted",
                        "approved",
                        "rejected",
                        "returned_for_approval",
                        "sent",
                        "accepted",
                        "declined",
                        "rescinded",
                        "expired",
                    ]
                ),
                name="offers_event_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · offer {self.offer_id}"
