"""The board: columns a page at a time, "show more", filters, bulk moves, fixed queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from hiring.models import Application, StageChange
from hiring.selectors import board as selectors
from tests import bulk
from tests.access_events import logged
from tests.candidates.factories import CandidateFactory
from tests.hiring.factories import apply_candidate, open_requisition

pytestmark = pytest.mark.django_db


@pytest.fixture
def requisition(roles_data, recruiter, hiring_manager):
    return open_requisition(actor=recruiter, hiring_manager=hiring_manager, title="Board")


def board_url(requisition) -> str:
    return reverse("hiring:requisition-detail", args=[requisition.pk])


def column(columns, stage):
    return next(c for c in columns if c.stage == stage)


def test_a_column_shows_its_first_cards_and_pages_on_with_a_cursor(recruiter, requisition):
    apps = bulk.applications(
        ((requisition, c) for c in bulk.candidates(5)), actor=recruiter, stages=["screen"]
    )
    columns = selectors.board(user=recruiter, requisition=requisition, per_column=2)
    screen = column(columns, "screen")
    assert (screen.total, [c.pk for c in screen.cards]) == (5, [a.pk for a in apps[:2]])
    seen = [c.pk for c in screen.cards]
    cursor = screen.next_cursor
    while cursor:
        page = selectors.column_page(
            user=recruiter, requisition=requisition, stage="screen", after=cursor, per_column=2
        )
        seen += [c.pk for c in page.cards]
        cursor = page.next_cursor
    assert seen == [a.pk for a in apps]
    assert column(columns, "offer").next_cursor == ""


def test_show_more_answers_the_next_cards_as_a_fragment(client, recruiter, requisition):
    bulk.applications(
        ((requisition, c) for c in bulk.candidates(12)), actor=recruiter, stages=["applied"]
    )
    client.force_login(recruiter)
    page = client.get(board_url(requisition))
    first = page.context["columns"][1]
    assert (first.stage, len(first.cards), first.total) == ("applied", 10, 12)
    more = reverse("hiring:board-column", args=[requisition.pk, "applied"])
    fragment = client.get(f"{more}?after={first.next_cursor}", HTTP_X_REQUESTED_WITH="fetch")
    assert fragment.status_code == 200
    assert fragment.content.decode().count('class="board-card"') == 2
    assert "<html" not in fragment.content.decode()
    assert client.get(f"{more}?after=nonsense").status_code == 404
    assert (
        client.get(reverse("hiring:board-column", args=[requisition.pk, "limbo"])).status_code
        == 404
    )
    # The page and the fragment list candidates' cards: one event each, with the cards
    # shown; the refused requests record nothing.
    assert logged() == [
        ("recruiter", "list", "page", "candidate", "", board_url(requisition), 10),
        ("recruiter", "list", "page", "candidate", "", f"{more}?after={first.next_cursor}", 2),
    ]


def test_filters_narrow_the_cards_by_text_source_stage_and_level_fit(
    recruiter, requisition, roles_data
):
    aws = roles_data["certifications"]["aws"]
    fits = CandidateFactory(
        full_name="Fay Fits", years_experience=Decimal("3"), source="referral", referrer="Ann"
    )
    fits.certifications.add(aws)
    senior = CandidateFactory(
        full_name="Sam Senior", years_experience=Decimal("7"), source="linkedin"
    )
    uncertified = CandidateFactory(
        full_name="Una Cert", years_experience=Decimal("3"), source="linkedin"
    )
    for person in (fits, senior, uncertified):
        apply_candidate(requisition=requisition, actor=recruiter, candidate=person)

    def names(**filters):
        columns = selectors.board(
            user=recruiter, requisition=requisition, filters=selectors.BoardFilters(**filters)
        )
        return sorted(card.candidate.full_name for col in columns for card in col.cards)

    assert names(fit="fits") == ["Fay Fits"]
    assert names(fit="warns") == ["Sam Senior", "Una Cert"]
    assert names(source="linkedin") == ["Sam Senior", "Una Cert"]
    assert names(text="SENIOR") == ["Sam Senior"]
    assert names(stage="screen") == []
    columns = selectors.board(
        user=recruiter, requisition=requisition, filters=selectors.BoardFilters(stage="applied")
    )
    assert [c.stage for c in columns] == ["applied"]


def test_bulk_reject_moves_every_selected_card_with_one_reason(client, recruiter, requisition):
    apps = [apply_candidate(requisition=requisition, actor=recruiter) for _ in range(3)]
    client.force_login(recruiter)
    response = client.post(
        reverse("hiring:board-move", args=[requisition.pk]),
        {
            "cards": [f"{a.pk}:applied" for a in apps[:2]],
            "to_stage": "rejected",
            "reason": "skills-gap",
        },
    )
    assert response.status_code == 302
    rows = Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk")
    assert [(a.stage, a.disposition_reason and a.disposition_reason.code) for a in rows] == [
        ("rejected", "skills-gap"),
        ("rejected", "skills-gap"),
        ("applied", None),
    ]
    changes = StageChange.objects.filter(to_stage="rejected")
    assert {(c.actor, c.reason.code) for c in changes} == {(recruiter, "skills-gap")}
    assert "2 candidates moved to rejected." in client.get(board_url(requisition)).content.decode()


def test_bulk_move_is_all_or_nothing_and_says_why_next_to_the_form(client, recruiter, requisition):
    ada = apply_candidate(requisition=requisition, actor=recruiter, full_name="Ada Ahead")
    bob = apply_candidate(requisition=requisition, actor=recruiter, full_name="Bob Behind")
    client.force_login(recruiter)
    target = reverse("hiring:board-move", args=[requisition.pk])
    stale = client.post(
        target, {"cards": [f"{ada.pk}:applied", f"{bob.pk}:screen"], "to_stage": "interview"}
    )
    assert stale.status_code == 400
    assert "Bob Behind: This card moved meanwhile to Applied." in stale.content.decode()
    assert 'id="bulk-error" autofocus' in stale.content.decode()
    no_reason = client.post(target, {"cards": [f"{ada.pk}:applied"], "to_stage": "rejected"})
    assert "Ada Ahead: Moving to rejected needs a reason." in no_reason.content.decode()
    nothing = client.post(target, {"to_stage": "screen"})
    assert "Select at least one card." in nothing.content.decode()
    assert set(Application.objects.values_list("stage", flat=True)) == {"applied"}
    assert StageChange.objects.count() == 2


@pytest.mark.parametrize(("role", "status"), [("interviewer", 403), ("outsider", 404)])
def test_bulk_move_by_those_who_may_not_move(client, cast, requisition, recruiter, role, status):
    app = apply_candidate(requisition=requisition, actor=recruiter)
    bulk.interviews([app], panel=[cast["interviewer"]])  # the panel sees the board
    client.force_login(cast[role])
    response = client.post(
        reverse("hiring:board-move", args=[requisition.pk]),
        {"cards": [f"{app.pk}:applied"], "to_stage": "screen"},
    )
    assert response.status_code == status
    app.refresh_from_db()
    assert app.stage == "applied"


def test_the_board_costs_the_same_queries_at_3_and_30_cards_a_column(
    client, recruiter, requisition, django_assert_max_num_queries
):
    client.force_login(recruiter)
    counts = []
    for total in (3, 30):
        grow = total - requisition.applications.count()
        apps = bulk.applications(
            ((requisition, c) for c in bulk.candidates(grow)),
            actor=recruiter,
            stages=["interview", "rejected"],
        )
        bulk.interviews([a for a in apps if a.stage == "interview"], panel=[recruiter])
        with django_assert_max_num_queries(15) as ctx:  # the full-volume target
            response = client.get(board_url(requisition))
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    interview = column(response.context["columns"], "interview")
    assert (interview.total, len(interview.cards)) == (16, 10)
    assert counts[0] == counts[1]


def test_the_recent_history_is_the_newest_changes_of_this_requisition_newest_first(
    recruiter, hiring_manager, requisition
):
    other = open_requisition(actor=recruiter, hiring_manager=hiring_manager, title="Other")
    people = bulk.candidates(6)
    bulk.applications(((requisition, c) for c in people[:4]), actor=recruiter, stages=["offer"])
    bulk.applications(((other, c) for c in people[4:]), actor=recruiter, stages=["offer"])
    mine = list(StageChange.objects.filter(application__requisition=requisition))
    start = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)
    for number, change in enumerate(mine):  # in an order unlike the ids', with ties
        change.at = start + datetime.timedelta(minutes=number * 7 % 11)
    StageChange.objects.bulk_update(mine, ["at"])

    shown = selectors.recent_changes(recruiter, requisition, limit=5)

    newest = sorted(mine, key=lambda c: (c.at, c.pk), reverse=True)[:5]
    assert [c.pk for c in shown] == [c.pk for c in newest]
    assert {c.application.candidate.full_name for c in shown} <= {p.full_name for p in people[:4]}
