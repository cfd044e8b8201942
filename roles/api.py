"""Role data API: read for every signed-in user, write for compensation admins.

Pay follows the one pay policy (``core.pay``): bands answer 403 to users who
never see pay (interviewers, users in no group); for them, tracks and zones come
without their premiums and market figures without the money ones. Levels,
years and expectations stay visible to everyone.

Views stay thin: the serializers validate the shape, the services write.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.response import Response

from core import pay
from core.api import ReadSignedInWriteCompensationAdmins
from core.errors import DomainError
from roles import services
from roles.filters import BAND_FILTER_PARAMETERS, parse_band_filters
from roles.models import Level, MarketFigure, SalaryBand, Track, Zone
from roles.selectors import bands_applying_to, price_version
from roles.serializers import (
    BandReviseSerializer,
    BandSerializer,
    LevelSerializer,
    MarketFigureSerializer,
    TrackSerializer,
    ZoneSerializer,
)


class RolePayAccess(ReadSignedInWriteCompensationAdmins):
    """Band versions are pay: read as the pay policy allows, written by compensation admins."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            self.message = ReadSignedInWriteCompensationAdmins.message
            return False
        self.message = pay.DENIED_MESSAGE
        return pay.sees_role_pay(request.user)


SOURCE_FIELDS = {
    Track: "premium_source",
    Level: "source",
    Zone: "source",
    MarketFigure: "source",
}


class RoleDataViewSet(viewsets.ModelViewSet):
    """Create, update and delete go through ``roles.services`` with the actor recorded."""

    permission_classes = [ReadSignedInWriteCompensationAdmins]

    def perform_create(self, serializer):
        fields = self._fields(serializer.validated_data)
        serializer.instance = services.record_create(
            model=self.queryset.model, fields=fields, actor=self.request.user
        )

    def perform_update(self, serializer):
        fields = self._fields(serializer.validated_data)
        serializer.instance = services.record_update(
            instance=serializer.instance, fields=fields, actor=self.request.user
        )

    def perform_destroy(self, instance):
        services.record_delete(instance=instance, actor=self.request.user)

    def _fields(self, data: dict) -> dict:
        data = dict(data)
        name = SOURCE_FIELDS[self.queryset.model]
        if name in data:
            spec = data.pop(name)
            data[name] = None if spec is None else services.source_get_or_create(**spec)
        return data


@extend_schema_view(
    list=extend_schema(summary="Tracks (role families) and their premium over the base ladder")
)
class TrackViewSet(RoleDataViewSet):
    queryset = Track.objects.select_related("premium_source")
    serializer_class = TrackSerializer
    lookup_field = "slug"
    search_fields = ["slug", "name"]
    ordering_fields = ["display_order", "name"]


@extend_schema_view(list=extend_schema(summary="Levels L1-L5 with years and expectations"))
class LevelViewSet(RoleDataViewSet):
    queryset = Level.objects.select_related("source").prefetch_related("expected_certifications")
    serializer_class = LevelSerializer
    lookup_field = "code"
    search_fields = ["code", "title"]
    ordering_fields = ["min_years", "code"]


@extend_schema_view(list=extend_schema(summary="Pay zones and their location premium"))
class ZoneViewSet(RoleDataViewSet):
    queryset = Zone.objects.select_related("source")
    serializer_class = ZoneSerializer
    lookup_field = "slug"
    search_fields = ["slug", "name", "cities"]
    ordering_fields = ["display_order", "name"]


@extend_schema_view(list=extend_schema(summary="The guide's other figures, each with its source"))
class MarketFigureViewSet(RoleDataViewSet):
    queryset = MarketFigure.objects.select_related("source")

    def get_queryset(self):
        qs = super().get_queryset()
        if pay.sees_role_pay(self.request.user):
            return qs
        return qs.exclude(unit__in=MarketFigure.MONEY_UNITS)

    serializer_class = MarketFigureSerializer
    lookup_field = "key"
    search_fields = ["key", "label", "category"]
    filterset_fields = ["category", "unit"]
    ordering_fields = ["category", "display_order", "key"]


BAND_WRITE_RESPONSES = {
    201: BandSerializer,
    400: OpenApiResponse(description="Invalid values; `errors` names each field."),
    409: OpenApiResponse(
        description="A stored version of that track and level already covers the dates "
        "(`band_overlap`), or the version was already closed by another revision."
    ),
}


@extend_schema_view(
    list=extend_schema(
        summary="Band versions",
        parameters=BAND_FILTER_PARAMETERS,
        responses={200: BandSerializer(many=True), 400: OpenApiResponse(description="Bad filter")},
    ),
    create=extend_schema(summary="Create a band version", responses=BAND_WRITE_RESPONSES),
    update=extend_schema(
        summary="Revise: close this version and open a new one",
        request=BandReviseSerializer,
        responses=BAND_WRITE_RESPONSES,
    ),
    partial_update=extend_schema(
        summary="Revise: close this version and open a new one (omitted fields carried over)",
        request=BandReviseSerializer,
        responses=BAND_WRITE_RESPONSES,
    ),
)
class SalaryBandViewSet(viewsets.ModelViewSet):
    """Band versions. A revision returns the NEW version (201); the old one stays, closed."""

    queryset = SalaryBand.objects.select_related("track", "level", "source", "created_by")
    serializer_class = BandSerializer
    permission_classes = [RolePayAccess]
    # No DELETE at all, so that the schema and the Allow header do not offer one.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["effective_from", "base_min"]

    def get_queryset(self):
        qs = super().get_queryset()
        if self.action != "list":
            return qs
        filters = parse_band_filters(self.request.query_params)
        if filters.track is not None:
            qs = qs & bands_applying_to(filters.track)
        elif filters.track_given:
            qs = qs.filter(track__isnull=True)
        if filters.level is not None:
            qs = qs.filter(level=filters.level)
        if filters.as_of is not None:
            qs = qs.in_effect(filters.as_of)
        self._filters = filters
        return qs

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "priced": getattr(self, "_priced", {})}

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        zone = self._filters.zone
        if zone is not None:
            self._priced = {
                band.pk: price_version(band=band, track=self._filters.track, zone=zone)
                for band in rows
            }
        serializer = self.get_serializer(rows, many=True)
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.band_create(
            track=data.get("track"),
            level=data["level"],
            currency=data.get("currency", "USD"),
            base_min=data["base_min"],
            base_max=data["base_max"],
            open_ended_top=data.get("open_ended_top", False),
            effective_from=data["effective_from"],
            source=services.source_get_or_create(**data["source"]),
            change_note=data.get("change_note", ""),
            actor=self.request.user,
        )

    def update(self, request, *args, **kwargs):
        band = self.get_object()
        partial = kwargs.get("partial", False)
        serializer = BandReviseSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "effective_from" not in data:
            raise DomainError.for_field(
                "effective_from",
                "A revision needs the date the new version takes effect.",
                code="required",
            )
        source = (
            services.source_get_or_create(**data["source"]) if "source" in data else band.source
        )
        new = services.band_revise(
            band=band,
            base_min=data.get("base_min", band.base_min),
            base_max=data.get("base_max", band.base_max),
            open_ended_top=data.get("open_ended_top", band.open_ended_top),
            effective_from=data["effective_from"],
            source=source,
            change_note=data.get("change_note", ""),
            actor=request.user,
        )
        return Response(self.get_serializer(new).data, status=status.HTTP_201_CREATED)

    def http_method_not_allowed(self, request, *args, **kwargs):
        detail = None
        if request.method == "DELETE":
            detail = "Band versions are history and cannot be deleted; revise the band instead."
        raise MethodNotAllowed(request.method, detail=detail)
