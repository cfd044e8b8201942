"""The candidate export: everything held about one candidate (a data-subject request).

One query per section; pay fields follow ``core.pay`` for the requester.
"""

from __future__ import annotations

from django.db.models import F

from candidates.models import Candidate, Document
from candidates.selectors import candidates_visible_to, sees_pay_of
from core import pay
from hiring.models import Application, Interview, Scorecard, StageChange
from offers.models import Offer
from reports.document import Report, Section
from reports.filters import Scope

SKIPPED = {"search_document"}


def candidate_report(scope: Scope) -> Report:
    candidate = candidates_visible_to(scope.user).get(pk=scope.filters["candidate"])
    with_pay = sees_pay_of(scope.user, candidate)
    hidden = set(SKIPPED) | (set() if with_pay else set(pay.CANDIDATE_PAY_FIELDS))

    def sections():
        yield Section("Profile", ["Field", "Value"], _profile(candidate, hidden))
        yield Section(
            "Skills and certifications",
            ["Kind", "Name"],
            [*(("Skill", s.name) for s in candidate.skills.all())]
            + [("Certification", c.name) for c in candidate.certifications.all()],
        )
        yield Section(
            "Documents",
            ["Kind", "File name", "Type", "Size (bytes)", "SHA-256", "Uploaded"],
            Document.objects.filter(candidate=candidate)
            .order_by("uploaded_at", "id")
            .values_list("kind", "original_name", "content_type", "size", "sha256", "uploaded_at")
            .iterator(),
        )
        applications = Application.objects.filter(candidate=candidate)
        yield Section(
            "Applications",
            ["Application id", "Requisition", "Stage", "Applied", "Entered stage"],
            applications.order_by("created_at", "id")
            .values_list("id", "requisition__title", "stage", "created_at", "stage_entered_at")
            .iterator(),
        )
        yield Section(
            "Stage history",
            ["Application id", "From", "To", "At", "Reason", "Note"],
            StageChange.objects.filter(application__candidate=candidate)
            .order_by("at", "id")
            .values_list("application_id", "from_stage", "to_stage", "at", "reason__label", "note")
            .iterator(),
        )
        yield Section(
            "Interviews",
            ["Application id", "Round", "Starts", "Minutes"],
            Interview.objects.filter(application__candidate=candidate)
            .order_by("starts_at", "id")
            .values_list("application_id", "round_name", "starts_at", "duration_minutes")
            .iterator(),
        )
        yield Section(
            "Scorecards",
            ["Round", "Recommendation", "Comments", "Submitted"],
            Scorecard.objects.filter(interview__application__candidate=candidate)
            .order_by("submitted_at", "id")
            .values_list("interview__round_name", "recommendation", "comments", "submitted_at")
            .iterator(),
        )
        offer_columns = ["Offer id", "Requisition", "Status", "Created"]
        offer_fields = ["id", "application__requisition__title", "status", "created_at"]
        if with_pay:
            offer_columns += ["Currency", "Base", "Sign-on bonus", "Equity"]
            offer_fields += ["currency", "base_salary", "sign_on_bonus", "equity"]
        yield Section(
            "Offers",
            offer_columns,
            Offer.objects.filter(application__candidate=candidate)
            .order_by("created_at", "id")
            .values_list(*offer_fields)
            .iterator(),
        )

    return Report(
        "candidate-export",
        f"Everything held about candidate {candidate.pk}",
        [("Candidate", f"{candidate.full_name} (id {candidate.pk})")],
        sections,
        lambda: [
            "This file lists every record the hiring pipeline holds about this person: the "
            "profile, documents (names, not contents), applications and their history, "
            "interviews, scorecards and offers."
        ],
    )


def _profile(candidate: Candidate, hidden: set[str]):
    row = (
        Candidate.objects.filter(pk=candidate.pk).annotate(zone_name=F("zone__name")).values().get()
    )
    for name, value in row.items():
        if name not in hidden and not name.endswith("_id"):
            yield (name.replace("_", " ").capitalize(), value)
