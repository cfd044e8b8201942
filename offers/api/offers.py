"""/api/v1/offers/ and its actions.

The queryset is scoped to the offers the user may see (the pay policy: those
who see the requisition's pay), so a hidden offer answers 404. Every write and
action calls one service, which checks the actor (403) and the offer's status
(409 ``invalid_state`` naming the status and the allowed actions).
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import IdFilter
from core.errors import DomainError, PermissionDenied
from hiring.permissions import applications_visible_to
from hiring.serializers.pipeline import ErrorSerializer
from offers import letters, permissions, services
from offers.api import serializers
from offers.models import Offer, OfferApproval, OfferEvent
from offers.states import OfferStatus

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input: `errors` names each field."),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed for your role."),
    404: OpenApiResponse(ErrorSerializer, description="Not found or not visible."),
}
INVALID_STATE = OpenApiResponse(
    ErrorSerializer,
    description="The offer's status does not allow this action now "
    "(code `invalid_state`, with `status` and `allowed_actions`).",
)
CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description="The offer's status does not allow this action now (code `invalid_state`, "
    "with `status` and `allowed_actions`), or that role's decision was recorded meanwhile.",
)


class PDFRenderer(BaseRenderer):
    """Lets a client ask for ``application/pdf``; an error still answers the JSON shape."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


def register(router) -> None:
    """Register this module's viewsets on the router."""
    router.register("offers", OfferViewSet, basename="offer")


class OfferFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=OfferStatus.choices)
    application = IdFilter(field_name="application_id")

    class Meta:
        model = Offer
        fields = ["status", "application"]


def _action_schema(summary: str, request, description: str = "", conflict: bool = False):
    conflict_answer = CONFLICT if conflict else INVALID_STATE
    responses = {200: serializers.OfferSerializer, **ERRORS, 409: conflict_answer}
    return extend_schema(
        summary=summary, description=description, request=request, responses=responses
    )


@extend_schema_view(
    list=extend_schema(summary="Offers visible to you (the requisition's pay policy)"),
    retrieve=extend_schema(
        summary="One offer with its band, recommendation, approvals and events",
        responses={200: serializers.OfferSerializer, 404: ERRORS[404]},
    ),
)
class OfferViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Offers. There is no delete: rescind instead."""

    serializer_class = serializers.OfferSerializer
    filterset_class = OfferFilter
    search_fields = ["application__candidate__full_name", "application__requisition__title"]
    ordering_fields = ["created_at", "expires_on", "status", "base_salary"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return (
            permissions.offers_visible_to(self.request.user)
            .select_related("application__requisition", "band", "created_by", "decline_reason")
            .prefetch_related(
                Prefetch("events", OfferEvent.objects.select_related("actor")),
                Prefetch("approvals", OfferApproval.objects.select_related("approver")),
            )
        )

    @extend_schema(
        summary="Draft an offer from the recommendation",
        description=(
            "The application must be at the offer stage on an open requisition. The base "
            "defaults to the recommended base; the band version, the adjusted band and the "
            "recommendation shown are frozen on the offer; the currency is the band's."
        ),
        request=serializers.OfferCreateSerializer,
        responses={
            201: serializers.OfferSerializer,
            422: OpenApiResponse(ErrorSerializer, description="The guide gives no band."),
            **ERRORS,
        },
    )
    def create(self, request: Request) -> Response:
        # Asked first so that someone who may not create learns nothing from validation.
        if not permissions.can_manage_offers(request.user):
            raise PermissionDenied(services.MANAGE_DENIED)
        serializer = serializers.OfferCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        application = (
            applications_visible_to(request.user)
            .select_related("requisition", "candidate")
            .filter(pk=data.pop("application"))
            .first()
        )
        if application is None:
            raise DomainError.for_field("application", "No such application.")
        offer = services.offer_create(application=application, actor=request.user, **data)
        return Response(self._shaped(offer), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a draft, or an offer not yet sent",
        description=(
            "Amounts, dates and justification. After submission, a changed amount returns the "
            "offer for approval in a new round. Sent and closed offers cannot change."
        ),
        request=serializers.OfferUpdateSerializer,
        responses={200: serializers.OfferSerializer, **ERRORS, 409: INVALID_STATE},
    )
    def update(self, request: Request, pk: str | None = None, partial: bool = False) -> Response:
        offer = self.get_object()
        serializer = serializers.OfferUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        offer = services.offer_update(offer=offer, actor=request.user, **serializer.validated_data)
        return Response(self._shaped(offer))

    @extend_schema(
        summary="Change some fields of an offer not yet sent",
        request=serializers.OfferUpdateSerializer,
        responses={200: serializers.OfferSerializer, **ERRORS, 409: INVALID_STATE},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk=pk, partial=True)

    @_action_schema(
        "Submit for approval",
        serializers.NoteSerializer,
        "The hiring manager approves; outside the adjusted band a compensation admin too, "
        "and a justification is required.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        data = self._body(serializers.NoteSerializer)
        offer = services.offer_submit(offer=self.get_object(), actor=request.user, **data)
        return Response(self._shaped(offer))

    @_action_schema(
        "Approve for your role",
        serializers.DecisionSerializer,
        "Nobody approves an offer they drafted (403). The offer is approved once every "
        "required role has approved in the current round.",
        conflict=True,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        data = self._body(serializers.DecisionSerializer)
        services.offer_approve(
            offer=self.get_object(),
            actor=request.user,
            note=data["note"],
            role=data["role"] or None,
        )
        return Response(self._shaped(self.get_object()))

    @_action_schema(
        "Reject for your role (a note is required)",
        serializers.RejectSerializer,
        "The offer returns to draft; the next submission is a new approval round.",
        conflict=True,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        data = self._body(serializers.RejectSerializer)
        services.offer_reject(
            offer=self.get_object(),
            actor=request.user,
            note=data["note"],
            role=data["role"] or None,
        )
        return Response(self._shaped(self.get_object()))

    @_action_schema(
        "Send the approved offer to the candidate",
        serializers.NoteSerializer,
        "The letter is emailed to the candidate after commit.",
    )
    @action(detail=True, methods=["post"])
    def send(self, request: Request, pk: str | None = None) -> Response:
        data = self._body(serializers.NoteSerializer)
        offer = services.offer_send(offer=self.get_object(), actor=request.user, **data)
        return Response(self._shaped(offer))

    @_action_schema(
        "Record the candidate's acceptance",
        serializers.NoteSerializer,
        "Moves the application to hired, which may fill the requisition.",
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        data = self._body(serializers.NoteSerializer)
        offer = services.offer_accept(offer=self.get_object(), actor=request.user, **data)
        return Response(self._shaped(offer))

    @_action_schema("Record that the candidate declined", serializers.DeclineSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        data = self._body(serializers.DeclineSerializer)
        offer = services.offer_decline(offer=self.get_object(), actor=request.user, **data)
        return Response(self._shaped(offer))

    @_action_schema("Rescind the offer (a note is required)", serializers.RequiredNoteSerializer)
    @action(detail=True, methods=["post"])
    def rescind(self, request: Request, pk: str | None = None) -> Response:
        data = self._body(serializers.RequiredNoteSerializer)
        offer = services.offer_rescind(offer=self.get_object(), actor=request.user, **data)
        return Response(self._shaped(offer))

    @extend_schema(
        summary="The offer letter as a PDF (an attachment)",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The letter, as an attachment."
            ),
            404: OpenApiResponse(ErrorSerializer, description="Not found or not visible."),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="letter",
        pagination_class=None,
        renderer_classes=[JSONRenderer, PDFRenderer],
    )
    def letter(self, request: Request, pk: str | None = None) -> HttpResponse:
        offer = self.get_object()
        response = HttpResponse(letters.letter_pdf(offer), content_type=letters.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{letters.letter_filename(offer)}"'
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def _body(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _shaped(self, offer: Offer) -> dict:
        fresh = self.get_queryset().get(pk=offer.pk)
        return serializers.OfferSerializer(fresh, context=self.get_serializer_context()).data
