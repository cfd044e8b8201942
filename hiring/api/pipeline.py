"""API for requisitions and applications (owned by the pipeline work).

Querysets are scoped to what the user may see (``hiring.permissions``): a
hidden object answers 404. Writes call the services; the serializer is chosen
by whether the user may see pay.
"""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core import audit, pay
from core.api import IdFilter
from core.errors import DomainError, PermissionDenied
from hiring import permissions
from hiring.models import Application, Requisition, Stage
from hiring.permissions import requisitions_visible_to
from hiring.selectors import pipeline as selectors
from hiring.serializers import pipeline as serializers
from hiring.services.applications import application_create, application_move
from hiring.services.requisitions import requisition_create, requisition_update

ERRORS = {
    400: OpenApiResponse(serializers.ErrorSerializer, description="Invalid input."),
    403: OpenApiResponse(serializers.ErrorSerializer, description="Not allowed."),
    404: OpenApiResponse(serializers.ErrorSerializer, description="Not found or not visible."),
}


def register(router) -> None:
    """Register this module's viewsets on the v1 router."""
    router.register("requisitions", RequisitionViewSet, basename="requisition")
    router.register("applications", ApplicationViewSet, basename="application")


def extra_urls() -> list:
    """Non-router URL patterns of this module (mounted under /api/v1/)."""
    return []


class RequisitionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Requisition.Status.choices)
    track = django_filters.CharFilter(field_name="track__slug")
    level = django_filters.CharFilter(field_name="level__code")
    zone = django_filters.CharFilter(field_name="zone__slug")
    hiring_manager = IdFilter(field_name="hiring_manager_id")
    recruiter = IdFilter(field_name="recruiter_id")

    class Meta:
        model = Requisition
        fields = ["status", "track", "level", "zone", "hiring_manager", "recruiter"]


@extend_schema_view(
    list=extend_schema(summary="Requisitions visible to you"),
    retrieve=extend_schema(summary="One requisition"),
    create=extend_schema(summary="Create a requisition (posted range from the band)"),
    update=extend_schema(summary="Update a requisition"),
    partial_update=extend_schema(summary="Update some fields or the status"),
)
class RequisitionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Requisitions. There is no delete: cancel with ``status: cancelled``."""

    filterset_class = RequisitionFilter
    search_fields = ["title", "track__name"]
    ordering_fields = ["created_at", "title", "status", "target_on"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return requisitions_visible_to(self.request.user).select_related(
            "track", "level", "zone", "band"
        )

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):
            return serializers.RequisitionSerializer
        if pay.may_ever_see_pay(self.request.user):
            return serializers.RequisitionSerializer
        return serializers.RequisitionPublicSerializer

    def create(self, request: Request, *args, **kwargs) -> Response:
        # Asked first so that someone who may not create learns nothing from validation.
        if not permissions.can_create_requisition(request.user):
            raise PermissionDenied(
                "Only recruiters, compensation admins and hiring managers create requisitions."
            )
        serializer = serializers.RequisitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        requisition = requisition_create(actor=request.user, **serializer.validated_data)
        body = serializers.RequisitionSerializer(requisition, context=self.get_serializer_context())
        return Response(body.data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        requisition = self.get_object()
        if not permissions.can_edit_requisition(request.user, requisition):
            raise PermissionDenied("You may not change this requisition.")
        serializer = serializers.RequisitionSerializer(
            requisition, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        requisition = requisition_update(
            requisition=requisition, actor=request.user, **serializer.validated_data
        )
        body = serializers.RequisitionSerializer(requisition, context=self.get_serializer_context())
        return Response(body.data)

    @extend_schema(
        summary="The requisition's generated job description",
        description="Built from the role data. The pay section is left out for those who may "
        "not see pay.",
        responses={200: serializers.JobDescriptionSerializer, 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], url_path="job-description")
    def job_description(self, request: Request, pk: str | None = None) -> Response:
        requisition = self.get_object()
        jd = selectors.job_description(
            requisition, include_pay=permissions.sees_requisition_pay(request.user, requisition)
        )
        return Response(serializers.JobDescriptionSerializer(jd).data)


class ApplicationFilter(django_filters.FilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    requisition = IdFilter(field_name="requisition_id")
    candidate = IdFilter(field_name="candidate_id")

    class Meta:
        model = Application
        fields = ["requisition", "stage", "candidate"]


@extend_schema_view(
    list=extend_schema(summary="Applications visible to you"),
    retrieve=extend_schema(summary="One application, with its level fit"),
)
class ApplicationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    filterset_class = ApplicationFilter
    search_fields = ["candidate__full_name", "candidate__email", "requisition__title"]
    ordering_fields = ["stage_entered_at", "created_at", "stage"]
    ordering = ["-stage_entered_at", "-id"]

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):
            return serializers.ApplicationSerializer
        if pay.may_ever_see_pay(self.request.user):
            return serializers.ApplicationSerializer
        return serializers.ApplicationPublicSerializer

    def list(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        selectors.attach_level_fit(rows)
        data = self.get_serializer(rows, many=True).data
        audit.record_list("candidate", len(rows), request=request)
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        application = self.get_object()
        selectors.attach_level_fit([application])
        audit.record(audit.Action.VIEW, "candidate", application.candidate_id, request=request)
        return Response(self.get_serializer(application).data)

    @extend_schema(
        summary="Add a candidate to a requisition",
        request=serializers.ApplicationCreateSerializer,
        responses={201: serializers.ApplicationSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        # Asked first so that someone who may not add learns nothing from validation.
        if not permissions.can_add_application(request.user):
            raise PermissionDenied("Only recruiters and compensation admins add candidates.")
        serializer = serializers.ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        requisition = requisitions_visible_to(request.user).filter(pk=data["requisition"]).first()
        if requisition is None:
            raise DomainError.for_field("requisition", "No such requisition.")
        application = application_create(
            candidate=data["candidate"],
            requisition=requisition,
            actor=request.user,
            stage=data["stage"],
        )
        return Response(self._shaped(application), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move an application to another stage",
        description=(
            "Send the stage you saw as `expected_stage`. If the application moved meanwhile the "
            "answer is 409 with `current_stage`, and nothing is written; so is a move the stage "
            "it is at forbids (code `move_not_allowed`, with `allowed_stages`)."
        ),
        request=serializers.MoveSerializer,
        responses={
            200: serializers.MoveResultSerializer,
            409: OpenApiResponse(
                serializers.ConflictSerializer,
                description="Moved meanwhile, or its stage forbids this move.",
            ),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        serializer = serializers.MoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        change = application_move(
            application=application,
            to_stage=data["to_stage"],
            expected_stage=data["expected_stage"],
            actor=request.user,
            reason=data["reason"] or None,
            note=data["note"],
        )
        return Response(
            {
                "application": self._shaped(application),
                "stage_change": serializers.StageChangeSerializer(change).data,
            }
        )

    @extend_schema(
        summary="The application's stage history, oldest first",
        responses={200: serializers.StageChangeSerializer(many=True), 404: ERRORS[404]},
    )
    @action(detail=True, methods=["get"], url_path="stage-changes", pagination_class=None)
    def stage_changes(self, request: Request, pk: str | None = None) -> Response:
        application = self.get_object()
        history = selectors.stage_history(application_ids=[application.pk]).order_by("at", "id")
        return Response(serializers.StageChangeSerializer(history, many=True).data)

    def _shaped(self, application: Application) -> dict:
        fresh = self.get_queryset().get(pk=application.pk)
        selectors.attach_level_fit([fresh])
        shape = self.get_serializer_class()
        return shape(fresh, context=self.get_serializer_context()).data
