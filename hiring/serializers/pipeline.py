"""API shapes for requisitions and applications.

Two shapes each: the full one for users who may see pay somewhere, and a
restricted one (no posted range, band or candidate pay) for interviewers and
users in no group, who never do. The view picks the shape for the user; in the
full shape, the pay policy (``core.pay``, through ``hiring.permissions``) is
asked per object, and the pay of an object the user may not see pay on (another
manager's requisition they only interview for) is null.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from candidates.models import Candidate
from core import pay
from core.api_schema import text_one_of
from hiring import permissions
from hiring.models import Application, Requisition, Stage, StageChange
from hiring.selectors.pipeline import superseded_band
from roles.models import Level, Track, Zone

User = get_user_model()


class RequisitionPublicSerializer(serializers.ModelSerializer):
    """A requisition without pay: what an interviewer sees."""

    track = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    level = serializers.SlugRelatedField(slug_field="code", read_only=True)
    zone = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Requisition
        fields = [
            "id",
            "title",
            "track",
            "level",
            "zone",
            "remote_policy",
            "headcount",
            "hiring_manager",
            "recruiter",
            "status",
            "opened_on",
            "target_on",
        ]
        read_only_fields = fields


class PayPolicyMixin:
    """Nulls ``pay_fields`` on objects whose pay the requesting user may not see.

    Deny by default: without a user in the context nothing is shown.
    """

    pay_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not self.shows_pay(user, instance):
            for name in self.pay_fields:
                if name in data:
                    data[name] = None
        return data

    def shows_pay(self, user, instance) -> bool:
        raise NotImplementedError


class BandVersionFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    min = serializers.DecimalField(max_digits=12, decimal_places=2)
    max = serializers.DecimalField(max_digits=12, decimal_places=2)
    open_ended = serializers.BooleanField()
    effective_from = serializers.DateField()
    effective_to = serializers.DateField(allow_null=True)


class AmountRangeSerializer(serializers.Serializer):
    min = serializers.DecimalField(max_digits=12, decimal_places=2)
    max = serializers.DecimalField(max_digits=12, decimal_places=2)


class BandUpdateSerializer(serializers.Serializer):
    """The band version used, and the one in effect now (null when none is)."""

    old = BandVersionFiguresSerializer()
    new = BandVersionFiguresSerializer(allow_null=True)
    new_adjusted = AmountRangeSerializer(allow_null=True)


def band_update_data(old, new, adjusted) -> dict:
    def figures(band):
        if band is None:
            return None
        return {
            "id": band.pk,
            "min": f"{band.base_min:.2f}",
            "max": f"{band.base_max:.2f}",
            "open_ended": band.open_ended_top,
            "effective_from": band.effective_from.isoformat(),
            "effective_to": band.effective_to.isoformat() if band.effective_to else None,
        }

    return {
        "old": figures(old),
        "new": figures(new),
        "new_adjusted": (
            {"min": f"{adjusted.low:.2f}", "max": f"{adjusted.high:.2f}"} if adjusted else None
        ),
    }


class RequisitionSerializer(PayPolicyMixin, serializers.ModelSerializer):
    """Full requisition, including the posted range and the band version it came from."""

    track = serializers.SlugRelatedField(slug_field="slug", queryset=Track.objects.all())
    level = serializers.SlugRelatedField(slug_field="code", queryset=Level.objects.all())
    zone = serializers.SlugRelatedField(slug_field="slug", queryset=Zone.objects.all())
    hiring_manager = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False)
    recruiter = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    status = serializers.ChoiceField(choices=Requisition.Status.choices, required=False)
    posted_min = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    posted_max = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0
    )
    band_update = serializers.SerializerMethodField(
        help_text="Set when the band version this requisition was priced under got a newer "
        "one: the old and the new figures, and the posted range the new version would give."
    )

    class Meta:
        model = Requisition
        fields = [
            *RequisitionPublicSerializer.Meta.fields,
            "band",
            "posted_min",
            "posted_max",
            "currency",
            "band_update",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "band", "currency", "created_at", "updated_at"]
        extra_kwargs = {"currency": {"allow_null": True}}
        # Ranges are checked against the band by the service, not here.
        validators: list = []

    pay_fields = (*pay.REQUISITION_PAY_FIELDS, "band_update")
    #: Recruiters and compensation admins name the hiring manager (the service refuses a
    #: requisition without one); a hiring manager names themselves.
    schema_request_required_fields = ("hiring_manager",)
    #: Absent for users who never see pay: the view gives them RequisitionPublicSerializer.
    schema_optional_fields = tuple(
        sorted(set(Meta.fields) - set(RequisitionPublicSerializer.Meta.fields))
    )

    def shows_pay(self, user, instance) -> bool:
        return permissions.sees_requisition_pay(user, instance)

    @extend_schema_field(BandUpdateSerializer(allow_null=True))
    def get_band_update(self, requisition: Requisition) -> dict | None:
        change = superseded_band(requisition)
        if change is None:
            return None
        return band_update_data(change.old_band, change.new_band, change.new_posted)


class StageChangeSerializer(serializers.ModelSerializer):
    reason = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    actor = serializers.CharField(source="actor.username", read_only=True)
    # Plain strings: one enum name per choice set keeps the schema free of collisions.
    from_stage = serializers.CharField(read_only=True)
    to_stage = serializers.CharField(read_only=True)

    class Meta:
        model = StageChange
        fields = ["id", "application", "from_stage", "to_stage", "actor", "at", "reason", "note"]
        read_only_fields = fields


class LevelFitSerializer(serializers.Serializer):
    suggested_level = serializers.CharField(allow_null=True)
    requisition_level = serializers.CharField()
    matches = serializers.BooleanField()
    warnings = serializers.ListField(child=serializers.CharField())


def _read_only_money(source: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        source=source, max_digits=12, decimal_places=2, read_only=True, allow_null=True
    )


class ApplicationPublicSerializer(serializers.ModelSerializer):
    """An application without pay: what an interviewer sees."""

    candidate_name = serializers.CharField(source="candidate.full_name", read_only=True)
    requisition_title = serializers.CharField(source="requisition.title", read_only=True)
    disposition_reason = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    level_fit = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "candidate",
            "candidate_name",
            "requisition",
            "requisition_title",
            "stage",
            "stage_entered_at",
            "disposition_reason",
            "level_fit",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(LevelFitSerializer)
    def get_level_fit(self, obj: Application) -> dict | None:
        fit = getattr(obj, "level_fit", None)
        return fit.as_dict() if fit else None


class ApplicationSerializer(PayPolicyMixin, ApplicationPublicSerializer):
    candidate_expected_base = _read_only_money("candidate.expected_base")
    posted_min = _read_only_money("requisition.posted_min")
    posted_max = _read_only_money("requisition.posted_max")

    pay_fields = pay.APPLICATION_PAY_FIELDS

    def shows_pay(self, user, instance) -> bool:
        return permissions.sees_requisition_pay(user, instance.requisition)

    class Meta(ApplicationPublicSerializer.Meta):
        fields = [
            *ApplicationPublicSerializer.Meta.fields,
            "candidate_expected_base",
            "posted_min",
            "posted_max",
        ]
        read_only_fields = fields

    #: Absent for users who never see pay: the view gives them ApplicationPublicSerializer.
    schema_optional_fields = tuple(
        sorted(set(Meta.fields) - set(ApplicationPublicSerializer.Meta.fields))
    )


class ApplicationCreateSerializer(serializers.Serializer):
    candidate = serializers.PrimaryKeyRelatedField(queryset=Candidate.objects.all())
    requisition = serializers.IntegerField(min_value=1)
    # "sourced" or "applied"; the service names the valid starts in its error.
    stage = text_one_of([Stage.SOURCED, Stage.APPLIED], max_length=20, default=Stage.APPLIED)


class MoveSerializer(serializers.Serializer):
    # Plain strings: the service names the valid stages in its error. Hired is reached by
    # accepting an offer, never by a move.
    to_stage = text_one_of([s for s in Stage.values if s != Stage.HIRED], max_length=20)
    expected_stage = text_one_of(Stage.values, max_length=20)
    reason = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MoveResultSerializer(serializers.Serializer):
    application = ApplicationSerializer()
    stage_change = StageChangeSerializer()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField()
    current_stage = serializers.CharField()
    allowed_stages = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="When the stage it is at forbids the move: where it may go from there.",
    )


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class JobDescriptionSectionSerializer(serializers.Serializer):
    heading = serializers.CharField()
    lines = serializers.ListField(child=serializers.CharField())


class JobDescriptionSerializer(serializers.Serializer):
    """The generated job description: sections for display and the whole as plain text."""

    title = serializers.CharField()
    sections = JobDescriptionSectionSerializer(many=True)
    text = serializers.CharField()

    def to_representation(self, instance):
        return {
            "title": instance.title,
            "sections": [{"heading": h, "lines": list(lines)} for h, lines in instance.sections],
            "text": instance.as_text(),
        }
