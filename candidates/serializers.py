"""API shapes. The serializer is chosen per user: interviewers never get pay fields."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from candidates import selectors
from candidates.models import Candidate, Document
from candidates.services import COMPENSATION_FIELDS, PROFILE_FIELDS
from core.limits import DOCUMENT_MAX_MB
from roles.models import Certification, Skill, Zone

READ_FIELDS = ("id", *PROFILE_FIELDS, "created_at", "updated_at")


class CandidateSerializer(serializers.ModelSerializer):
    """Full candidate, for compensation admins, recruiters and hiring managers."""

    zone = serializers.SlugRelatedField(
        slug_field="slug", queryset=Zone.objects.all(), allow_null=True, required=False
    )
    skills = serializers.SlugRelatedField(
        slug_field="slug", queryset=Skill.objects.all(), many=True, required=False
    )
    certifications = serializers.SlugRelatedField(
        slug_field="slug", queryset=Certification.objects.all(), many=True, required=False
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, max_length=50
    )
    confirm_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="True saves despite a possible duplicate (same phone, similar name and email).",
    )

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self._shows_pay(instance):
            for name in COMPENSATION_FIELDS:
                if name in data:
                    data[name] = None
        return data

    def _shows_pay(self, instance: Candidate) -> bool:
        """The pay policy (``core.pay``) for this candidate; deny without a user.

        A list view puts the answers for its page in the context (one query);
        otherwise the candidate is asked about on its own.
        """
        answers = self.context.setdefault("pay_answers", {})
        if instance.pk not in answers:
            user = getattr(self.context.get("request"), "user", None)
            answers[instance.pk] = user is not None and selectors.sees_pay_of(user, instance)
        return answers[instance.pk]

    class Meta:
        model = Candidate
        fields = (*READ_FIELDS, "confirm_duplicate")
        # The retain-until date moves with activity and is extended with a reason
        # (candidates.retention): read-only here.
        read_only_fields = ("id", "retain_until", "created_at", "updated_at")
        extra_kwargs = {"pay_currency": {"allow_null": True, "required": False}}
        # The service checks duplicates and constraints, with the existing id in the answer.
        validators: list = []

    def get_validators(self):
        return []


class CandidateRestrictedSerializer(CandidateSerializer):
    """For interviewers: no expected or current base."""

    class Meta(CandidateSerializer.Meta):
        fields = tuple(f for f in READ_FIELDS if f not in COMPENSATION_FIELDS)
        read_only_fields = fields


class CandidateDocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    uploaded_by = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = (
            "id",
            "candidate",
            "kind",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "uploaded_by",
            "download_url",
        )
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_download_url(self, obj: Document) -> str:
        url = reverse("candidate-document-download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_uploaded_by(self, obj: Document) -> str | None:
        user = obj.uploaded_by
        return (user.get_full_name() or user.get_username()) if user else None


class CandidateDocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=f"PDF or DOCX, at most {DOCUMENT_MAX_MB} MB; checked by content."
    )
    kind = serializers.ChoiceField(choices=Document.Kind.choices, default=Document.Kind.RESUME)


class CandidateImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV, UTF-8, header row as in the template.")
    confirm_duplicates = serializers.BooleanField(required=False, default=False)


class CandidateImportResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())


class CandidateApiErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class CandidateSuggestionSerializer(serializers.ModelSerializer):
    """One line of a search box's suggestions: who, and the email the add form takes."""

    class Meta:
        model = Candidate
        fields = ["id", "full_name", "email"]
