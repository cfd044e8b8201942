"""application_move: rules, reasons, notes, final stages, hires and headcount, stale moves."""

import pytest

from core.errors import Conflict, DomainError, InvalidState
from hiring.models import Application, Requisition, Stage, StageChange
from hiring.selectors.pipeline import follow_up
from hiring.services.applications import application_hire, application_move
from tests.hiring.factories import apply_candidate, open_requisition, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def requisition(roles_data, recruiter, hiring_manager):
    return open_requisition(actor=recruiter, hiring_manager=hiring_manager)


@pytest.fixture
def application(requisition, recruiter):
    return apply_candidate(requisition=requisition, actor=recruiter)


def move(application, to_stage, actor, **kw):
    return application_move(
        application=application,
        to_stage=to_stage,
        expected_stage=kw.pop("expected_stage", application.stage),
        actor=actor,
        **kw,
    )


def changes(application):
    return list(
        StageChange.objects.filter(application=application).values_list("from_stage", "to_stage")
    )


def test_create_writes_the_first_stage_change(application, recruiter):
    assert changes(application) == [("", "applied")]
    assert application.stage == Stage.APPLIED
    assert StageChange.objects.get(application=application).actor == recruiter


def test_forward_move_may_skip_and_writes_one_row(application, recruiter):
    change = move(application, "interview", recruiter)
    application.refresh_from_db()
    assert application.stage == "interview"
    assert application.stage_entered_at == change.at
    assert (change.from_stage, change.to_stage, change.actor) == ("applied", "interview", recruiter)
    assert changes(application) == [("", "applied"), ("applied", "interview")]


def test_backward_move_needs_a_note_and_is_one_step(application, recruiter):
    walk(application, ["screen", "interview"], actor=recruiter)
    with pytest.raises(DomainError) as no_note:
        move(application, "screen", recruiter)
    assert no_note.value.errors == {"note": ["A backward move needs a note saying why."]}
    assert no_note.value.status_code == 400
    with pytest.raises(InvalidState) as two_steps:
        move(application, "applied", recruiter, note="start over")
    assert two_steps.value.message == (
        "Cannot move from interview to applied. "
        "Allowed from interview: screen, offer, rejected, withdrawn."
    )
    assert two_steps.value.extra == {
        "current_stage": "interview",
        "allowed_stages": ["screen", "offer", "rejected", "withdrawn"],
    }
    application.refresh_from_db()
    assert application.stage == "interview"
    assert len(changes(application)) == 3
    change = move(application, "screen", recruiter, note="Panel asked for a second screen")
    assert change.note == "Panel asked for a second screen"


def test_reject_needs_a_reason_from_the_catalogue(application, recruiter):
    with pytest.raises(DomainError) as missing:
        move(application, "rejected", recruiter)
    assert missing.value.errors == {"reason": ["Moving to rejected needs a reason."]}
    with pytest.raises(DomainError) as unknown:
        move(application, "rejected", recruiter, reason="bad-vibes")
    assert unknown.value.errors["reason"][0].startswith(
        "Unknown reason 'bad-vibes' for rejected. Valid reasons: "
    )
    assert "declined-compensation" in unknown.value.errors["reason"][0]
    with pytest.raises(DomainError) as wrong_stage:
        move(application, "rejected", recruiter, reason="accepted-another-offer")
    assert "reason" in wrong_stage.value.errors
    assert changes(application) == [("", "applied")]
    change = move(application, "rejected", recruiter, reason="skills-gap", note="No MLOps")
    application.refresh_from_db()
    assert application.stage == "rejected"
    assert application.disposition_reason.code == "skills-gap"
    assert change.reason.label == "Skills gap"


@pytest.mark.parametrize(
    ("to_stage", "code"),
    [("withdrawn", "declined-compensation"), ("rejected", "declined-compensation")],
)
def test_declined_compensation_is_a_reason_for_both_final_stages(
    application, recruiter, to_stage, code
):
    change = move(application, to_stage, recruiter, reason=code)
    assert (change.to_stage, change.reason.label) == (to_stage, "Declined: compensation")


@pytest.mark.parametrize("final", ["rejected", "withdrawn"])
def test_nothing_leaves_rejected_or_withdrawn(application, recruiter, final):
    move(application, final, recruiter, reason="other")
    with pytest.raises(InvalidState) as info:
        move(application, "screen", recruiter, note="oops")
    assert info.value.message == f"Nothing leaves {final}: it is a final stage."
    assert info.value.extra == {"current_stage": final, "allowed_stages": []}
    application.refresh_from_db()
    assert application.stage == final


def test_unknown_stage_names_the_valid_ones(application, recruiter):
    with pytest.raises(DomainError) as info:
        move(application, "limbo", recruiter)
    assert info.value.errors == {
        "to_stage": [
            "Unknown stage 'limbo'. Valid stages: sourced, applied, screen, interview, offer, "
            "hired, rejected, withdrawn."
        ]
    }


def test_stale_move_is_a_conflict_with_the_current_stage(application, recruiter, other_recruiter):
    move(application, "screen", recruiter, expected_stage="applied")
    stale = Application.objects.get(pk=application.pk)
    stale.stage = "applied"  # what the other user's page still shows
    with pytest.raises(Conflict) as info:
        move(stale, "interview", other_recruiter, expected_stage="applied")
    assert info.value.extra == {"current_stage": "screen"}
    assert info.value.message == "This card moved meanwhile to Screen."
    assert changes(application) == [("", "applied"), ("applied", "screen")]


@pytest.mark.parametrize("from_stage", ["applied", "offer"])
def test_move_to_hired_is_refused_hired_comes_from_accepting_an_offer(
    application, recruiter, from_stage
):
    walk(application, [] if from_stage == "applied" else ["offer"], actor=recruiter)
    with pytest.raises(DomainError) as info:
        move(application, "hired", recruiter)
    assert info.value.code == "hire_through_offer"
    assert info.value.message == "Hired is reached by accepting the offer on the offer page."
    assert info.value.errors == {"to_stage": [info.value.message]}
    application.refresh_from_db()
    assert application.stage == from_stage
    assert Stage.HIRED not in [to for _, to in changes(application)]


def test_hire_only_from_offer(application, recruiter):
    with pytest.raises(Conflict):
        application_hire(application=application, actor=recruiter)
    walk(application, ["offer"], actor=recruiter)
    application_hire(application=application, actor=recruiter)
    application.refresh_from_db()
    assert application.stage == "hired"
    assert changes(application)[-1] == ("offer", "hired")


def test_reaching_headcount_fills_the_requisition(requisition, recruiter):
    requisition.headcount = 2
    requisition.save()
    first, second, third = (
        apply_candidate(requisition=requisition, actor=recruiter) for _ in range(3)
    )
    walk(first, ["offer"], actor=recruiter)
    application_hire(application=first, actor=recruiter)
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.OPEN
    walk(second, ["offer"], actor=recruiter)
    application_hire(application=second, actor=recruiter)
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.FILLED
    assert requisition.history.latest("history_date").history_user == recruiter
    assert follow_up(requisition) == [third]


def test_history_rows_carry_the_actor(application, recruiter, hiring_manager):
    move(application, "screen", hiring_manager)
    users = list(
        application.history.order_by("history_date").values_list("history_user", flat=True)
    )
    assert users == [recruiter.pk, hiring_manager.pk]
