from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from core.api_schema import text_one_of
from reports.kinds import Format, Kind
from reports.models import ReportRun


class ReportRequestSerializer(serializers.Serializer):
    kind = text_one_of(Kind.values, max_length=40)
    format = text_one_of(Format.values, max_length=10)
    filters = serializers.JSONField(required=False, default=dict)


class ReportRunSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)

    class Meta:
        model = ReportRun
        fields = [
            "id",
            "kind",
            "format",
            "filters",
            "status",
            "progress",
            "row_count",
            "error",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
            "url",
            "download_url",
            "retry_of",
        ]
        read_only_fields = fields

    def get_url(self, run: ReportRun) -> str:
        return reverse("api-report-detail", args=[run.pk])

    def get_download_url(self, run: ReportRun) -> str | None:
        return reverse("api-report-download", args=[run.pk]) if run.has_file else None
