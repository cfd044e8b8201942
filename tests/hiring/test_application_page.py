"""The application page for every role, its content, its sections and its query count;
the links to it; the requisition page's flag for a superseded band version."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.scopes import PageSection
from hiring import sections
from hiring.models import Interview, StageChange
from roles.models import SalaryBand
from roles.services import band_revise
from tests.access_events import logged
from tests.conftest import shared_world
from tests.hiring.factories import apply_candidate, open_requisition
from tests.hiring.interview_world import InterviewFactory, ScorecardFactory

pytestmark = pytest.mark.django_db


def _build(cast) -> dict:
    recruiter, hiring_manager = cast["recruiter"], cast["hiring_manager"]
    other_manager, interviewer = cast["other_manager"], cast["interviewer"]
    other_interviewer = cast["other_interviewer"]
    mine = open_requisition(actor=recruiter, hiring_manager=hiring_manager, title="Mine")
    theirs = open_requisition(actor=recruiter, hiring_manager=other_manager, title="Theirs")
    interviewed = apply_candidate(
        requisition=mine,
        actor=recruiter,
        full_name="Ada Interviewed",
        expected_base=Decimal("171717"),
    )
    other = apply_candidate(requisition=mine, actor=recruiter, full_name="Bob Other")
    elsewhere = apply_candidate(requisition=theirs, actor=recruiter, full_name="Cy Elsewhere")
    interview = InterviewFactory(
        application=interviewed,
        round_name="Technical",
        interviewers=[interviewer, other_interviewer],
        created_by=recruiter,
    )
    return {
        "mine": mine,
        "theirs": theirs,
        "interviewed": interviewed,
        "other": other,
        "elsewhere": elsewhere,
        "interview": interview,
    }


globals().update(shared_world(_build, role_data="roles_data"))


def page(application) -> str:
    return reverse("hiring:application-detail", args=[application.pk])


def signed_in(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "interviewed", "other", "elsewhere"),
    [
        ("admin", 200, 200, 200),
        ("comp_admin", 200, 200, 200),
        ("recruiter", 200, 200, 200),
        ("hiring_manager", 200, 200, 404),
        ("interviewer", 200, 404, 404),
        ("outsider", 404, 404, 404),
    ],
)
def test_application_page_by_role(client, cast, world, role, interviewed, other, elsewhere):
    c = signed_in(client, cast[role])
    assert c.get(page(world["interviewed"])).status_code == interviewed
    assert c.get(page(world["other"])).status_code == other
    assert c.get(page(world["elsewhere"])).status_code == elsewhere
    # Each page shown is a view of its candidate; a 404 records nothing.
    shown = [
        name
        for name, status in (
            ("interviewed", interviewed),
            ("other", other),
            ("elsewhere", elsewhere),
        )
        if status == 200
    ]
    who = cast[role].username
    assert logged() == [
        (who, "view", "page", "candidate", str(world[name].candidate_id), page(world[name]), None)
        for name in shown
    ]


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(page(world["interviewed"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_application_is_404(client, recruiter, world):
    assert signed_in(client, recruiter).get("/hiring/applications/999999/").status_code == 404


def test_manager_on_another_managers_panel_sees_it_as_an_interviewer(client, other_manager, world):
    world["interview"].interviewers.add(other_manager)
    response = signed_in(client, other_manager).get(page(world["interviewed"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "171,717" not in body
    assert "Posted pay range" not in body
    assert "Schedule an interview" not in body


def test_page_shows_candidate_requisition_stage_history_and_interviews(client, recruiter, world):
    application = world["interviewed"]
    response = signed_in(client, recruiter).get(page(application))
    body = response.content.decode()
    assert reverse("candidates:detail", args=[application.candidate_id]) in body
    assert reverse("hiring:requisition-detail", args=[world["mine"].pk]) in body
    assert response.context["application"].pk == application.pk
    assert [c.to_stage for c in response.context["stage_changes"]] == ["applied"]
    assert [row["interview"].round_name for row in response.context["interviews"]] == ["Technical"]
    assert reverse("hiring:interview-detail", args=[world["interview"].pk]) in body
    assert reverse("hiring:interview-create", args=[application.pk]) in body
    assert "Level fit" in body


def test_pay_follows_the_pay_policy(client, cast, world):
    shown = {}
    for role in ("recruiter", "hiring_manager", "interviewer"):
        client.logout()
        body = signed_in(client, cast[role]).get(page(world["interviewed"])).content.decode()
        shown[role] = ("$171,717" in body, "Posted pay range" in body)
    assert shown == {
        "recruiter": (True, True),
        "hiring_manager": (True, True),
        "interviewer": (False, False),
    }


def test_interviewer_cannot_schedule_and_sees_no_other_scorecard_before_their_own(
    client, interviewer, other_interviewer, world
):
    ScorecardFactory(interview=world["interview"], interviewer=other_interviewer)
    response = signed_in(client, interviewer).get(page(world["interviewed"]))
    body = response.content.decode()
    assert "Schedule an interview" not in body
    row = response.context["interviews"][0]
    assert row["blind"] is True
    assert row["scorecards"] == []
    assert "appear once you submit yours" in body


def test_after_their_own_scorecard_the_interviewer_sees_the_others(
    client, interviewer, other_interviewer, world
):
    ScorecardFactory(interview=world["interview"], interviewer=other_interviewer)
    ScorecardFactory(interview=world["interview"], interviewer=interviewer)
    response = signed_in(client, interviewer).get(page(world["interviewed"]))
    names = sorted(
        card.interviewer.username for card in response.context["interviews"][0]["scorecards"]
    )
    assert names == ["interviewer", "other_interviewer"]


def test_registered_sections_appear_on_the_application_page_and_dashboard(
    client, recruiter, interviewer, world
):
    seen = []

    def provider(obj, user, request):
        seen.append((obj.pk if obj else None, user.username))
        if user.username != "recruiter":
            return None
        return PageSection(anchor="extra", title="Extra block", html="<p>Extra content</p>")

    sections.register(sections.APPLICATION, provider)
    sections.register(sections.DASHBOARD, provider)
    try:
        c = signed_in(client, recruiter)
        body = c.get(page(world["other"])).content.decode()
        dashboard = c.get(reverse("hiring:dashboard")).content.decode()
        client.logout()
        hidden = signed_in(client, interviewer).get(page(world["interviewed"])).content.decode()
    finally:
        sections.unregister(sections.APPLICATION, provider)
        sections.unregister(sections.DASHBOARD, provider)
    assert 'id="extra"' in body and "Extra content" in body
    assert 'id="extra"' in dashboard and "Extra content" in dashboard
    assert "Extra content" not in hidden
    assert seen == [
        (world["other"].pk, "recruiter"),
        (None, "recruiter"),
        (world["interviewed"].pk, "interviewer"),
    ]


def test_registering_an_unknown_page_is_refused():
    with pytest.raises(ValueError, match="Unknown page"):
        sections.register("nowhere", lambda obj, user, request: None)


def test_board_cards_and_candidate_page_link_to_the_application(client, recruiter, world):
    c = signed_in(client, recruiter)
    board = c.get(reverse("hiring:requisition-detail", args=[world["mine"].pk])).content.decode()
    assert page(world["interviewed"]) in board
    assert page(world["other"]) in board
    candidate = world["interviewed"].candidate
    profile = c.get(reverse("candidates:detail", args=[candidate.pk])).content.decode()
    assert page(world["interviewed"]) in profile


def grow(application, total: int, *, actor, panel) -> None:
    """Bring the application's stage changes and interviews (each scored) up to ``total``."""
    have = application.stage_changes.count()
    now = timezone.now()
    StageChange.objects.bulk_create(
        StageChange(
            application=application,
            from_stage="applied",
            to_stage="screen",
            actor=actor,
            at=now,
            note=f"Note {n}",
        )
        for n in range(have, total)
    )
    for n in range(Interview.objects.filter(application=application).count(), total):
        interview = InterviewFactory(
            application=application, round_name=f"Round {n}", interviewers=panel
        )
        for person in panel:
            ScorecardFactory(interview=interview, interviewer=person)


def test_application_page_runs_a_fixed_number_of_queries(
    client, recruiter, interviewer, world, django_assert_max_num_queries
):
    application = world["other"]
    c = signed_in(client, recruiter)
    c.get(page(application))  # the process reads the role data once (roles.snapshot)
    counts = []
    for total in (3, 30):
        grow(application, total, actor=recruiter, panel=[interviewer, recruiter])
        # 15 with the access event: the target at full volume (docs/performance.md).
        with django_assert_max_num_queries(15) as ctx:
            response = c.get(page(application))
        assert response.status_code == 200
        assert len(response.context["stage_changes"]) == total
        assert len(response.context["interviews"]) == total
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


# -- the superseded band flag on the requisition page ---------------------------------


def revise(requisition, actor, *, base_min="125000", base_max="170000", days_ago=1):
    old = SalaryBand.objects.get(pk=requisition.band_id)
    return band_revise(
        band=old,
        base_min=Decimal(base_min),
        base_max=Decimal(base_max),
        open_ended_top=False,
        effective_from=timezone.localdate() - datetime.timedelta(days=days_ago),
        source=old.source,
        change_note="Market moved",
        actor=actor,
    )


def test_requisition_page_flags_a_superseded_band_with_old_and_new_figures(
    client, comp_admin, recruiter, world
):
    requisition = world["mine"]
    revise(requisition, comp_admin)
    response = signed_in(client, recruiter).get(
        reverse("hiring:requisition-detail", args=[requisition.pk])
    )
    change = response.context["band_change"]
    assert (change.old_band.base_min, change.old_band.base_max) == (
        Decimal("120000.00"),
        Decimal("160000.00"),
    )
    assert (change.new_band.base_min, change.new_band.base_max) == (
        Decimal("125000.00"),
        Decimal("170000.00"),
    )
    body = response.content.decode()
    assert 'id="band-change"' in body
    assert "$120,000" in body and "$160,000" in body
    assert "$125,000" in body and "$170,000" in body


def test_no_flag_while_the_band_version_is_current(client, recruiter, world):
    response = signed_in(client, recruiter).get(
        reverse("hiring:requisition-detail", args=[world["mine"].pk])
    )
    assert response.context["band_change"] is None
    assert 'id="band-change"' not in response.content.decode()


def test_band_flag_follows_the_pay_policy(client, cast, comp_admin, world):
    revise(world["mine"], comp_admin)
    shown = {}
    for role in ("hiring_manager", "interviewer"):
        client.logout()
        response = signed_in(client, cast[role]).get(
            reverse("hiring:requisition-detail", args=[world["mine"].pk])
        )
        body = response.content.decode()
        shown[role] = ('id="band-change"' in body, "$170,000" in body)
    assert shown == {"hiring_manager": (True, True), "interviewer": (False, False)}
