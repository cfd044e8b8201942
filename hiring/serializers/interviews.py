"""Serializers for interviews and scorecards: shape input and output, nothing more.

None of these carries pay: interviewers read them too.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hiring.models import Interview, Scorecard
from hiring.rules import past_start_warning
from hiring.selectors.interviews import user_label

User = get_user_model()
RATING = {"min_value": 1, "max_value": 4}
DURATION_ERRORS = {
    "min_value": "Length must be at least 5 minutes.",
    "max_value": "Length must be at most 480 minutes (8 hours).",
}
RATING_ERRORS = {
    "min_value": "Rate from 1 to 4.",
    "max_value": "Rate from 1 to 4.",
    "invalid": "Rate with a whole number from 1 to 4.",
    "required": "Rate this work area from 1 to 4.",
}


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 date-time that must carry its UTC offset: no guessing the zone."""

    default_error_messages = {
        "naive": "Give the time with its UTC offset, e.g. 2026-12-01T10:00:00+00:00.",
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                # Well formed but no such time ("12:99"): DRF's parsing below answers it.
                parsed = None
            if parsed is not None and timezone.is_naive(parsed):
                self.fail("naive")
        return super().to_internal_value(value)


class PanelMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    submitted = serializers.BooleanField(help_text="Has this interviewer submitted a scorecard?")


class InterviewSerializer(serializers.ModelSerializer):
    candidate = serializers.IntegerField(source="application.candidate_id", read_only=True)
    candidate_name = serializers.CharField(source="application.candidate.full_name", read_only=True)
    requisition = serializers.IntegerField(source="application.requisition_id", read_only=True)
    requisition_title = serializers.CharField(
        source="application.requisition.title", read_only=True
    )
    interviewers = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField(
        help_text="Not refusals: e.g. the interview is dated in the past (a typo?)."
    )

    class Meta:
        model = Interview
        fields = [
            "id",
            "application",
            "candidate",
            "candidate_name",
            "requisition",
            "requisition_title",
            "round_name",
            "starts_at",
            "duration_minutes",
            "location",
            "interviewers",
            "warnings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_warnings(self, interview: Interview) -> list[str]:
        warning = past_start_warning(interview.starts_at)
        return [warning] if warning else []

    @extend_schema_field(PanelMemberSerializer(many=True))
    def get_interviewers(self, interview: Interview) -> list[dict]:
        submitted = {card.interviewer_id for card in interview.scorecards.all()}
        return [
            {"id": person.pk, "name": user_label(person), "submitted": person.pk in submitted}
            for person in interview.interviewers.all()
        ]


class InterviewUpdateSerializer(serializers.Serializer):
    round_name = serializers.CharField(max_length=120)
    interviewers = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.all(), allow_empty=False
    )
    starts_at = AwareDateTimeField()
    duration_minutes = serializers.IntegerField(
        min_value=5,
        max_value=480,
        error_messages=DURATION_ERRORS,
    )
    location = serializers.CharField(
        max_length=300, allow_blank=True, required=False, help_text="Room or video link."
    )


class InterviewCreateSerializer(InterviewUpdateSerializer):
    application = serializers.IntegerField(help_text="An active application you may schedule on.")
    duration_minutes = serializers.IntegerField(
        min_value=5, max_value=480, default=60, error_messages=DURATION_ERRORS
    )
    location = serializers.CharField(
        max_length=300, allow_blank=True, default="", help_text="Room or video link."
    )


class ScorecardSerializer(serializers.ModelSerializer):
    interviewer_name = serializers.SerializerMethodField()
    recommendation_label = serializers.CharField(
        source="get_recommendation_display", read_only=True
    )

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "interview",
            "interviewer",
            "interviewer_name",
            "model_development",
            "data_engineering",
            "collaboration",
            "research_infrastructure",
            "recommendation",
            "recommendation_label",
            "comments",
            "submitted_at",
        ]
        read_only_fields = fields

    def get_interviewer_name(self, card: Scorecard) -> str:
        return user_label(card.interviewer)


class ScorecardCreateSerializer(serializers.Serializer):
    interview = serializers.IntegerField(help_text="An interview you are assigned to.")
    model_development = serializers.IntegerField(
        **RATING,
        error_messages=RATING_ERRORS,
        help_text="Model development and deployment, 1 to 4.",
    )
    data_engineering = serializers.IntegerField(
        **RATING, error_messages=RATING_ERRORS, help_text="Data engineering, 1 to 4."
    )
    collaboration = serializers.IntegerField(
        **RATING, error_messages=RATING_ERRORS, help_text="Collaboration and communication, 1 to 4."
    )
    research_infrastructure = serializers.IntegerField(
        **RATING, error_messages=RATING_ERRORS, help_text="Research and infrastructure, 1 to 4."
    )
    recommendation = serializers.ChoiceField(choices=Scorecard.Recommendation.choices)
    comments = serializers.CharField(allow_blank=True, default="")
