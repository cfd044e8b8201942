"""Pure pipeline rules: every move, status transitions, level fit, job description."""

from decimal import Decimal

import pytest

from hiring import rules
from hiring.rules import LevelRung, TimeShare, check_move

RUNGS = [
    LevelRung("L1", Decimal("0"), Decimal("2")),
    LevelRung("L2", Decimal("2"), Decimal("5")),
    LevelRung("L3", Decimal("5"), Decimal("10")),
    LevelRung("L4", Decimal("10"), Decimal("15")),
    LevelRung("L5", Decimal("15"), None),
]


def move(from_stage, to_stage, *, reason=False, note=""):
    return check_move(from_stage=from_stage, to_stage=to_stage, has_reason=reason, note=note)


@pytest.mark.parametrize(
    ("from_stage", "to_stage"),
    [
        ("sourced", "applied"),
        ("sourced", "screen"),
        ("sourced", "offer"),
        ("applied", "interview"),
        ("screen", "offer"),
    ],
)
def test_forward_moves_may_skip_stages(from_stage, to_stage):
    assert move(from_stage, to_stage).allowed


@pytest.mark.parametrize("from_stage", ["sourced", "applied", "screen", "interview", "offer"])
def test_no_one_moves_a_card_to_hired(from_stage):
    result = move(from_stage, "hired")
    assert result.problem.startswith(f"Cannot move from {from_stage} to hired. Allowed from")
    assert "hired" not in rules.allowed_moves(from_stage)


@pytest.mark.parametrize("from_stage", ["sourced", "applied", "screen", "interview"])
def test_accepting_an_offer_hires_only_from_the_offer_stage(from_stage):
    assert rules.check_hire(from_stage="offer").allowed
    assert rules.check_hire(from_stage=from_stage).problem == (
        f"Only an application at the offer stage can be hired; this one is at {from_stage}."
    )


def test_backward_move_is_one_step_with_a_note():
    assert move("interview", "screen", note="Needs another screen").allowed
    missing = move("interview", "screen")
    assert missing.problem == "A backward move needs a note saying why."
    assert missing.field == "note"
    assert move("interview", "screen", note="   ").field == "note"


def test_backward_move_of_two_steps_is_refused_and_names_allowed_moves():
    result = move("interview", "applied", note="why")
    assert result.problem == (
        "Cannot move from interview to applied. "
        "Allowed from interview: screen, offer, rejected, withdrawn."
    )


@pytest.mark.parametrize("final", ["hired", "rejected", "withdrawn"])
@pytest.mark.parametrize("to_stage", rules.ALL_STAGES)
def test_nothing_leaves_a_final_stage(final, to_stage):
    result = move(final, to_stage, reason=True, note="x")
    assert result.problem == f"Nothing leaves {final}: it is a final stage."
    assert rules.allowed_moves(final) == ()


@pytest.mark.parametrize("to_stage", ["rejected", "withdrawn"])
def test_final_dispositions_need_a_reason(to_stage):
    result = move("screen", to_stage)
    assert result.problem == f"Moving to {to_stage} needs a reason."
    assert result.field == "reason"
    assert move("screen", to_stage, reason=True).allowed


def test_reason_is_refused_on_a_non_final_move():
    result = move("screen", "interview", reason=True)
    assert result.field == "reason"
    assert result.problem == "A reason is only recorded when rejecting or withdrawing."


def test_unknown_stage_lists_valid_stages():
    result = move("screen", "limbo")
    assert result.problem == (
        "Unknown stage 'limbo'. Valid stages: sourced, applied, screen, interview, offer, "
        "hired, rejected, withdrawn."
    )


def test_same_stage_is_not_a_move():
    assert move("screen", "screen").problem == "The application is already at screen."


def test_allowed_moves_from_each_active_stage():
    assert rules.allowed_moves("sourced") == (
        "applied",
        "screen",
        "interview",
        "offer",
        "rejected",
        "withdrawn",
    )
    assert rules.allowed_moves("offer") == ("interview", "rejected", "withdrawn")


@pytest.mark.parametrize(
    ("from_status", "to_status", "ok"),
    [
        ("draft", "open", True),
        ("draft", "filled", False),
        ("open", "on_hold", True),
        ("on_hold", "open", True),
        ("open", "cancelled", True),
        ("cancelled", "open", False),
        ("filled", "open", True),
        ("open", "open", True),
    ],
)
def test_status_transitions(from_status, to_status, ok):
    assert (rules.status_transition_problem(from_status, to_status) == "") is ok


def test_cancelled_is_final_and_says_so():
    assert rules.status_transition_problem("cancelled", "open") == (
        "Cannot change status from cancelled to open. Allowed: none: it is final."
    )


@pytest.mark.parametrize(
    ("years", "level"),
    [
        ("0", "L1"),
        ("1.9", "L1"),
        ("2", "L2"),
        ("4.9", "L2"),
        ("5", "L3"),
        ("14.9", "L4"),
        ("40", "L5"),
    ],
)
def test_suggest_level_uses_the_years_rule(years, level):
    assert rules.suggest_level(Decimal(years), RUNGS) == level


def test_level_fit_matches_without_warnings():
    fit = rules.level_fit(
        years=Decimal("3"),
        suggested_level="L2",
        requisition_level="L2",
        expected_certifications=["AWS ML Specialty", "Azure AI Engineer Associate"],
        held_certifications=["AWS ML Specialty"],
    )
    assert fit.as_dict() == {
        "suggested_level": "L2",
        "requisition_level": "L2",
        "matches": True,
        "warnings": [],
    }


def test_level_fit_warns_on_mismatch_and_missing_certification():
    fit = rules.level_fit(
        years=Decimal("1.5"),
        suggested_level="L1",
        requisition_level="L2",
        expected_certifications=["AWS ML Specialty", "Azure AI Engineer Associate"],
        held_certifications=[],
    )
    assert fit.matches is False
    assert fit.warnings == (
        "1.5 years suggests L1; this requisition is L2.",
        "Missing a certification expected at L2: holds none of AWS ML Specialty, "
        "Azure AI Engineer Associate.",
    )


def jd(**overrides):
    values = {
        "title": "Senior AI Engineer",
        "track_name": "AI Engineer",
        "level_code": "L3",
        "level_title": "Senior AI Engineer",
        "level_summary": "Owns complex AI systems end to end.",
        "years_label": "5 to 10 years",
        "time_split": [
            TimeShare("Model development and deployment", Decimal("40"), Decimal("50")),
            TimeShare("Data engineering", Decimal("20"), Decimal("25")),
        ],
        "expected_certifications": [],
        "remote_policy": "remote",
        "zone_name": "Remote",
        "posted_min": Decimal("155000.00"),
        "posted_max": Decimal("230000.00"),
        "currency": "USD",
    }
    values.update(overrides)
    return rules.job_description(**values)


def test_job_description_has_scope_time_split_degree_remote_and_pay():
    text = jd().as_text()
    assert "AI Engineer, L3 · Senior AI Engineer (5 to 10 years)." in text
    assert "- Model development and deployment: 40 to 50% of the time" in text
    assert "- Data engineering: 20 to 25% of the time" in text
    assert "A master's degree is preferred at this level." in text
    assert "- Remote: pay anchors to the national median, wherever you live." in text
    assert "- Base salary $155,000 to $230,000 per year." in text


def test_job_description_omits_missing_figures_and_never_invents_pay():
    text = jd(time_split=[], posted_min=None, posted_max=None, level_code="L1").as_text()
    assert "How the time is spent" not in text
    assert "master's" not in text
    assert "No posted pay range yet: the role data gives no salary band for this role." in text
    assert "USD" not in text


def test_job_description_lists_expected_certifications():
    text = jd(expected_certifications=["AWS ML Specialty", "Azure AI Engineer Associate"]).as_text()
    assert "At least one of: AWS ML Specialty, Azure AI Engineer Associate." in text
