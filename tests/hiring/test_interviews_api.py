"""/api/v1/interviews/: every action for every role; denied requests change nothing."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from hiring.models import Interview, Stage
from tests import bulk
from tests.conftest import shared_world
from tests.hiring.interview_world import InterviewFactory, ScorecardFactory, build_world_for

URL = "/api/v1/interviews/"
ROLES = [
    "comp_admin",
    "recruiter",
    "hiring_manager",
    "interviewer",
    "other_interviewer",
    "outsider",
    "anonymous",
]
SCHEDULERS = {"comp_admin", "recruiter", "hiring_manager"}


# Built once for the module; each test gets a copy and rolls back what it writes.
globals().update(shared_world(build_world_for))


@pytest.fixture
def user_for(
    request, comp_admin, recruiter, hiring_manager, interviewer, other_interviewer, outsider
):
    def get(role):
        return None if role == "anonymous" else request.getfixturevalue(role)

    return get


def snapshot(interview: Interview) -> tuple:
    interview.refresh_from_db()
    return (
        interview.round_name,
        interview.starts_at,
        interview.duration_minutes,
        interview.location,
        sorted(interview.interviewers.values_list("pk", flat=True)),
    )


# -- list and retrieve ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("comp_admin", {"Technical", "Screen"}),
        ("recruiter", {"Technical", "Screen"}),
        ("hiring_manager", {"Technical"}),
        ("interviewer", {"Technical"}),
        ("other_interviewer", {"Technical", "Screen"}),
        ("outsider", set()),
    ],
)
def test_list_shows_only_visible_interviews(api, world, user_for, role, expected):
    response = api(user_for(role)).get(URL)

    assert response.status_code == 200
    assert {row["round_name"] for row in response.json()["results"]} == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.django_db
def test_list_refuses_anonymous(api, world):
    response = api(None).get(URL)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_list_row_shape_has_panel_and_no_pay(api, world, interviewer, other_interviewer):
    world.requisition.posted_min, world.requisition.posted_max = 100000, 150000
    world.requisition.save()
    ScorecardFactory(interview=world.interview, interviewer=other_interviewer)

    row = api(interviewer).get(URL).json()["results"][0]

    assert row["id"] == world.interview.pk
    assert row["application"] == world.application.pk
    assert row["candidate"] == world.application.candidate_id
    assert row["candidate_name"] == world.application.candidate.full_name
    assert row["requisition_title"] == world.requisition.title
    assert row["duration_minutes"] == 60
    assert row["location"] == "Room 4"
    assert sorted(row["interviewers"], key=lambda p: p["id"]) == [
        {"id": interviewer.pk, "name": "Interviewer", "submitted": False},
        {"id": other_interviewer.pk, "name": "Other Interviewer", "submitted": True},
    ]
    text = str(row)
    assert "posted" not in text and "100000" not in text and "base" not in text


@pytest.mark.django_db
def test_filter_by_application_and_upcoming(api, world, recruiter):
    InterviewFactory(
        application=world.application,
        round_name="Next",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        interviewers=[recruiter],
    )
    client = api(recruiter)

    by_application = client.get(URL, {"application": world.application.pk}).json()["results"]
    upcoming = client.get(URL, {"application": world.application.pk, "upcoming": "true"}).json()

    assert [row["round_name"] for row in by_application] == ["Technical", "Next"]
    assert [row["round_name"] for row in upcoming["results"]] == ["Next"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("comp_admin", 200),
        ("recruiter", 200),
        ("hiring_manager", 200),
        ("interviewer", 200),
        ("other_interviewer", 200),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_retrieve_by_role(api, world, user_for, role, status):
    response = api(user_for(role)).get(f"{URL}{world.interview.pk}/")

    assert response.status_code == status
    if status == 200:
        assert response.json()["round_name"] == "Technical"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["hiring_manager", "interviewer"])
def test_retrieve_someone_elses_interview_is_404(api, world, user_for, role):
    response = api(user_for(role)).get(f"{URL}{world.other_interview.pk}/")

    assert response.status_code == 404


@pytest.mark.django_db
def test_list_query_count_is_fixed(
    api, world, recruiter, interviewer, other_interviewer, django_assert_max_num_queries
):
    client = api(recruiter)
    counts, built = [], 0
    for rows in (3, 30):
        # A panel of two on each, one of whom has scored.
        bulk.interviewed(
            world.requisition,
            rows - built,
            actor=recruiter,
            panel=[interviewer, other_interviewer],
            scored_by=[interviewer],
        )
        built = rows

        with django_assert_max_num_queries(7) as ctx:
            response = client.get(URL, {"page_size": 100})

        assert response.json()["count"] == rows + 2
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# -- create --------------------------------------------------------------------


def payload(world, *panel, **overrides) -> dict:
    return {
        "application": world.application.pk,
        "round_name": "Coding",
        "interviewers": [p.pk for p in panel],
        "starts_at": "2026-12-01T10:00:00+00:00",
        "duration_minutes": 45,
        "location": "https://meet.example.com/x",
        **overrides,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_create_by_role(api, world, user_for, interviewer, role):
    before = Interview.objects.count()

    response = api(user_for(role)).post(URL, payload(world, interviewer), format="json")

    if role in SCHEDULERS:
        assert response.status_code == 201
        body = response.json()
        assert body["round_name"] == "Coding"
        assert body["starts_at"] == "2026-12-01T10:00:00Z"
        assert [p["id"] for p in body["interviewers"]] == [interviewer.pk]
        assert Interview.objects.count() == before + 1
    else:
        assert response.status_code == {"anonymous": 401}.get(role, 403)
        assert Interview.objects.count() == before


@pytest.mark.django_db
def test_manager_cannot_schedule_on_another_managers_application(
    api, world, other_manager, interviewer
):
    before = Interview.objects.count()

    response = api(other_manager).post(URL, payload(world, interviewer), format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"application": ["No such application."]}
    assert Interview.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"starts_at": "2026-12-01T10:00:00"}, "starts_at", "Give the time with its UTC offset"),
        ({"starts_at": "soon"}, "starts_at", "Datetime has wrong format"),
        ({"starts_at": "0001-01-01T10:00:00+00:00"}, "starts_at", "in 2000 or later"),
        ({"starts_at": "1999-12-31T23:59:00+00:00"}, "starts_at", "in 2000 or later"),
        ({"starts_at": "9999-12-31T10:00:00-05:00"}, "starts_at", "at most 2 years ahead"),
        ({"starts_at": "0001-01-01T00:30:00+05:00"}, "starts_at", "Datetime value out of range"),
        # Well formed, no such time: was a 500 (Django's parser raises), found by tests/api_fuzz.
        ({"starts_at": "2024-01-01T12:99:00Z"}, "starts_at", "Datetime has wrong format"),
        ({"duration_minutes": 2}, "duration_minutes", "at least 5 minutes"),
        ({"duration_minutes": 900}, "duration_minutes", "at most 480 minutes"),
        ({"interviewers": []}, "interviewers", "This list may not be empty."),
        ({"interviewers": [999999]}, "interviewers", 'Invalid pk "999999"'),
        ({"round_name": ""}, "round_name", "This field may not be blank."),
        ({"application": "x"}, "application", "A valid integer is required."),
        ({"application": 999999}, "application", "No such application."),
    ],
)
def test_create_bad_input_is_400_naming_the_field(
    api, world, recruiter, interviewer, overrides, field, message
):
    before = Interview.objects.count()

    response = api(recruiter).post(URL, payload(world, interviewer, **overrides), format="json")

    assert response.status_code == 400
    assert message in response.json()["errors"][field][0]
    assert Interview.objects.count() == before


@pytest.mark.django_db
def test_create_form_encoded_schedules_like_json(api, world, recruiter, interviewer):
    """The schema offers form encoding too (a list as repeated keys), so it must work."""
    before = Interview.objects.count()

    body = urlencode(payload(world, interviewer), doseq=True)

    response = api(recruiter).post(URL, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 201
    assert [p["id"] for p in response.json()["interviewers"]] == [interviewer.pk]
    assert Interview.objects.count() == before + 1


@pytest.mark.django_db
def test_create_refuses_outsider_on_panel(api, world, recruiter, outsider):
    response = api(recruiter).post(URL, payload(world, outsider), format="json")

    assert response.status_code == 400
    assert "Outsider cannot interview" in response.json()["errors"]["interviewers"][0]
    assert Interview.objects.count() == 2


@pytest.mark.django_db
def test_create_on_closed_application_is_400(api, world, recruiter, interviewer):
    world.application.stage = Stage.HIRED
    world.application.save()

    response = api(recruiter).post(URL, payload(world, interviewer), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "application_inactive"
    assert Interview.objects.count() == 2


# -- partial update and cancel -------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_partial_update_by_role(api, world, user_for, role):
    before = snapshot(world.interview)

    response = api(user_for(role)).patch(
        f"{URL}{world.interview.pk}/",
        {"location": "Room 9", "duration_minutes": 90},
        format="json",
    )

    if role in SCHEDULERS:
        assert response.status_code == 200
        assert response.json()["location"] == "Room 9"
        assert snapshot(world.interview)[2:4] == (90, "Room 9")
    else:
        expected = {"anonymous": 401, "outsider": 404}.get(role, 403)
        assert response.status_code == expected
        assert snapshot(world.interview) == before


@pytest.mark.django_db
def test_partial_update_bad_input_changes_nothing(api, world, recruiter):
    before = snapshot(world.interview)

    response = api(recruiter).patch(
        f"{URL}{world.interview.pk}/", {"starts_at": "2026-12-01 10:00"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["starts_at"]
    assert snapshot(world.interview) == before


@pytest.mark.django_db
def test_moving_an_interview_past_the_window_is_refused_and_changes_nothing(api, world, recruiter):
    before = snapshot(world.interview)
    too_far = (timezone.now() + datetime.timedelta(days=3 * 365)).isoformat()

    response = api(recruiter).patch(
        f"{URL}{world.interview.pk}/", {"starts_at": too_far}, format="json"
    )

    assert response.status_code == 400
    assert "at most 2 years ahead" in response.json()["errors"]["starts_at"][0]
    assert snapshot(world.interview) == before


@pytest.mark.django_db
def test_put_is_not_offered(api, world, recruiter):
    response = api(recruiter).put(f"{URL}{world.interview.pk}/", {}, format="json")

    assert response.status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_cancel_by_role(api, world, user_for, role):
    response = api(user_for(role)).delete(f"{URL}{world.interview.pk}/")

    exists = Interview.objects.filter(pk=world.interview.pk).exists()
    if role in SCHEDULERS:
        assert response.status_code == 204
        assert not exists
    else:
        assert response.status_code == {"anonymous": 401, "outsider": 404}.get(role, 403)
        assert exists


@pytest.mark.django_db
def test_cancel_scored_interview_is_409(api, world, recruiter, interviewer):
    ScorecardFactory(interview=world.interview, interviewer=interviewer)

    response = api(recruiter).delete(f"{URL}{world.interview.pk}/")

    assert response.status_code == 409
    assert response.json()["code"] == "has_scorecards"
    assert Interview.objects.filter(pk=world.interview.pk).exists()
