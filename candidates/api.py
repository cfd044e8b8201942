"""API for candidates, their documents and the CSV import.

The queryset is what the user may see (hidden candidates answer 404). Writes
(create, update, upload, import) are for compensation admins and recruiters.
There is no delete: erasure of personal data is a later roadmap item with its
own rules (retention, audit), not a plain DELETE.
"""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from candidates import selectors
from candidates.documents import EXTENSIONS
from candidates.downloads import document_response
from candidates.importer import candidates_import
from candidates.models import Candidate
from candidates.serializers import (
    CandidateApiErrorSerializer,
    CandidateDocumentSerializer,
    CandidateDocumentUploadSerializer,
    CandidateImportResultSerializer,
    CandidateImportUploadSerializer,
    CandidateRestrictedSerializer,
    CandidateSerializer,
    CandidateSuggestionSerializer,
)
from candidates.services import (
    candidate_create,
    candidate_update,
    document_delete,
    document_upload,
)
from core import audit, pay
from core.api_schema import binary_responses
from core.body_limit import accepts_documents
from core.errors import DomainError, NotFound, PermissionDenied
from core.limits import DOCUMENT_MAX_MB

SUGGEST_LIMIT = 8
ERRORS = {
    400: OpenApiResponse(CandidateApiErrorSerializer, description="Invalid input, named by field."),
    403: OpenApiResponse(CandidateApiErrorSerializer, description="Not allowed."),
    404: OpenApiResponse(CandidateApiErrorSerializer, description="Not found or not visible."),
}


class CandidateAccess(permissions.BasePermission):
    """Signed-in users read what they may see; compensation admins and recruiters write."""

    message = "Only compensation admins and recruiters may change candidates."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return selectors.may_edit_candidates(request.user)


class CandidateFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_q", label="Search name, email, city, skills, certifications, tags, notes"
    )
    q = django_filters.CharFilter(method="filter_q", label="Same as search (older name)")
    zone = django_filters.CharFilter(field_name="zone__slug", label="Zone slug")
    source = django_filters.ChoiceFilter(choices=Candidate.SourceChannel.choices)
    skill = django_filters.CharFilter(method="filter_skill", label="Skill slug")
    min_years = django_filters.NumberFilter(field_name="years_experience", lookup_expr="gte")
    max_years = django_filters.NumberFilter(field_name="years_experience", lookup_expr="lte")
    tag = django_filters.CharFilter(method="filter_tag")

    class Meta:
        model = Candidate
        fields = ["search", "q", "zone", "source", "skill", "min_years", "max_years", "tag"]

    def filter_q(self, queryset, name, value):
        return selectors.search(queryset, value)

    def filter_skill(self, queryset, name, value):
        return selectors.filter_skill(queryset, value)

    def filter_tag(self, queryset, name, value):
        return selectors.filter_tag(queryset, value)


@extend_schema_view(
    list=extend_schema(summary="Candidates visible to you", responses={200: CandidateSerializer}),
    retrieve=extend_schema(
        summary="One candidate (no expected/current base for interviewers)",
        responses={200: CandidateSerializer, 404: ERRORS[404]},
    ),
    create=extend_schema(
        summary="Create a candidate",
        description=(
            "A duplicate email answers 400 `duplicate_email` with `existing_id`. A possible "
            "duplicate (same phone, very similar name and email) answers 400 "
            "`possible_duplicate` with `duplicates`; send `confirm_duplicate: true` to save anyway."
        ),
        responses={201: CandidateSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    ),
    update=extend_schema(
        summary="Replace a candidate's fields",
        responses={200: CandidateSerializer, **ERRORS},
    ),
    partial_update=extend_schema(
        summary="Change some fields of a candidate",
        responses={200: CandidateSerializer, **ERRORS},
    ),
)
class CandidateViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [CandidateAccess]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = CandidateFilter
    ordering_fields = ["full_name", "email", "years_experience", "created_at", "updated_at"]
    ordering = ["full_name", "id"]
    queryset = Candidate.objects.none()

    def get_queryset(self):
        return selectors.candidate_list(self.request.user)

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False) or pay.may_ever_see_pay(self.request.user):
            return CandidateSerializer
        return CandidateRestrictedSerializer

    def get_serializer(self, *args, **kwargs):
        # The pay policy for a whole page of candidates in one query, not one per row.
        rows = args[0] if args and isinstance(args[0], list) else []
        if rows:
            context = kwargs.setdefault("context", self.get_serializer_context())
            ids = [row.pk for row in rows]
            paid = selectors.pay_visible_ids(self.request.user, ids)
            context["pay_answers"] = {pk: pk in paid for pk in ids}
        return super().get_serializer(*args, **kwargs)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit.record_list("candidate", _rows_in(response.data), request=request)
        return response

    def retrieve(self, request, *args, **kwargs):
        candidate = self.get_object()
        audit.record(audit.Action.VIEW, "candidate", candidate.pk, request=request)
        return Response(self.get_serializer(candidate).data)

    def perform_create(self, serializer):
        serializer.instance = candidate_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = candidate_update(
            candidate=serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        methods=["GET"],
        summary="The candidate's documents",
        responses={200: CandidateDocumentSerializer(many=True), 404: ERRORS[404]},
    )
    @extend_schema(
        methods=["POST"],
        summary=f"Upload a document: PDF or DOCX up to {DOCUMENT_MAX_MB} MB, checked by content",
        request={"multipart/form-data": CandidateDocumentUploadSerializer},
        responses={201: CandidateDocumentSerializer, **ERRORS},
    )
    @accepts_documents
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
        pagination_class=None,
    )
    def documents(self, request, pk=None):
        candidate = self.get_object()
        if request.method == "GET":
            documents = selectors.candidate_documents(candidate)
            data = CandidateDocumentSerializer(documents, many=True, context={"request": request})
            return Response(data.data)
        upload = CandidateDocumentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        document = document_upload(candidate=candidate, actor=request.user, **upload.validated_data)
        body = CandidateDocumentSerializer(document, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Suggestions for a candidate search box (name or email as typed)",
        description=(
            f"Up to {SUGGEST_LIMIT} candidates whose name, email or profile words start "
            "with every word of `q` (at least 2 characters). For those who add candidates "
            "to requisitions (compensation admins, recruiters)."
        ),
        parameters=[
            OpenApiParameter(
                "q",
                # 2 to 100 characters once trimmed (what the view checks).
                {"type": "string", "maxLength": 100, "pattern": r"\S[\s\S]*\S"},
                required=True,
            )
        ],
        responses={200: CandidateSuggestionSerializer(many=True), **ERRORS},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def suggest(self, request):
        if not selectors.may_edit_candidates(request.user):
            raise PermissionDenied("Only compensation admins and recruiters search to add.")
        text = (request.query_params.get("q") or "").strip()
        if len(text) < 2 or len(text) > 100:
            raise DomainError.for_field("q", "Type 2 to 100 characters to get suggestions.")
        found = selectors.suggestions(request.user, text, limit=SUGGEST_LIMIT)
        audit.record(audit.Action.SEARCH, "candidate", request=request, row_count=len(found))
        return Response(CandidateSuggestionSerializer(found, many=True).data)

    @extend_schema(
        summary="Import candidates from CSV: all rows or none",
        description=(
            "Every row is validated first. If any row fails, nothing is imported and the "
            "answer is 400 `invalid_rows` with `errors` keyed `row N` (the header is row 1)."
        ),
        request={"multipart/form-data": CandidateImportUploadSerializer},
        responses={201: CandidateImportResultSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    @accepts_documents
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
        pagination_class=None,
    )
    def import_csv(self, request):
        upload = CandidateImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        created = candidates_import(actor=request.user, **upload.validated_data)
        body = {"count": len(created), "ids": [c.pk for c in created]}
        return Response(body, status=status.HTTP_201_CREATED)


def _rows_in(data) -> int:
    """How many rows a (possibly paginated) list answer carries."""
    return len(data["results"]) if isinstance(data, dict) else len(data)


class DocumentDownloadView(APIView):
    """The file, as an attachment, if you may see its candidate (else 404)."""

    @extend_schema(
        summary="Download a candidate document",
        responses={
            **binary_responses(EXTENSIONS, "The file, as an attachment, in its checked type."),
            404: ERRORS[404],
        },
    )
    def get(self, request, pk: int):
        document = selectors.documents_visible_to(request.user).filter(pk=pk).first()
        if document is None:
            raise NotFound("No such document.")
        return document_response(document, request=request)


class DocumentView(APIView):
    """Delete a document: the row, and its stored file once committed."""

    @extend_schema(
        summary="Delete a candidate document (and its file)",
        responses={204: None, 403: ERRORS[403], 404: ERRORS[404]},
    )
    def delete(self, request, pk: int):
        document = selectors.documents_visible_to(request.user).filter(pk=pk).first()
        if document is None:
            raise NotFound("No such document.")
        document_delete(document=document, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
