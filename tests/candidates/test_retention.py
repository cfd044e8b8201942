"""Retention: the default date and activity keeping it current, consent versions, the due
list, extensions with a reason, and the nightly task run in process."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, RetentionExtension
from candidates.retention import add_months, default_retain_until
from candidates.services import candidate_create
from candidates.tasks import erase_due_candidates
from core.models import AccessEvent
from hiring.models import Stage
from hiring.services.careers import CONSENT_VERSION, careers_apply
from hiring.services.notes import note_add
from tests.candidates.conftest import MINIMAL_PDF
from tests.candidates.factories import CandidateFactory
from tests.hiring.factories import ApplicationFactory, RequisitionFactory, apply_candidate

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_months_are_calendar_months_and_the_31st_becomes_the_last_day():
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 24) == datetime.date(2028, 11, 30)
    assert add_months(datetime.date(2026, 12, 15), 1) == datetime.date(2027, 1, 15)


def test_a_new_candidate_is_kept_retention_months_from_today(settings, recruiter):
    settings.RETENTION_MONTHS = 6

    candidate = candidate_create(
        actor=recruiter, full_name="Ana New", email="ana@example.com", years_experience=D("2")
    )

    assert candidate.retain_until == add_months(timezone.localdate(), 6)


def test_activity_moves_the_date_later_and_never_cuts_an_extension_short(recruiter, hiring_manager):
    requisition = RequisitionFactory(hiring_manager=hiring_manager, recruiter=recruiter)
    candidate = CandidateFactory(retain_until=days(-3))

    application = apply_candidate(requisition=requisition, actor=recruiter, candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.retain_until == default_retain_until()

    Candidate.objects.filter(pk=candidate.pk).update(retain_until=days(1000))
    note_add(application=application, body="Called back.", actor=recruiter)
    candidate.refresh_from_db()
    assert candidate.retain_until == days(1000)


def test_consent_version_comes_from_the_careers_form_and_the_candidate_form(
    client, recruiter, hiring_manager, private_storage
):
    requisition = RequisitionFactory(hiring_manager=hiring_manager, recruiter=recruiter)
    careers_apply(
        requisition=requisition,
        full_name="Cara Careers",
        email="cara@example.com",
        years_experience=D("4"),
        resume=SimpleUploadedFile("cv.pdf", MINIMAL_PDF, content_type="application/pdf"),
        consent_version=CONSENT_VERSION,
    )
    client.force_login(recruiter)
    response = client.post(
        reverse("candidates:create"),
        {
            "full_name": "Fred Form",
            "email": "fred@example.com",
            "years_experience": "3",
            "source": "other",
            "consent_at": "2026-11-01",
            "consent_version": "paper-2026",
        },
    )

    assert response.status_code == 302
    versions = dict(Candidate.objects.values_list("full_name", "consent_version"))
    assert versions == {"Cara Careers": CONSENT_VERSION, "Fred Form": "paper-2026"}
    cara = Candidate.objects.get(full_name="Cara Careers")
    assert (cara.consent_at, cara.retain_until) == (timezone.localdate(), default_retain_until())


@pytest.fixture
def due(hiring_manager):
    """Soon due, past due, later, hired and erased candidates."""
    requisition = RequisitionFactory(hiring_manager=hiring_manager)
    people = {
        "soon": CandidateFactory(full_name="Sam Soon", retain_until=days(10)),
        "past": CandidateFactory(full_name="Pat Past", retain_until=days(-1)),
        "later": CandidateFactory(full_name="Lee Later", retain_until=days(60)),
        "hired": CandidateFactory(full_name="Hal Hired", retain_until=days(-5)),
        "erased": CandidateFactory(
            full_name="Erased candidate 0", retain_until=days(-9), erased_at=timezone.now()
        ),
    }
    ApplicationFactory(candidate=people["hired"], requisition=requisition, stage=Stage.HIRED)
    return people


def test_recruiters_see_who_is_due_within_thirty_days_linked_from_the_list(client, recruiter, due):
    client.force_login(recruiter)

    page = client.get(reverse("candidates:retention")).content.decode()
    listing = client.get(reverse("candidates:list")).content.decode()

    assert page.index("Pat Past") < page.index("Sam Soon")
    assert [name for name in ("Lee Later", "Hal Hired", "Erased candidate 0") if name in page] == []
    assert reverse("candidates:retention") in listing


@pytest.mark.parametrize("role", ["hiring_manager", "interviewer", "outsider"])
def test_only_recruiters_and_compensation_admins_see_the_due_list(client, request, role, due):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("candidates:retention")).status_code == 403


def extend(client, candidate, **data):
    fields = {f"c{candidate.pk}-{name}": value for name, value in data.items()}
    return client.post(reverse("candidates:retention-extend", args=[candidate.pk]), fields)


def test_an_extension_records_who_when_why_and_both_dates(client, recruiter, due):
    soon = due["soon"]
    client.force_login(recruiter)

    response = extend(client, soon, new_date=days(200).isoformat(), reason="Final round in May.")

    assert response.status_code == 302
    extension = RetentionExtension.objects.get()
    assert (extension.actor, extension.old_date, extension.new_date, extension.reason) == (
        recruiter,
        days(10),
        days(200),
        "Final round in May.",
    )
    soon.refresh_from_db()
    assert soon.retain_until == days(200)
    event = AccessEvent.objects.get(action="retention")
    assert (event.actor, event.object_id) == (recruiter, str(soon.pk))


def test_an_extension_without_a_reason_or_to_an_earlier_date_changes_nothing(
    client, recruiter, due
):
    soon = due["soon"]
    client.force_login(recruiter)

    no_reason = extend(client, soon, new_date=days(200).isoformat(), reason="")
    earlier = extend(client, soon, new_date=days(5).isoformat(), reason="Keep.")
    too_far = extend(client, soon, new_date=days(3000).isoformat(), reason="Keep.")

    assert [r.status_code for r in (no_reason, earlier, too_far)] == [400, 400, 400]
    assert "Give a reason for keeping the data longer." in no_reason.content.decode()
    assert "Choose a date after the current one" in earlier.content.decode()
    assert "At most 24 months from today" in too_far.content.decode()
    soon.refresh_from_db()
    assert soon.retain_until == days(10)
    assert not RetentionExtension.objects.exists()
    assert not AccessEvent.objects.filter(action="retention").exists()


def test_the_task_erases_those_past_their_date_unless_hired(due):
    erase_due_candidates.apply(kwargs={"as_of": days(30).isoformat()})

    erased = set(Candidate.objects.filter(erased_at__isnull=False).values_list("pk", flat=True))
    assert erased == {due[k].pk for k in ("soon", "past", "erased")}
    events = AccessEvent.objects.filter(action="erase")
    assert sorted(events.values_list("object_id", "actor", "channel")) == sorted(
        (str(due[k].pk), None, "worker") for k in ("soon", "past")
    )
    assert Candidate.objects.get(pk=due["hired"].pk).full_name == "Hal Hired"


def test_beat_runs_the_task_nightly_with_no_date(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["candidates-retention-nightly"]

    assert entry["task"] == erase_due_candidates.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})
    assert "args" not in entry and "kwargs" not in entry
