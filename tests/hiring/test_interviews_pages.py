"""Pages: schedule an interview, the interview page, submit a scorecard; every role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hiring.models import Interview, Scorecard, Stage
from tests.conftest import PASSWORD, shared_world
from tests.hiring.interview_world import ScorecardFactory, build_world_for

ROLES = [
    "comp_admin",
    "recruiter",
    "hiring_manager",
    "interviewer",
    "other_interviewer",
    "outsider",
    "anonymous",
]
SCORECARD_FORM = {
    "model_development": "4",
    "data_engineering": "3",
    "collaboration": "2",
    "research_infrastructure": "1",
    "recommendation": "no",
    "comments": "Struggled with the data pipeline question.",
}


def _build(cast):
    world = build_world_for(cast)
    world.card = ScorecardFactory(
        interview=world.interview, interviewer=cast["other_interviewer"], comments="Sharp on evals."
    )
    return world


# Built once for the module; each test gets a copy and rolls back what it writes.
globals().update(shared_world(_build))


@pytest.fixture
def browser(
    request, client, comp_admin, recruiter, hiring_manager, interviewer, other_interviewer, outsider
):
    def sign_in(role):
        if role != "anonymous":
            user = request.getfixturevalue(role)
            assert client.login(username=user.username, password=PASSWORD)
        return client

    return sign_in


def schedule_form(*panel, **overrides) -> dict:
    return {
        "round_name": "Coding",
        "interviewers": [p.pk for p in panel],
        "starts_at": "2026-12-01T10:00",
        "duration_minutes": "45",
        "location": "Room 2",
        **overrides,
    }


# -- schedule ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("comp_admin", 200),
        ("recruiter", 200),
        ("hiring_manager", 200),
        ("interviewer", 403),
        ("other_interviewer", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_schedule_page_by_role(browser, world, role, status):
    url = reverse("hiring:interview-create", args=[world.application.pk])

    response = browser(role).get(url)

    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Schedule an interview" in html
        assert 'type="datetime-local"' in html
        assert 'type="checkbox"' in html
        assert "<script" not in html and 'style="' not in html
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_schedule_post_by_role(browser, world, interviewer, role):
    url = reverse("hiring:interview-create", args=[world.application.pk])
    before = Interview.objects.count()

    response = browser(role).post(url, schedule_form(interviewer))

    if role in {"comp_admin", "recruiter", "hiring_manager"}:
        interview = Interview.objects.latest("id")
        assert response.status_code == 302
        assert response["Location"] == reverse("hiring:interview-detail", args=[interview.pk])
        assert interview.round_name == "Coding"
        assert interview.duration_minutes == 45
        assert interview.starts_at.isoformat() == "2026-12-01T10:00:00+00:00"
        assert list(interview.interviewers.all()) == [interviewer]
        assert Interview.objects.count() == before + 1
    else:
        expected = {"anonymous": 302, "outsider": 404}.get(role, 403)
        assert response.status_code == expected
        assert Interview.objects.count() == before


@pytest.mark.django_db
def test_schedule_errors_show_inline_and_save_nothing(browser, world, outsider):
    url = reverse("hiring:interview-create", args=[world.application.pk])

    response = browser("recruiter").post(
        url, schedule_form(outsider, round_name="", duration_minutes="2", starts_at="soon")
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in html
    assert "Length must be at least 5 minutes." in html
    assert "Enter a valid date/time." in html
    assert 'aria-invalid="true"' in html
    assert 'id="id_round_name_error"' in html
    assert Interview.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts_at", "message"),
    [("0001-01-01T10:00", "in 2000 or later"), ("9999-12-31T10:00", "at most 2 years ahead")],
)
def test_a_date_outside_the_window_is_refused_on_the_page(browser, world, starts_at, message):
    url = reverse("hiring:interview-create", args=[world.application.pk])
    panel = world.interview.interviewers.first()

    response = browser("recruiter").post(url, schedule_form(panel, starts_at=starts_at))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Interview.objects.count() == 2


@pytest.mark.django_db
def test_service_error_shows_inline(browser, world):
    url = reverse("hiring:interview-create", args=[world.application.pk])
    world.application.stage = Stage.HIRED
    world.application.save()

    response = browser("recruiter").get(url)
    response = browser("recruiter").post(url, schedule_form(world.interview.interviewers.first()))

    assert response.status_code == 400
    assert "interviews are scheduled only on active applications" in response.content.decode()
    assert Interview.objects.count() == 2


@pytest.mark.django_db
def test_other_manager_cannot_open_the_schedule_page(client, world, other_manager):
    client.login(username=other_manager.username, password=PASSWORD)

    response = client.get(reverse("hiring:interview-create", args=[world.application.pk]))

    assert response.status_code == 404


# -- interview page ------------------------------------------------------------


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
        ("anonymous", 302),
    ],
)
def test_interview_page_by_role(browser, world, role, status):
    response = browser(role).get(reverse("hiring:interview-detail", args=[world.interview.pk]))

    assert response.status_code == status
    if status != 200:
        return
    html = response.content.decode()
    assert "Technical" in html
    assert "Room 4" in html
    assert "Interviewer" in html and "Other Interviewer" in html
    assert "<script" not in html and 'style="' not in html
    if role == "interviewer":
        assert "Sharp on evals." not in html
        assert "Other interviewers' scorecards appear once you submit yours." in html
        assert "Your scorecard" in html
        assert 'name="model_development"' in html
    else:
        assert "Sharp on evals." in html
        assert "Your scorecard" not in html


@pytest.mark.django_db
def test_interview_page_of_someone_elses_requisition_is_404(browser, world):
    url = reverse("hiring:interview-detail", args=[world.other_interview.pk])

    assert browser("hiring_manager").get(url).status_code == 404


# -- scorecard -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_scorecard_post_by_role(browser, world, interviewer, role):
    url = reverse("hiring:scorecard-create", args=[world.interview.pk])
    before = list(Scorecard.objects.values_list("pk", "recommendation", "comments"))

    response = browser(role).post(url, SCORECARD_FORM)

    if role == "interviewer":
        assert response.status_code == 302
        card = Scorecard.objects.get(interviewer=interviewer)
        assert (card.model_development, card.research_infrastructure) == (4, 1)
        assert card.recommendation == "no"
    else:
        expected = {
            "anonymous": 302,
            "outsider": 404,
            "other_interviewer": 302,  # already submitted: back to the page with a message
        }.get(role, 403)
        assert response.status_code == expected
        assert list(Scorecard.objects.values_list("pk", "recommendation", "comments")) == before


@pytest.mark.django_db
def test_after_submitting_the_interviewer_sees_everyone(browser, world):
    client = browser("interviewer")
    client.post(reverse("hiring:scorecard-create", args=[world.interview.pk]), SCORECARD_FORM)

    html = client.get(reverse("hiring:interview-detail", args=[world.interview.pk])).content
    html = html.decode()

    assert "Scorecard submitted." in html
    assert "Sharp on evals." in html
    assert "Struggled with the data pipeline question." in html
    assert "Your scorecard" not in html


@pytest.mark.django_db
def test_second_submit_says_already_submitted(browser, world):
    client = browser("other_interviewer")

    response = client.post(
        reverse("hiring:scorecard-create", args=[world.interview.pk]), SCORECARD_FORM, follow=True
    )

    assert "You have already submitted a scorecard for this interview." in (
        response.content.decode()
    )
    assert Scorecard.objects.get(pk=world.card.pk).comments == "Sharp on evals."


@pytest.mark.django_db
def test_scorecard_errors_show_inline_and_save_nothing(browser, world):
    form = {**SCORECARD_FORM, "model_development": "7"}
    del form["recommendation"]

    response = browser("interviewer").post(
        reverse("hiring:scorecard-create", args=[world.interview.pk]), form
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Rate this work area from 1 to 4.") == 1
    assert "Choose an overall recommendation." in html
    assert 'id="id_recommendation_error"' in html
    assert Scorecard.objects.count() == 1


@pytest.mark.django_db
def test_scorecard_page_is_post_only(browser, world):
    response = browser("interviewer").get(
        reverse("hiring:scorecard-create", args=[world.interview.pk])
    )

    assert response.status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [1, 10])
def test_interview_page_query_count_is_fixed(
    client, world, recruiter, interviewer, django_assert_max_num_queries, extra
):
    from django.contrib.auth.models import Group

    from tests.conftest import make_user

    group = Group.objects.get(name="Interviewers")
    for n in range(extra):
        person = make_user(f"panel{n}")
        person.groups.add(group)
        world.interview.interviewers.add(person)
        ScorecardFactory(interview=world.interview, interviewer=person)
    client.force_login(recruiter)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("hiring:interview-detail", args=[world.interview.pk]))

    assert response.content.decode().count('class="scorecard"') == extra + 1


# -- reschedule and cancel -----------------------------------------------------


def panel_snapshot(interview) -> tuple:
    interview.refresh_from_db()
    return (
        interview.round_name,
        interview.starts_at,
        interview.duration_minutes,
        interview.location,
        sorted(interview.interviewers.values_list("pk", flat=True)),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("comp_admin", 200),
        ("recruiter", 200),
        ("hiring_manager", 200),
        ("interviewer", 403),
        ("other_interviewer", 403),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_edit_page_by_role(browser, world, role, status):
    response = browser(role).get(reverse("hiring:interview-edit", args=[world.interview.pk]))

    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert 'value="Technical"' in html
        assert "Save changes" in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_edit_post_by_role(browser, world, interviewer, other_interviewer, role):
    url = reverse("hiring:interview-edit", args=[world.interview.pk])
    before = panel_snapshot(world.interview)
    form = schedule_form(interviewer, other_interviewer, round_name="Technical II")

    response = browser(role).post(url, form)

    if role in {"comp_admin", "recruiter", "hiring_manager"}:
        assert response.status_code == 302
        assert panel_snapshot(world.interview)[0] == "Technical II"
        assert panel_snapshot(world.interview)[2:4] == (45, "Room 2")
    else:
        assert response.status_code == {"anonymous": 302, "outsider": 404}.get(role, 403)
        assert panel_snapshot(world.interview) == before


@pytest.mark.django_db
def test_edit_cannot_drop_a_submitter(browser, world, interviewer):
    before = panel_snapshot(world.interview)

    response = browser("recruiter").post(
        reverse("hiring:interview-edit", args=[world.interview.pk]), schedule_form(interviewer)
    )

    assert response.status_code == 400
    assert "Other Interviewer already submitted a scorecard and must stay on the panel." in (
        response.content.decode()
    )
    assert panel_snapshot(world.interview) == before


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_cancel_by_role(browser, world, role):
    Scorecard.objects.all().delete()
    url = reverse("hiring:interview-cancel", args=[world.interview.pk])

    response = browser(role).post(url)

    exists = Interview.objects.filter(pk=world.interview.pk).exists()
    if role in {"comp_admin", "recruiter", "hiring_manager"}:
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "candidates:detail", args=[world.application.candidate_id]
        )
        assert not exists
    else:
        assert response.status_code == {"anonymous": 302, "outsider": 404}.get(role, 403)
        assert exists


@pytest.mark.django_db
def test_cancel_of_a_scored_interview_is_refused_with_a_message(browser, world):
    response = browser("recruiter").post(
        reverse("hiring:interview-cancel", args=[world.interview.pk]), follow=True
    )

    assert "This interview has scorecards and cannot be cancelled." in response.content.decode()
    assert Interview.objects.filter(pk=world.interview.pk).exists()


@pytest.mark.django_db
def test_detail_offers_reschedule_only_to_schedulers(browser, world):
    url = reverse("hiring:interview-detail", args=[world.interview.pk])
    edit = reverse("hiring:interview-edit", args=[world.interview.pk])

    assert edit in browser("hiring_manager").get(url).content.decode()
    assert edit not in browser("interviewer").get(url).content.decode()
