"""Pipeline pages that start from an empty pipeline: the create form, query counts at two
sizes, and the recruiter's and the hiring manager's journeys (every role's view of one
shared world: test_pages.py)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hiring.models import Application, Requisition, StageChange
from hiring.services.applications import application_hire
from tests import bulk
from tests.candidates.factories import CandidateFactory
from tests.conftest import PASSWORD
from tests.hiring.factories import open_requisition
from tests.hiring.pages import client_for, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "status_code"),
    [
        ("admin", 200),
        ("comp_admin", 200),
        ("recruiter", 200),
        ("hiring_manager", 200),
        ("interviewer", 403),
        ("outsider", 403),
    ],
)
def test_requisition_create_page_by_role(client, cast, roles_data, role, status_code):
    assert client_for(client, cast[role]).get(url("requisition-create")).status_code == status_code


@pytest.mark.parametrize("role", ["interviewer", "outsider"])
def test_requisition_create_post_denied_saves_nothing(
    client, cast, roles_data, hiring_manager, role
):
    response = client_for(client, cast[role]).post(url("requisition-create"), {"title": "X"})
    assert response.status_code == 403
    assert Requisition.objects.count() == 0


def form_data(roles_data, manager, **overrides):
    data = {
        "title": "AI Engineer II",
        "track": roles_data["tracks"]["ai-engineer"].pk,
        "level": roles_data["levels"]["L2"].pk,
        "zone": roles_data["zones"]["national"].pk,
        "remote_policy": "hybrid",
        "headcount": "1",
        "hiring_manager": manager.pk,
        "status": "open",
    }
    data.update(overrides)
    return data


def test_create_form_shows_band_errors_inline_and_saves_nothing(
    client, recruiter, hiring_manager, roles_data
):
    response = client_for(client, recruiter).post(
        url("requisition-create"), form_data(roles_data, hiring_manager, posted_max="200000")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["posted_max"] == [
        "Posted maximum must lie inside the band: the band allows $120,000 to $160,000."
    ]
    assert "$120,000\u2013$160,000" in response.content.decode()
    assert Requisition.objects.count() == 0


def test_create_form_refuses_to_open_without_a_band(client, recruiter, hiring_manager, roles_data):
    data = form_data(
        roles_data, hiring_manager, track=roles_data["tracks"]["research-scientist"].pk
    )
    response = client_for(client, recruiter).post(url("requisition-create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["status"] == [
        "The career guide gives no salary band for Research Scientist at L2; "
        "a posted pay range is required by pay-transparency laws."
    ]
    assert Requisition.objects.count() == 0


def test_hiring_manager_creates_a_draft_for_themselves(client, hiring_manager, roles_data):
    data = form_data(roles_data, hiring_manager, status="draft")
    del data["hiring_manager"]
    response = client_for(client, hiring_manager).post(url("requisition-create"), data)
    assert response.status_code == 302
    req = Requisition.objects.get()
    assert (req.status, req.hiring_manager) == ("draft", hiring_manager)


def grow_pipeline(first, total, *, page, actor, certification):
    """Bring what ``page`` lists to ``total`` rows, built in bulk.

    The board (requisition-detail) lists ``total`` applications on ``first``;
    the dashboard and the list show ``total`` requisitions like ``first``,
    three applications each. Applications spread over the stages with their
    stage history (reasons on rejected and withdrawn), candidates hold a
    certification (level fit), and those at interview have an upcoming
    interview with ``actor`` on the panel (the dashboard's interviews).
    """
    if page == "requisition-detail":
        slots = [first] * (total - first.applications.count())
    else:
        reqs = bulk.requisitions(total - Requisition.objects.count(), like=first)
        if not first.applications.exists():
            reqs.insert(0, first)
        slots = [req for req in reqs for _ in range(3)]
    people = bulk.candidates(len(slots), certifications=[certification])
    apps = bulk.applications(zip(slots, people, strict=True), actor=actor)
    bulk.interviews(
        [app for app in apps if app.stage == "interview"], panel=[actor], scored_by=[actor]
    )


@pytest.mark.parametrize("page", ["dashboard", "requisition-list", "requisition-detail"])
def test_pages_run_a_fixed_number_of_queries(
    client, recruiter, hiring_manager, roles_data, django_assert_max_num_queries, page
):
    c = client_for(client, recruiter)
    first = open_requisition(actor=recruiter, hiring_manager=hiring_manager, recruiter=recruiter)
    target = url(page, first.pk) if page == "requisition-detail" else url(page)
    aws = roles_data["certifications"]["aws"]
    counts = []
    # The requisition page lists candidates' cards: one more query, the access event.
    most = 21 if page == "requisition-detail" else 20
    for total in (3, 30):
        grow_pipeline(first, total, page=page, actor=recruiter, certification=aws)
        with django_assert_max_num_queries(most) as ctx:
            response = c.get(target)
        assert response.status_code == 200
        assert shown(response, page) == (min(total, 20) if page == "dashboard" else total)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def shown(response, page) -> int:
    """How many rows the page shows (the list: counts) of those ``grow_pipeline`` built."""
    context = response.context
    if page == "requisition-detail":  # final columns show their counts, cards on demand
        return sum(column.total for column in context["columns"])
    if page == "requisition-list":
        return context["page"].paginator.count
    assert context["interviews"] and context["activity"]
    return len(context["requisitions"])


def test_recruiter_journey_through_the_pages(client, guide, recruiter, hiring_manager):
    """Log in, open a requisition, see its range and JD, apply, move, reject: all in history."""
    from roles.models import Level, Track, Zone

    assert client.login(username="recruiter", password=PASSWORD)
    response = client.post(
        url("requisition-create"),
        {
            "title": "Senior AI Engineer",
            "track": Track.objects.get(slug="ai-engineer").pk,
            "level": Level.objects.get(code="L3").pk,
            "zone": Zone.objects.get(slug="remote").pk,
            "remote_policy": "remote",
            "headcount": "1",
            "hiring_manager": hiring_manager.pk,
            "status": "open",
        },
    )
    assert response.status_code == 302
    req = Requisition.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert "$155,000\u2013$230,000" in detail
    jd = client.get(url("requisition-jd", req.pk)).content.decode()
    assert "Model development and deployment: 40 to 50% of the time" in jd
    assert "Remote: pay anchors to the national median" in jd
    assert "Base salary $155,000 to $230,000 per year." in jd

    hired = CandidateFactory(
        full_name="Grace Hopper", email="grace@example.com", years_experience=Decimal("7")
    )
    declined = CandidateFactory(full_name="Alan Turing", email="alan@example.com")
    for email in ("grace@example.com", "alan@example.com"):
        added = client.post(
            url("application-create"),
            {"requisition": req.pk, "candidate_email": email, "stage": "applied"},
        )
        assert added.status_code == 302
    grace = Application.objects.get(candidate=hired)
    alan = Application.objects.get(candidate=declined)
    for before, after in [
        ("applied", "screen"),
        ("screen", "interview"),
        ("interview", "offer"),
    ]:
        moved = client.post(
            url("application-move", grace.pk), {"to_stage": after, "expected_stage": before}
        )
        assert moved.status_code == 302
    refused = client.post(
        url("application-move", grace.pk),
        {"to_stage": "hired", "expected_stage": "offer"},
        follow=True,
    )
    assert "Hired is reached by accepting the offer on the offer page." in refused.content.decode()
    # Accepting an offer hires through this service (tests/offers covers the offer itself).
    application_hire(application=grace, actor=recruiter)
    rejected = client.post(
        url("application-move", alan.pk),
        {"to_stage": "rejected", "expected_stage": "applied", "reason": "not-enough-experience"},
        follow=True,
    )
    html = rejected.content.decode()
    assert "Alan Turing moved to rejected." in html
    assert "Not enough experience" in html
    req.refresh_from_db()
    assert req.status == "filled"
    assert list(
        StageChange.objects.filter(application=grace).values_list("to_stage", flat=True)
    ) == ["applied", "screen", "interview", "offer", "hired"]
    assert html.count('class="history-row"') == 7
    assert grace.history.count() == 5
    assert {h.history_user for h in grace.history.all()} == {recruiter}


def test_hiring_manager_edits_their_own_draft_but_cannot_open_it(
    client, hiring_manager, recruiter, roles_data
):
    from hiring.services.requisitions import requisition_create

    draft = requisition_create(
        actor=hiring_manager,
        title="Draft",
        track=roles_data["tracks"]["ai-engineer"],
        level=roles_data["levels"]["L1"],
        zone=roles_data["zones"]["national"],
        hiring_manager=hiring_manager,
    )
    c = client_for(client, hiring_manager)
    data = form_data(roles_data, hiring_manager, title="Draft, renamed", status="open")
    del data["hiring_manager"]
    response = c.post(url("requisition-edit", draft.pk), data)
    assert response.status_code == 400  # "open" is not a choice for a hiring manager
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Draft", "draft")
    response = c.post(url("requisition-edit", draft.pk), {**data, "status": "draft"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Draft, renamed", "draft")


def test_the_dashboard_lists_my_20_newest_requisitions_with_their_stage_counts(
    client, hiring_manager, recruiter
):
    from tests.hiring.factories import ApplicationFactory, RequisitionFactory

    made = [RequisitionFactory(hiring_manager=hiring_manager) for _ in range(23)]
    Requisition.objects.filter(pk=made[-1].pk).update(status=Requisition.Status.CANCELLED)
    age = {r.pk: datetime.timedelta(days=n % 5, minutes=n) for n, r in enumerate(made)}
    for requisition in made:
        Requisition.objects.filter(pk=requisition.pk).update(
            created_at=timezone.now() - age[requisition.pk]
        )
    for stage in ("applied", "applied", "screen", "hired"):
        ApplicationFactory(requisition=made[0], stage=stage)
    expected = [r.title for r in sorted(made[:-1], key=lambda r: age[r.pk])][:20]

    shown = client_for(client, hiring_manager).get(url("dashboard")).context["requisitions"]

    assert [r.title for r in shown] == expected
    assert made[-1].title not in expected
    counts = {r.title: dict(r.stage_counts) for r in shown}
    assert counts[made[0].title] == {
        "Sourced": 0, "Applied": 2, "Screen": 1, "Interview": 0, "Offer": 0, "Hired": 1,
        "Rejected": 0, "Withdrawn": 0,
    }  # fmt: skip
    assert sum(sum(c.values()) for c in counts.values()) == 4
