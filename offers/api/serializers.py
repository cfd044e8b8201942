"""API shapes for offers.

Only users who see the requisition's pay ever get an offer (the viewset's
queryset is scoped by ``offers.permissions.offers_visible_to``), so there is
one shape, with every figure. Writes are validated here for form (numbers,
dates) and by the services for meaning.
"""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api_schema import text_one_of
from hiring.serializers.pipeline import BandUpdateSerializer, band_update_data
from offers.models import Offer, OfferApproval, OfferEvent
from offers.permissions import required_roles
from offers.selectors import band_change


def _money(**kw) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, **kw)


class OfferEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    # Plain strings: one enum name per choice set keeps the schema free of collisions.
    kind = serializers.CharField(read_only=True)

    class Meta:
        model = OfferEvent
        fields = ["id", "kind", "actor", "at", "note", "data"]
        read_only_fields = fields

    def get_actor(self, obj: OfferEvent) -> str | None:
        return obj.actor.get_username() if obj.actor else None


class OfferApprovalSerializer(serializers.ModelSerializer):
    approver = serializers.CharField(source="approver.get_username", read_only=True)
    role = serializers.CharField(read_only=True)
    decision = serializers.CharField(read_only=True)

    class Meta:
        model = OfferApproval
        fields = ["id", "round", "role", "approver", "decision", "note", "decided_at"]
        read_only_fields = fields


class OfferAdjustedBandSerializer(serializers.Serializer):
    min = serializers.DecimalField(max_digits=12, decimal_places=2)
    max = serializers.DecimalField(max_digits=12, decimal_places=2)


class OfferSerializer(serializers.ModelSerializer):
    """An offer with its frozen band, recommendation, approvals and event log."""

    status = serializers.CharField(
        read_only=True,
        help_text="draft, pending_approval, approved, sent, accepted, declined, rescinded "
        "or expired.",
    )
    decline_reason = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    adjusted_band = serializers.SerializerMethodField()
    compa_ratio = serializers.DecimalField(
        max_digits=5, decimal_places=2, read_only=True, allow_null=True
    )
    inside_band = serializers.BooleanField(read_only=True)
    required_approvals = serializers.SerializerMethodField()
    recommendation = serializers.JSONField(read_only=True)
    created_by = serializers.SerializerMethodField()
    approvals = OfferApprovalSerializer(many=True, read_only=True)
    events = OfferEventSerializer(many=True, read_only=True)
    band_update = serializers.SerializerMethodField(
        help_text="Set when the band version this offer was made under got a newer one: "
        "the old and the new figures."
    )

    class Meta:
        model = Offer
        fields = [
            "id",
            "application",
            "status",
            "base_salary",
            "sign_on_bonus",
            "equity",
            "currency",
            "start_date",
            "expires_on",
            "justification",
            "band",
            "adjusted_band",
            "compa_ratio",
            "inside_band",
            "round",
            "required_approvals",
            "recommendation",
            "decline_reason",
            "created_by",
            "created_at",
            "sent_at",
            "decided_at",
            "approvals",
            "events",
            "band_update",
        ]
        read_only_fields = fields

    @extend_schema_field(BandUpdateSerializer(allow_null=True))
    def get_band_update(self, obj: Offer) -> dict | None:
        change = band_change(obj)
        if change is None:
            return None
        return band_update_data(change.old_band, change.new_band, change.new_adjusted)

    @extend_schema_field(OfferAdjustedBandSerializer)
    def get_adjusted_band(self, obj: Offer) -> dict:
        return {"min": str(obj.adjusted_min), "max": str(obj.adjusted_max)}

    def get_required_approvals(self, obj: Offer) -> list[str]:
        return [str(r) for r in required_roles(obj)]

    def get_created_by(self, obj: Offer) -> str | None:
        return obj.created_by.get_username() if obj.created_by else None


class OfferCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1)
    base_salary = _money(
        required=False,
        allow_null=True,
        default=None,
        help_text="Empty: the recommended base.",
    )
    sign_on_bonus = _money(required=False, default=Decimal("0"))
    equity = _money(required=False, default=Decimal("0"), help_text="The grant's value.")
    start_date = serializers.DateField()
    expires_on = serializers.DateField(help_text="On or before the start date.")
    justification = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    currency = serializers.CharField(
        read_only=True, help_text="Always the band's currency (not writable)."
    )


class OfferUpdateSerializer(serializers.Serializer):
    """Fields left out stay as they are."""

    base_salary = _money(required=False)
    sign_on_bonus = _money(required=False)
    equity = _money(required=False)
    start_date = serializers.DateField(required=False)
    expires_on = serializers.DateField(required=False)
    justification = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DecisionSerializer(NoteSerializer):
    role = text_one_of(
        ["", *OfferApproval.Role.values],
        max_length=30,
        required=False,
        allow_blank=True,
        default="",
        help_text="hiring_manager or compensation_admin; empty: the role still waiting that "
        "you may fill.",
    )


@extend_schema_field({"type": "string", "maxLength": 2000, "pattern": r"\S"})
class RequiredNoteField(serializers.CharField):
    """A note that must say something (blank or only spaces: "Say why in a note.")."""

    def __init__(self, **kwargs):
        why = "Say why in a note."
        super().__init__(max_length=2000, error_messages={"required": why, "blank": why}, **kwargs)


class RequiredNoteSerializer(serializers.Serializer):
    note = RequiredNoteField()


class RejectSerializer(DecisionSerializer):
    note = RequiredNoteField()


class DeclineSerializer(NoteSerializer):
    reason = serializers.CharField(
        max_length=60,
        help_text="A decline reason code: compensation, accepted-another-offer, "
        "role-or-location, timing, other.",
    )
