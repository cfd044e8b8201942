"""/api/v1/reports/: request a report (202), follow its progress, download its file.

Runs are scoped to the user (``reports.permissions.runs_visible_to``): a hidden run
answers 404. Interviewers and users in no group get 403 everywhere. Bad input (an
unknown kind or format, a bad date, a filter naming something the user may not see)
answers 400 naming the field, and creates no run.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api_schema import binary_responses
from hiring.serializers.pipeline import ErrorSerializer
from reports import permissions as report_permissions
from reports import services
from reports.downloads import report_response
from reports.kinds import CONTENT_TYPES
from reports.serializers import ReportRequestSerializer, ReportRunSerializer

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `errors` names the field."),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed for your role."),
    404: OpenApiResponse(ErrorSerializer, description="Not found or not visible."),
}


class MayUseReports(permissions.BasePermission):
    message = report_permissions.DENIED

    def has_permission(self, request, view) -> bool:
        return report_permissions.may_use_reports(request.user)


@extend_schema_view(
    list=extend_schema(summary="Your report runs (all runs for compensation admins)"),
    retrieve=extend_schema(
        summary="One report run: status, progress, file",
        responses={200: ReportRunSerializer, **ERRORS},
    ),
)
class ReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReportRunSerializer
    permission_classes = [permissions.IsAuthenticated, MayUseReports]
    filterset_fields = ["status", "kind", "format"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return report_permissions.runs_visible_to(self.request.user).select_related("requested_by")

    @extend_schema(
        summary="Request a report; it is generated in the background",
        request=ReportRequestSerializer,
        responses={202: ReportRunSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        body = ReportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.report_request(
            actor=request.user,
            kind=body.validated_data["kind"],
            fmt=body.validated_data["format"],
            filters=body.validated_data.get("filters"),
            request=request,
        )
        return Response(ReportRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Download the report's file (recorded)",
        responses={
            **binary_responses(
                {content_type.split(";")[0] for content_type in CONTENT_TYPES.values()},
                "The report's file, as an attachment, in the format it was requested in.",
            ),
            409: OpenApiResponse(ErrorSerializer, description="Not ready yet."),
            **ERRORS,
        },
    )
    @action(detail=True, methods=["get"], url_path="download", url_name="download")
    def download(self, request: Request, pk=None):
        return report_response(self.get_object(), request)


def register(router) -> None:
    router.register("reports", ReportViewSet, basename="api-report")
