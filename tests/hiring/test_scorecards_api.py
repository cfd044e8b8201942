"""/api/v1/scorecards/: the blind rule, every role, and denied writes change nothing."""

from __future__ import annotations

import pytest

from hiring.models import Scorecard
from tests import bulk
from tests.conftest import shared_world
from tests.hiring.interview_world import InterviewFactory, ScorecardFactory, build_world

URL = "/api/v1/scorecards/"
CARD = {
    "model_development": 4,
    "data_engineering": 3,
    "collaboration": 2,
    "research_infrastructure": 1,
    "recommendation": "strong_yes",
    "comments": "Great design answer.",
}


def _build(cast):
    other_interviewer = cast["other_interviewer"]
    world = build_world(
        recruiter=cast["recruiter"],
        hiring_manager=cast["hiring_manager"],
        interviewer=cast["interviewer"],
        other_interviewer=other_interviewer,
        other_manager=cast["other_manager"],
    )
    # other_interviewer has scored both interviews; interviewer has scored none.
    world.card = ScorecardFactory(
        interview=world.interview, interviewer=other_interviewer, comments="A"
    )
    world.other_card = ScorecardFactory(
        interview=world.other_interview, interviewer=other_interviewer, comments="B"
    )
    return world


globals().update(shared_world(_build))


@pytest.fixture
def user_for(
    request, comp_admin, recruiter, hiring_manager, interviewer, other_interviewer, outsider
):
    def get(role):
        return None if role == "anonymous" else request.getfixturevalue(role)

    return get


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("comp_admin", ["A", "B"]),
        ("recruiter", ["A", "B"]),
        ("hiring_manager", ["A"]),
        ("interviewer", []),
        ("other_interviewer", ["A", "B"]),
        ("outsider", []),
    ],
)
def test_list_shows_only_what_the_user_may_read(api, world, user_for, role, expected):
    response = api(user_for(role)).get(URL)

    assert response.status_code == 200
    assert sorted(row["comments"] for row in response.json()["results"]) == expected


@pytest.mark.django_db
def test_list_refuses_anonymous(api, world):
    assert api(None).get(URL).status_code == 401


@pytest.mark.django_db
def test_interviewer_sees_others_only_after_submitting_own(api, world, interviewer):
    client = api(interviewer)
    assert client.get(URL).json()["results"] == []
    assert client.get(f"{URL}{world.card.pk}/").status_code == 404

    created = client.post(URL, {"interview": world.interview.pk, **CARD}, format="json")

    assert created.status_code == 201
    rows = client.get(URL, {"interview": world.interview.pk}).json()["results"]
    assert sorted(row["comments"] for row in rows) == ["A", "Great design answer."]
    assert client.get(f"{URL}{world.card.pk}/").json()["comments"] == "A"


@pytest.mark.django_db
def test_blind_rule_applies_to_a_manager_on_the_panel(api, world, hiring_manager):
    world.interview.interviewers.add(hiring_manager)

    rows = api(hiring_manager).get(URL).json()["results"]

    assert rows == []


@pytest.mark.django_db
def test_blind_rule_is_per_interview(api, world, interviewer, other_interviewer):
    second = InterviewFactory(
        application=world.application, interviewers=[interviewer, other_interviewer]
    )
    ScorecardFactory(interview=second, interviewer=other_interviewer, comments="C")
    ScorecardFactory(interview=world.interview, interviewer=interviewer, comments="mine")

    rows = api(interviewer).get(URL).json()["results"]

    assert sorted(row["comments"] for row in rows) == ["A", "mine"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("comp_admin", 200),
        ("recruiter", 200),
        ("hiring_manager", 200),
        ("interviewer", 404),
        ("other_interviewer", 200),
        ("outsider", 404),
        ("anonymous", 401),
    ],
)
def test_retrieve_by_role(api, world, user_for, role, status):
    response = api(user_for(role)).get(f"{URL}{world.card.pk}/")

    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["interviewer"] == world.card.interviewer_id
        assert body["interviewer_name"] == "Other Interviewer"
        assert body["recommendation_label"] == "Yes"
        assert (body["model_development"], body["research_infrastructure"]) == (3, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("comp_admin", 403),
        ("recruiter", 403),
        ("hiring_manager", 403),
        ("interviewer", 201),
        ("other_interviewer", 409),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_create_by_role(api, world, user_for, role, status):
    before = list(Scorecard.objects.values_list("pk", "recommendation"))

    response = api(user_for(role)).post(
        URL, {"interview": world.interview.pk, **CARD}, format="json"
    )

    assert response.status_code == status
    if status == 201:
        card = Scorecard.objects.get(pk=response.json()["id"])
        assert card.interviewer == user_for(role)
        assert card.recommendation == "strong_yes"
        assert Scorecard.objects.count() == len(before) + 1
    else:
        assert list(Scorecard.objects.values_list("pk", "recommendation")) == before


@pytest.mark.django_db
def test_duplicate_says_already_submitted(api, world, other_interviewer):
    response = api(other_interviewer).post(
        URL, {"interview": world.interview.pk, **CARD}, format="json"
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "You have already submitted a scorecard for this interview.",
        "code": "already_submitted",
        "errors": {"interview": ["You have already submitted a scorecard for this interview."]},
    }


@pytest.mark.django_db
def test_scoring_an_interview_you_cannot_see_is_400(api, world, interviewer):
    response = api(interviewer).post(
        URL, {"interview": world.other_interview.pk, **CARD}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"interview": ["No such interview."]}
    assert Scorecard.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"model_development": 0}, "model_development", "Rate from 1 to 4."),
        ({"data_engineering": 5}, "data_engineering", "Rate from 1 to 4."),
        ({"collaboration": "good"}, "collaboration", "Rate with a whole number from 1 to 4."),
        ({"research_infrastructure": None}, "research_infrastructure", "may not be null"),
        ({"recommendation": "maybe"}, "recommendation", '"maybe" is not a valid choice.'),
        ({"interview": None}, "interview", "may not be null"),
    ],
)
def test_bad_input_is_400_naming_the_field(api, world, interviewer, overrides, field, message):
    body = {"interview": world.interview.pk, **CARD, **overrides}

    response = api(interviewer).post(URL, body, format="json")

    assert response.status_code == 400
    assert message in response.json()["errors"][field][0]
    assert Scorecard.objects.count() == 2


@pytest.mark.django_db
def test_missing_rating_is_400(api, world, interviewer):
    body = {"interview": world.interview.pk, **CARD}
    del body["collaboration"]

    response = api(interviewer).post(URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"collaboration": ["Rate this work area from 1 to 4."]}


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_scorecards_are_immutable_through_the_api(api, world, other_interviewer, method):
    response = getattr(api(other_interviewer), method)(
        f"{URL}{world.card.pk}/", {"comments": "edited"}, format="json"
    )

    assert response.status_code == 405
    world.card.refresh_from_db()
    assert world.card.comments == "A"


@pytest.mark.django_db
def test_list_query_count_is_fixed(
    api, world, recruiter, interviewer, other_interviewer, django_assert_max_num_queries
):
    client = api(interviewer)
    counts, built = [], 0
    for rows in (3, 30):
        # Both sat on each panel and both scored: the interviewer sees the two cards.
        bulk.interviewed(
            world.requisition,
            rows - built,
            actor=recruiter,
            panel=[interviewer, other_interviewer],
            scored_by=[interviewer, other_interviewer],
        )
        built = rows

        with django_assert_max_num_queries(4) as ctx:
            response = client.get(URL, {"page_size": 500})

        assert response.json()["count"] == rows * 2
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
