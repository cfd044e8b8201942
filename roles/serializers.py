"""API shapes for role data.

Money is a string (DRF's DecimalField); every figure cites its source.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import pay
from roles.models import Certification, Level, MarketFigure, SalaryBand, Source, Track, Zone


class SourceSerializer(serializers.ModelSerializer):
    """A citation: publisher, year (empty where the guide gives none) and detail."""

    class Meta:
        model = Source
        fields = ["publisher", "year", "detail"]
        # Sources are shared and looked up by value; uniqueness is not a client error.
        validators: list = []
        extra_kwargs = {"year": {"allow_null": True, "required": False}}

    def validate(self, attrs):
        # A citation is given whole, in a PATCH too (DRF makes nested fields optional there):
        # a source without its publisher was a 500 (found by tests/api_fuzz).
        if "publisher" not in attrs:
            raise serializers.ValidationError({"publisher": ["This field is required."]})
        return attrs


class PremiumPolicyMixin:
    """Premiums price pay: left out for users the pay policy never shows pay to."""

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = getattr(self.context.get("request"), "user", None)
        if not pay.sees_role_pay(user):
            for name in pay.ZONE_AND_TRACK_PAY_FIELDS:
                data.pop(name, None)
        return data


class TrackSerializer(PremiumPolicyMixin, serializers.ModelSerializer):
    premium_source = SourceSerializer(allow_null=True, required=False)

    class Meta:
        model = Track
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "premium_low_pct",
            "premium_high_pct",
            "premium_default_pct",
            "premium_default_note",
            "premium_source",
            "is_base_ladder",
            "display_order",
            "has_premium_figure",
        ]


class LevelSerializer(serializers.ModelSerializer):
    expected_certifications = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Certification.objects.all(), required=False
    )
    source = SourceSerializer(allow_null=True, required=False)

    class Meta:
        model = Level
        fields = [
            "id",
            "code",
            "title",
            "min_years",
            "max_years",
            "years_label",
            "summary",
            "expected_certifications",
            "source",
        ]


class ZoneSerializer(PremiumPolicyMixin, serializers.ModelSerializer):
    source = SourceSerializer(allow_null=True, required=False)

    class Meta:
        model = Zone
        fields = [
            "id",
            "slug",
            "name",
            "guide_label",
            "cities",
            "premium_low_pct",
            "premium_high_pct",
            "premium_default_pct",
            "premium_default_note",
            "is_remote",
            "salary_history_ban",
            "description",
            "source",
            "display_order",
        ]


class MarketFigureSerializer(serializers.ModelSerializer):
    source = SourceSerializer()

    class Meta:
        model = MarketFigure
        fields = [
            "id",
            "key",
            "label",
            "category",
            "value_low",
            "value_high",
            "open_ended",
            "unit",
            "period",
            "note",
            "source",
            "display_order",
        ]


class AdjustedBandSerializer(serializers.Serializer):
    min = serializers.DecimalField(max_digits=14, decimal_places=2)
    max = serializers.DecimalField(max_digits=14, decimal_places=2)
    open_ended_top = serializers.BooleanField()
    track_premium_pct = serializers.DecimalField(max_digits=5, decimal_places=2)
    zone_premium_pct = serializers.DecimalField(max_digits=5, decimal_places=2)


class BandSerializer(serializers.ModelSerializer):
    """A band version. Writes create (POST) or revise (PUT/PATCH) through the services."""

    track = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Track.objects.all(),
        allow_null=True,
        required=False,
        help_text="Track slug; null for the shared ladder.",
    )
    level = serializers.SlugRelatedField(slug_field="code", queryset=Level.objects.all())
    source = SourceSerializer()
    created_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    adjusted = serializers.SerializerMethodField()

    class Meta:
        model = SalaryBand
        fields = [
            "id",
            "track",
            "level",
            "currency",
            "base_min",
            "base_max",
            "open_ended_top",
            "effective_from",
            "effective_to",
            "is_current",
            "source",
            "supersedes",
            "change_note",
            "created_at",
            "created_by",
            "adjusted",
        ]
        read_only_fields = ["effective_to", "supersedes", "created_at"]

    @extend_schema_field(AdjustedBandSerializer(allow_null=True))
    def get_adjusted(self, band: SalaryBand) -> dict | None:
        """The band after the requested track's and zone's premiums (list with both filters)."""
        priced = self.context.get("priced", {}).get(band.pk)
        if priced is None:
            return None
        return AdjustedBandSerializer(
            {
                "min": priced.adjusted.low,
                "max": priced.adjusted.high,
                "open_ended_top": priced.adjusted.open_ended_top,
                "track_premium_pct": priced.track_pct,
                "zone_premium_pct": priced.zone_pct,
            }
        ).data


class BandReviseSerializer(serializers.Serializer):
    """A revision: the new version's values. Fields left out keep the current values."""

    base_min = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    base_max = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0)
    open_ended_top = serializers.BooleanField()
    effective_from = serializers.DateField(
        help_text="When the new version takes effect; after the current version's date."
    )
    source = SourceSerializer()
    change_note = serializers.CharField(max_length=300, allow_blank=True, required=False)

    #: A revision always says when it takes effect, a PATCH too (the view asks for it).
    schema_patch_required_fields = ("effective_from",)
