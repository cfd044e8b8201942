"""POST /api/v1/recommendations/ for every role, every bad input, and nothing written."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import pay
from hiring.models import Interview
from tests.conftest import shared_world
from tests.hiring.factories import apply_candidate, open_requisition

pytestmark = pytest.mark.django_db

URL = "/api/v1/recommendations/"
RAW = {"track": "ai-engineer", "level": "L3", "zone": "national", "years_experience": 7.5}
KEYS = {
    "track",
    "level",
    "zone",
    "suggested_level",
    "band",
    "adjustments",
    "adjusted_band",
    "position",
    "recommended_base",
    "compa_ratio",
    "warnings",
    "explanation",
    "market_references",
}
DENIED = {"detail": pay.DENIED_MESSAGE, "code": "permission_denied", "errors": {}}
#: Pinned, with the role data in memory (roles.snapshot). Raw inputs: the token, the
#: groups, and the role data's version token; track, level, zone, band, ladder, expected
#: certifications and market figures come from memory. An application adds the
#: application with its requisition's rows and the candidate in one query, and their
#: certifications in another.
RAW_QUERIES = 3
APPLICATION_QUERIES = 5


def _build(cast) -> dict:
    recruiter, hiring_manager = cast["recruiter"], cast["hiring_manager"]
    interviewer = cast["interviewer"]
    mine = open_requisition(actor=recruiter, hiring_manager=hiring_manager, level="L3")
    theirs = open_requisition(actor=recruiter, hiring_manager=cast["other_manager"], level="L3")
    applied = apply_candidate(
        requisition=mine,
        actor=recruiter,
        years_experience=Decimal("7.5"),
        expected_base=Decimal("200000"),
        current_base=Decimal("120000"),
    )
    elsewhere = apply_candidate(
        requisition=theirs, actor=recruiter, years_experience=Decimal("7.5")
    )
    # The interviewer sits on a panel for ``applied``; the hiring manager on one for
    # ``elsewhere`` (another manager's requisition: an interviewer's view, no pay).
    for application, member in ((applied, interviewer), (elsewhere, hiring_manager)):
        interview = Interview.objects.create(
            application=application, round_name="Technical", starts_at=timezone.now()
        )
        interview.interviewers.add(member)
    return {"mine": mine, "theirs": theirs, "applied": applied, "elsewhere": elsewhere}


# Built once for the module; each test runs in its own savepoint.
globals().update(shared_world(_build, role_data="guide"))


def post(client, body):
    return client.post(URL, body, format="json")


# Who may ask.


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("comp_admin", 200),
        ("recruiter", 200),
        ("hiring_manager", 200),
        ("interviewer", 403),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_raw_inputs_by_role(api, cast, guide, role, status):
    response = post(api(cast[role]), RAW)

    assert response.status_code == status
    if status == 200:
        assert set(response.json()) == KEYS
        assert response.json()["recommended_base"] == 193_000
        assert response.json()["adjusted_band"] == {"min": 155_000, "max": 230_000}
    elif status == 403:
        assert response.json() == DENIED
    else:
        assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("comp_admin", 200),
        ("recruiter", 200),
        ("hiring_manager", 200),
        ("interviewer", 403),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_application_by_role(api, cast, world, role, status):
    response = post(api(cast[role]), {"application": world["applied"].pk})

    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert set(body) == KEYS
        # 7.5 years: the anchor 192,500; the expected 200,000 raises it.
        assert body["recommended_base"] == 200_000
    elif status == 403:
        assert response.json() == DENIED


def test_hiring_manager_on_another_managers_panel_is_refused_its_pay(api, hiring_manager, world):
    response = post(api(hiring_manager), {"application": world["elsewhere"].pk})

    assert response.status_code == 403
    assert response.json() == DENIED


def test_hiring_manager_cannot_name_an_application_they_do_not_see(api, other_manager, world):
    response = post(api(other_manager), {"application": world["applied"].pk})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "No such application.",
        "code": "invalid",
        "errors": {"application": ["No such application."]},
    }


def test_unknown_application_is_a_400_naming_application(api, recruiter, world):
    response = post(api(recruiter), {"application": 999_999})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["application"]


# What it answers.


def test_raw_inputs_answer_exactly_the_recommendation(api, recruiter, guide):
    from offers.selectors import recommend_for
    from roles.models import Level, Track, Zone

    expected = recommend_for(
        track=Track.objects.get(slug="ai-engineer"),
        level=Level.objects.get(code="L3"),
        zone=Zone.objects.get(slug="national"),
        years_experience=Decimal("7.5"),
    ).result.as_dict()

    response = post(api(recruiter), RAW)

    assert response.status_code == 200
    assert response.json() == expected


def test_application_form_uses_the_candidate_the_requisition_and_a_competing_offer(
    api, recruiter, world
):
    response = post(
        api(recruiter), {"application": world["applied"].pk, "competing_offer_base": 240_000}
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["track"], body["level"], body["zone"]) == ("ai-engineer", "L3", "national")
    assert body["recommended_base"] == 230_000
    assert [w["code"] for w in body["warnings"]] == ["expectation_above_band"]


def test_ml_engineer_in_san_francisco(api, recruiter, guide):
    body = {**RAW, "track": "ml-engineer", "zone": "san-francisco"}

    response = post(api(recruiter), body)

    assert response.json()["adjusted_band"] == {"min": 224_944, "max": 333_788}
    assert response.json()["recommended_base"] == 279_000


def test_remote_policy_pays_the_remote_zone_whatever_the_zone(api, recruiter, guide):
    body = {**RAW, "zone": "san-francisco", "remote_policy": "remote"}

    response = post(api(recruiter), body)

    assert response.json()["zone"] == "remote"
    assert response.json()["adjusted_band"] == {"min": 155_000, "max": 230_000}
    assert [m["key"] for m in response.json()["market_references"]] == [
        "us-median-salary",
        "senior-remote-average-base",
    ]


def test_the_current_base_never_changes_the_answer(api, recruiter, guide):
    client = api(recruiter)
    without = post(client, RAW).json()

    for amount in (1, 90_000, 500_000, 10_000_000):
        assert post(client, {**RAW, "current_base": amount}).json() == without


def test_certifications_and_expected_base(api, recruiter, guide):
    body = {
        **RAW,
        "level": "L2",
        "years_experience": "3.5",
        "certifications": ["azure-ai-engineer-associate"],
        "expected_base": "150500.00",  # half up to 151,000
    }

    response = post(api(recruiter), body)

    assert response.status_code == 200
    assert response.json()["recommended_base"] == 151_000
    assert response.json()["warnings"] == []


def test_as_of_on_the_first_band_day(api, recruiter, guide):
    response = post(api(recruiter), {**RAW, "as_of": "2026-01-01"})

    assert response.status_code == 200
    assert response.json()["band"]["effective_from"] == "2026-01-01"


# Bad input.


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"track": "astronaut"}, ["track"]),
        ({"level": "L9"}, ["level"]),
        ({"zone": "mars"}, ["zone"]),
        ({"zone": 7}, ["zone"]),
        ({"years_experience": -1}, ["years_experience"]),
        ({"years_experience": 60.5}, ["years_experience"]),
        ({"years_experience": "seven"}, ["years_experience"]),
        ({"years_experience": None}, ["years_experience"]),
        ({"remote_policy": "sometimes"}, ["remote_policy"]),
        ({"certifications": ["no-such-cert"]}, ["certifications"]),
        ({"certifications": "aws-ml-specialty"}, ["certifications"]),
        ({"expected_base": -5}, ["expected_base"]),
        ({"expected_base": 0}, ["expected_base"]),
        ({"expected_base": 10_000_001}, ["expected_base"]),
        ({"expected_base": "lots"}, ["expected_base"]),
        ({"expected_base": "NaN"}, ["expected_base"]),
        ('{"expected_base": 1e400}', ["expected_base"]),
        ({"competing_offer_base": "abc"}, ["competing_offer_base"]),
        ({"competing_offer_base": -1}, ["competing_offer_base"]),
        ({"current_base": -1}, ["current_base"]),
        ({"current_base": 99_999_999}, ["current_base"]),
        ({"as_of": "yesterday"}, ["as_of"]),
        ({"as_of": "2025-12-31"}, ["as_of"]),
    ],
)
def test_bad_raw_input_is_a_400_naming_the_field(api, recruiter, guide, change, fields):
    if isinstance(change, str):  # JSON the test client cannot encode
        body = json.dumps(RAW)[:-1] + ", " + change[1:]
        response = api(recruiter).post(URL, body, content_type="application/json")
    else:
        response = post(api(recruiter), {**RAW, **change})

    assert response.status_code == 400, response.json()
    assert response.json()["code"] == "invalid"
    assert sorted(response.json()["errors"]) == fields
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, ["application"]),
        ({"competing_offer_base": 100_000}, ["application"]),
        ({"track": "ai-engineer"}, ["level", "years_experience", "zone"]),
        ({"application": "abc"}, ["application"]),
        ({"application": 0}, ["application"]),
        ({"application": 2**70}, ["application"]),
        ({"application": True}, ["application"]),
    ],
)
def test_neither_form_or_a_bad_id_is_a_400_naming_the_field(api, recruiter, world, body, fields):
    response = post(api(recruiter), body)

    assert response.status_code == 400, response.json()
    assert sorted(response.json()["errors"]) == fields


def test_both_forms_at_once_is_a_400_naming_the_fields(api, recruiter, world):
    body = {"application": world["applied"].pk, "track": "ai-engineer", "level": "L3"}

    response = post(api(recruiter), body)

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["application", "level", "track"]


def test_the_current_base_is_not_accepted_beside_an_application(api, recruiter, world):
    response = post(api(recruiter), {"application": world["applied"].pk, "current_base": 1})

    assert response.status_code == 400
    assert sorted(response.json()["errors"]) == ["application", "current_base"]


def test_as_of_before_any_band_with_an_application(api, recruiter, world):
    response = post(api(recruiter), {"application": world["applied"].pk, "as_of": "2020-01-01"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["as_of"]


def test_a_body_that_is_not_an_object_is_a_400(api, recruiter, guide):
    response = post(api(recruiter), [RAW])

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_no_band_is_a_422(api, recruiter, guide):
    response = post(api(recruiter), {**RAW, "track": "research-scientist"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The guide gives no band for Research Scientist at L3; "
        "a compensation admin can add one.",
        "code": "no_band",
        "errors": {
            "track": [
                "The guide gives no band for Research Scientist at L3; "
                "a compensation admin can add one."
            ]
        },
    }


def test_refused_roles_learn_nothing_from_validation(api, interviewer, guide):
    response = post(api(interviewer), {"track": "astronaut"})

    assert response.status_code == 403
    assert response.json() == DENIED


# Nothing written; a fixed number of queries.


def test_nothing_is_written(api, cast, world):
    bodies = [
        RAW,
        {**RAW, "track": "research-scientist"},
        {**RAW, "expected_base": -1},
        {"application": world["applied"].pk, "competing_offer_base": 250_000},
        {"application": world["elsewhere"].pk},
    ]
    clients = [api(cast[role]) for role in ("recruiter", "hiring_manager", "interviewer")]

    with CaptureQueriesContext(connection) as queries:
        for client in clients:
            for body in bodies:
                post(client, body)

    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    assert set(statements) <= {"SELECT", "SAVEPOINT", "RELEASE"}, statements


def test_query_count_is_fixed(api, recruiter, world, django_assert_max_num_queries):
    client = api(recruiter)
    remote_raw = {**RAW, "remote_policy": "remote", "certifications": ["aws-ml-specialty"]}
    assert post(client, RAW).status_code == 200  # the process reads the role data once

    with django_assert_max_num_queries(RAW_QUERIES):
        assert post(client, RAW).status_code == 200
    with django_assert_max_num_queries(RAW_QUERIES):  # the remote zone, the certifications
        assert post(client, remote_raw).status_code == 200
    with django_assert_max_num_queries(APPLICATION_QUERIES):
        assert post(client, {"application": world["applied"].pk}).status_code == 200
