"""POST /api/v1/recommendations/: the recommended base for an application or raw inputs.

Who may ask is the pay policy (``core.pay``): raw inputs need the role data's
pay (compensation admins, recruiters, hiring managers); an application must be
visible to the user (a hidden id is a 400 naming ``application``, as hiring's
create does) and its requisition's pay visible to them (else 403). The answer is
exactly ``offers.recommendation.Recommendation.as_dict()``; nothing is written.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import pay
from core.errors import DomainError, PermissionDenied
from hiring.models import Requisition
from hiring.permissions import applications_visible_to, sees_requisition_pay
from hiring.serializers.pipeline import ErrorSerializer
from offers import selectors
from roles import snapshot

MAX_AMOUNT = Decimal("10000000")
MAX_YEARS = Decimal("60")
MAX_CERTIFICATIONS = 20
MAX_ID = 2**63 - 1
#: The raw inputs: sent instead of ``application``, never beside it.
RAW_FIELDS = (
    "track",
    "level",
    "zone",
    "remote_policy",
    "years_experience",
    "certifications",
    "expected_base",
    "current_base",
)
RAW_REQUIRED = ("track", "level", "zone", "years_experience")
EITHER_MESSAGE = (
    "Send either an application id or the raw inputs (track, level, zone, years_experience "
    "and the optional remote_policy, certifications, expected_base, current_base), not both."
)


def amount_field(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        required=False,
        allow_null=True,
        coerce_to_string=False,
        help_text=f"{help_text} Positive, at most 10,000,000, in the band's currency.",
    )


def _role_data(context: dict) -> snapshot.RoleData:
    """The request's one read of the role data (the view passes it in the context)."""
    if "role_data" not in context:
        context["role_data"] = snapshot.current()
    return context["role_data"]


@extend_schema_field(OpenApiTypes.STR)
class RoleDataField(serializers.Field):
    """A track, level or zone named by its slug (code), read from the role data in memory
    (``roles.snapshot``) instead of a query per field."""

    default_error_messages = {
        "invalid": "Send the {kind} as text.",
        "unknown": "Unknown {kind}: {value}.",
    }

    def __init__(self, table: str, kind: str, **kwargs) -> None:
        self.table, self.kind = table, kind
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid", kind=self.kind)
        row = getattr(_role_data(self.context), self.table).get(data.strip())
        if row is None:
            self.fail("unknown", kind=self.kind, value=data.strip()[:60])
        return row

    def to_representation(self, value) -> str:
        return value.code if self.kind == "level" else value.slug


class RecommendationInputSerializer(serializers.Serializer):
    """Either ``application`` (with optional ``competing_offer_base``, ``as_of``) or raw inputs."""

    application = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="An application id visible to you.",
    )
    track = RoleDataField(
        "tracks", "track", required=False, help_text="Raw inputs: a track slug, e.g. ai-engineer."
    )
    level = RoleDataField(
        "levels_by_code", "level", required=False, help_text="Raw inputs: a level code, L1 to L5."
    )
    zone = RoleDataField(
        "zones",
        "zone",
        required=False,
        help_text="Raw inputs: a zone slug, e.g. national. A remote role pays the remote zone.",
    )
    remote_policy = serializers.ChoiceField(
        choices=Requisition.RemotePolicy.choices,
        required=False,
        help_text="Raw inputs: onsite, hybrid (the default) or remote.",
    )
    years_experience = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=MAX_YEARS,
        required=False,
        coerce_to_string=False,
        help_text="Raw inputs: the candidate's years of experience, 0 to 60.",
    )
    certifications = serializers.ListField(
        child=serializers.SlugField(max_length=80),
        required=False,
        max_length=MAX_CERTIFICATIONS,
        help_text="Raw inputs: certification slugs the candidate holds.",
    )
    expected_base = amount_field("Raw inputs: the candidate's expected base.")
    competing_offer_base = amount_field("A competing offer's base, if any.")
    current_base = amount_field("Raw inputs: accepted and never used (pay equity).")
    as_of = serializers.DateField(
        required=False, help_text="The date whose band applies (default: today)."
    )

    def validate_certifications(self, value: list[str]) -> list[str]:
        slugs = list(dict.fromkeys(value))
        if not slugs:
            return slugs
        known = _role_data(self.context).certifications
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            raise serializers.ValidationError(f"Unknown certification: {', '.join(unknown)}.")
        return slugs

    def validate(self, attrs: dict) -> dict:
        raw = [name for name in RAW_FIELDS if name in self.initial_data]
        if "application" in attrs and raw:
            raise serializers.ValidationError(
                {name: [EITHER_MESSAGE] for name in ("application", *raw)}
            )
        if "application" not in attrs:
            if not raw:
                raise serializers.ValidationError({"application": [EITHER_MESSAGE]})
            missing = [name for name in RAW_REQUIRED if attrs.get(name) is None]
            if missing:
                raise serializers.ValidationError(
                    {name: ["This field is required with the raw inputs."] for name in missing}
                )
        return attrs


def _request_variant(name: str, fields: tuple[str, ...], required: tuple[str, ...]) -> type:
    """One of the two bodies the input serializer takes, for the schema only: its fields,
    copied, with the ones that body needs required."""
    declared = RecommendationInputSerializer._declared_fields
    attrs = {field: copy.deepcopy(declared[field]) for field in fields}
    for field in required:
        # A serializer re-creates its fields from their arguments (``Field.__deepcopy__``).
        attrs[field]._kwargs["required"] = True
    return type(name, (serializers.Serializer,), attrs)


#: The request as the schema says it: an application, or the raw inputs (``oneOf``).
RECOMMENDATION_REQUEST = PolymorphicProxySerializer(
    component_name="RecommendationInput",
    serializers=[
        _request_variant(
            "RecommendationForApplication",
            ("application", "competing_offer_base", "as_of"),
            required=("application",),
        ),
        _request_variant(
            "RecommendationFromInputs",
            (*RAW_FIELDS, "competing_offer_base", "as_of"),
            required=RAW_REQUIRED,
        ),
    ],
    resource_type_field_name=None,
)


class RecommendationBandSerializer(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField()
    open_ended = serializers.BooleanField(help_text="The guide's top is a '+': not a ceiling.")
    currency = serializers.CharField()
    effective_from = serializers.DateField()
    source = serializers.CharField()


class RecommendationAdjustmentSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="track or zone.")
    range = serializers.CharField(help_text="The guide's range, e.g. '5-10 %'; empty if none.")
    applied = serializers.FloatField(help_text="The percent applied.")
    source = serializers.CharField()


class RecommendationAdjustedBandSerializer(serializers.Serializer):
    min = serializers.IntegerField()
    max = serializers.IntegerField()


class RecommendationWarningSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="expectation_above_band, experience_below_level, experience_above_level, "
        "open_ended_band or missing_certification."
    )
    message = serializers.CharField()


class RecommendationMarketReferenceSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value_low = serializers.IntegerField()
    value_high = serializers.IntegerField(allow_null=True)
    open_ended = serializers.BooleanField()
    unit = serializers.CharField()
    source = serializers.CharField()


class RecommendationResultSerializer(serializers.Serializer):
    """The recommendation, every figure traced to the guide (amounts are whole units)."""

    track = serializers.CharField()
    level = serializers.CharField()
    zone = serializers.CharField(help_text="The zone whose premium applies (remote: the remote).")
    suggested_level = serializers.CharField(allow_null=True)
    band = RecommendationBandSerializer()
    adjustments = RecommendationAdjustmentSerializer(many=True)
    adjusted_band = RecommendationAdjustedBandSerializer()
    position = serializers.FloatField(help_text="0 to 1: how far through the level.")
    recommended_base = serializers.IntegerField()
    compa_ratio = serializers.FloatField(help_text="Recommended / adjusted midpoint.")
    warnings = RecommendationWarningSerializer(many=True)
    explanation = serializers.ListField(child=serializers.CharField())
    market_references = RecommendationMarketReferenceSerializer(many=True)


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `errors` names the field."),
    403: OpenApiResponse(ErrorSerializer, description="You may not see this pay."),
    422: OpenApiResponse(
        ErrorSerializer, description="`no_band`: the guide gives no band for the track."
    ),
}


class RecommendationView(APIView):
    @extend_schema(
        summary="A recommended base salary, explained",
        description=(
            "Send `application` (an id visible to you, with optional `competing_offer_base` "
            "and `as_of`) or the raw inputs (`track`, `level`, `zone`, `years_experience`, "
            "optional `remote_policy`, `certifications`, `expected_base`, `current_base`, "
            "`competing_offer_base`, `as_of`). The current base is never used. Nothing is "
            "written."
        ),
        request=RECOMMENDATION_REQUEST,
        responses={200: RecommendationResultSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Raw inputs",
                value={
                    "track": "ai-engineer",
                    "level": "L3",
                    "zone": "national",
                    "years_experience": 7.5,
                },
                request_only=True,
            ),
            OpenApiExample("An application", value={"application": 42}, request_only=True),
        ],
    )
    def post(self, request: Request) -> Response:
        # Asked first so that someone who may not see pay learns nothing from validation.
        if not pay.sees_role_pay(request.user):
            raise PermissionDenied(pay.DENIED_MESSAGE)
        role_data = snapshot.current()  # one read of the role data for the whole request
        serializer = RecommendationInputSerializer(
            data=request.data, context={"role_data": role_data}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "application" in data:
            application = _application(request.user, data["application"])
            recommended = selectors.recommend_for_application(
                application,
                competing_offer_base=data.get("competing_offer_base"),
                as_of=data.get("as_of"),
                role_data=role_data,
                certifications=selectors.certification_slugs(application.candidate_id),
            )
        else:
            recommended = selectors.recommend_for(
                track=data["track"],
                level=data["level"],
                zone=data["zone"],
                remote_policy=data.get("remote_policy", Requisition.RemotePolicy.HYBRID),
                years_experience=data["years_experience"],
                certifications=data.get("certifications", []),
                expected_base=data.get("expected_base"),
                competing_offer_base=data.get("competing_offer_base"),
                current_base=data.get("current_base"),  # accepted, never used
                as_of=data.get("as_of"),
                role_data=role_data,
            )
        return Response(recommended.result.as_dict())


def _application(user, pk: int):
    application = (
        applications_visible_to(user)
        .select_related(*selectors.APPLICATION_RELATED)
        .only(*selectors.APPLICATION_FIELDS)
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise DomainError.for_field("application", "No such application.")
    if not sees_requisition_pay(user, application.requisition):
        raise PermissionDenied(pay.DENIED_MESSAGE)
    return application


urlpatterns: list = [
    path("recommendations/", RecommendationView.as_view(), name="api-recommendations"),
]
