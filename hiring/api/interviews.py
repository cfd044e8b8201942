"""API for interviews and scorecards (owned by the interviews work).

Querysets are scoped by ``hiring.selectors.interviews``: a hidden interview or
scorecard answers 404, and a scorecard list never holds what the user may not
read (others' scorecards stay hidden until you submit your own). Writes call
the services in ``hiring.services.interviews``.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import IdFilter
from core.errors import DomainError, PermissionDenied
from hiring.models import Interview, Scorecard
from hiring.permissions import applications_visible_to
from hiring.selectors.interviews import (
    has_hiring_role,
    interviews_visible_to,
    may_schedule,
    may_schedule_any,
    scorecards_visible_to,
    upcoming,
)
from hiring.serializers.interviews import (
    InterviewCreateSerializer,
    InterviewSerializer,
    InterviewUpdateSerializer,
    ScorecardCreateSerializer,
    ScorecardSerializer,
)
from hiring.serializers.pipeline import ErrorSerializer
from hiring.services.interviews import (
    interview_cancel,
    interview_schedule,
    interview_update,
    scorecard_submit,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input, naming the field."),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed."),
    404: OpenApiResponse(ErrorSerializer, description="Not found or not visible."),
}


def register(router) -> None:
    """Register this module's viewsets on the v1 router."""
    router.register("interviews", InterviewViewSet, basename="interview")
    router.register("scorecards", ScorecardViewSet, basename="scorecard")


def extra_urls() -> list:
    """Non-router URL patterns of this module (mounted under /api/v1/)."""
    return []


class InterviewFilter(django_filters.FilterSet):
    application = IdFilter(field_name="application_id")
    upcoming = django_filters.BooleanFilter(
        method="filter_upcoming", label="Only interviews that have not started yet."
    )

    class Meta:
        model = Interview
        fields = ["application", "upcoming"]

    def filter_upcoming(self, queryset, name, value):
        return upcoming(queryset) if value else queryset


class ScorecardFilter(django_filters.FilterSet):
    interview = IdFilter(field_name="interview_id")

    class Meta:
        model = Scorecard
        fields = ["interview"]


@extend_schema_view(
    list=extend_schema(summary="Interviews visible to you"),
    retrieve=extend_schema(summary="One interview"),
)
class InterviewViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = InterviewSerializer
    filterset_class = InterviewFilter
    search_fields = ["round_name", "application__candidate__full_name"]
    ordering_fields = ["starts_at", "created_at"]
    ordering = ["starts_at", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return interviews_visible_to(self.request.user).order_by("starts_at", "id")

    @extend_schema(
        summary="Schedule an interview on an active application",
        request=InterviewCreateSerializer,
        responses={201: InterviewSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        if not may_schedule_any(request.user):
            raise PermissionDenied(
                "Only recruiters, compensation admins and hiring managers schedule interviews."
            )
        serializer = InterviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        application = applications_visible_to(request.user).filter(pk=data.pop("application"))
        application = application.select_related("requisition").first()
        if application is None:
            raise DomainError.for_field("application", "No such application.")
        interview = interview_schedule(application=application, actor=request.user, **data)
        return Response(self._shaped(interview), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Reschedule: change the round, panel, time, length or place",
        request=InterviewUpdateSerializer,
        responses={200: InterviewSerializer, **ERRORS},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        interview = self.get_object()
        if not may_schedule(request.user, interview.application):
            raise PermissionDenied("You may not change interviews on this application.")
        serializer = InterviewUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        interview = interview_update(
            interview=interview, actor=request.user, **serializer.validated_data
        )
        return Response(self._shaped(interview))

    @extend_schema(
        summary="Cancel an interview nobody has scored yet",
        responses={
            204: None,
            409: OpenApiResponse(ErrorSerializer, description="It has scorecards."),
            **ERRORS,
        },
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        interview = self.get_object()
        interview_cancel(interview=interview, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _shaped(self, interview: Interview) -> dict:
        return InterviewSerializer(self.get_queryset().get(pk=interview.pk)).data


@extend_schema_view(
    list=extend_schema(
        summary="Scorecards visible to you",
        description="Others' scorecards on an interview you sit on appear once you submit yours.",
    ),
    retrieve=extend_schema(summary="One scorecard"),
)
class ScorecardViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ScorecardSerializer
    filterset_class = ScorecardFilter
    ordering_fields = ["submitted_at"]
    ordering = ["submitted_at", "id"]

    def get_queryset(self):
        return scorecards_visible_to(self.request.user).order_by("submitted_at", "id")

    @extend_schema(
        summary="Submit your own scorecard for an interview you sit on (once)",
        request=ScorecardCreateSerializer,
        responses={
            201: ScorecardSerializer,
            409: OpenApiResponse(ErrorSerializer, description="Already submitted."),
            **ERRORS,
        },
    )
    def create(self, request: Request) -> Response:
        if not has_hiring_role(request.user):
            raise PermissionDenied("Only interviewers assigned to an interview submit scorecards.")
        serializer = ScorecardCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        interview = interviews_visible_to(request.user).filter(pk=data.pop("interview")).first()
        if interview is None:
            raise DomainError.for_field("interview", "No such interview.")
        card = scorecard_submit(
            interview=interview, interviewer=request.user, actor=request.user, **data
        )
        shaped = self.get_queryset().get(pk=card.pk)
        return Response(ScorecardSerializer(shaped).data, status=status.HTTP_201_CREATED)
