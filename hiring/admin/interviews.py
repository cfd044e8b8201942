"""Admin for interviews and scorecards (history kept by django-simple-history).

Admin edits bypass the services' rules; the admin is for support staff fixing
data, and every change lands in the history with who made it.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from hiring.models import Interview, Scorecard


class ScorecardInline(admin.TabularInline):
    model = Scorecard
    extra = 0
    fields = [
        "interviewer",
        "model_development",
        "data_engineering",
        "collaboration",
        "research_infrastructure",
        "recommendation",
        "submitted_at",
    ]
    readonly_fields = ["submitted_at"]
    raw_id_fields = ["interviewer"]
    show_change_link = True


@admin.register(Interview)
class InterviewAdmin(SimpleHistoryAdmin):
    list_display = ["round_name", "application", "starts_at", "duration_minutes", "location"]
    list_filter = ["starts_at"]
    search_fields = [
        "round_name",
        "application__candidate__full_name",
        "application__requisition__title",
    ]
    date_hierarchy = "starts_at"
    raw_id_fields = ["application"]
    filter_horizontal = ["interviewers"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    list_select_related = ["application__candidate", "application__requisition"]
    inlines = [ScorecardInline]


@admin.register(Scorecard)
class ScorecardAdmin(SimpleHistoryAdmin):
    list_display = ["interview", "interviewer", "recommendation", "submitted_at"]
    list_filter = ["recommendation", "submitted_at"]
    search_fields = [
        "interview__round_name",
        "interviewer__username",
        "interview__application__candidate__full_name",
    ]
    raw_id_fields = ["interview", "interviewer"]
    readonly_fields = ["submitted_at"]
    list_select_related = [
        "interviewer",
        "interview__application__candidate",
        "interview__application__requisition",
    ]
