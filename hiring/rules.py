"""Pure pipeline rules over plain values: no database access.

Stage moves, requisition status transitions, level fit and the job
description text. Services and views call these; tests cover them
exhaustively without a database.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from core.money import format_money
from hiring.stages import ALL_STAGES, DISPOSITIONS, FINAL, PIPELINE, Stage

STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": ("open", "cancelled"),
    "open": ("on_hold", "filled", "cancelled"),
    "on_hold": ("open", "cancelled"),
    "filled": ("open",),
    "cancelled": (),
}


@dataclass(frozen=True)
class MoveCheck:
    """Why a move is refused (``problem`` empty when allowed), with the field to blame."""

    problem: str = ""
    field: str = "to_stage"

    @property
    def allowed(self) -> bool:
        return not self.problem


def allowed_moves(from_stage: str) -> tuple[str, ...]:
    """Every stage a person may move to from ``from_stage``, in pipeline order.

    Hired is never among them: it is reached by accepting an offer (``check_hire``).
    """
    if from_stage in FINAL or from_stage not in PIPELINE:
        return ()
    index = PIPELINE.index(from_stage)
    forward = [s for s in PIPELINE[index + 1 :] if s != Stage.HIRED]
    backward = [PIPELINE[index - 1]] if index > 0 else []
    return (*backward, *forward, *DISPOSITIONS)


def is_backward(from_stage: str, to_stage: str) -> bool:
    return (
        from_stage in PIPELINE
        and to_stage in PIPELINE
        and PIPELINE.index(to_stage) < PIPELINE.index(from_stage)
    )


def check_move(*, from_stage: str, to_stage: str, has_reason: bool, note: str) -> MoveCheck:
    """The pipeline's move rules.

    Forward moves may skip stages (never to hired: an accepted offer hires); a
    backward move is one step and needs a note; rejected and withdrawn need a
    reason; nothing leaves hired, rejected or withdrawn.
    """
    if to_stage not in ALL_STAGES:
        return MoveCheck(f"Unknown stage '{to_stage}'. Valid stages: {', '.join(ALL_STAGES)}.")
    if from_stage in FINAL:
        return MoveCheck(f"Nothing leaves {from_stage}: it is a final stage.")
    if to_stage == from_stage:
        return MoveCheck(f"The application is already at {to_stage}.")
    allowed = allowed_moves(from_stage)
    if to_stage not in allowed:
        return MoveCheck(
            f"Cannot move from {from_stage} to {to_stage}. "
            f"Allowed from {from_stage}: {', '.join(allowed)}."
        )
    if is_backward(from_stage, to_stage) and not note.strip():
        return MoveCheck("A backward move needs a note saying why.", field="note")
    if to_stage in DISPOSITIONS and not has_reason:
        return MoveCheck(f"Moving to {to_stage} needs a reason.", field="reason")
    if to_stage not in DISPOSITIONS and has_reason:
        return MoveCheck("A reason is only recorded when rejecting or withdrawing.", field="reason")
    return MoveCheck()


def check_hire(*, from_stage: str) -> MoveCheck:
    """Accepting an offer hires: only an application at the offer stage."""
    if from_stage == Stage.OFFER:
        return MoveCheck()
    return MoveCheck(
        f"Only an application at the offer stage can be hired; this one is at {from_stage}."
    )


def status_transition_problem(from_status: str, to_status: str) -> str:
    """Empty when a requisition may go from one status to another."""
    if from_status == to_status:
        return ""
    allowed = STATUS_TRANSITIONS.get(from_status, ())
    if to_status in allowed:
        return ""
    options = ", ".join(allowed) or "none: it is final"
    return f"Cannot change status from {from_status} to {to_status}. Allowed: {options}."


# Level fit -----------------------------------------------------------------


@dataclass(frozen=True)
class LevelRung:
    code: str
    min_years: Decimal
    max_years: Decimal | None


@dataclass(frozen=True)
class LevelFit:
    suggested_level: str | None
    requisition_level: str
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def matches(self) -> bool:
        return self.suggested_level == self.requisition_level

    def as_dict(self) -> dict:
        return {
            "suggested_level": self.suggested_level,
            "requisition_level": self.requisition_level,
            "matches": self.matches,
            "warnings": list(self.warnings),
        }


def suggest_level(years: Decimal, rungs: Sequence[LevelRung]) -> str | None:
    """The guide's years rule, min ≤ years < max (as ``roles.selectors.level_for_years``)."""
    fitting = [
        r for r in rungs if r.min_years <= years and (r.max_years is None or years < r.max_years)
    ]
    return max(fitting, key=lambda r: r.min_years).code if fitting else None


def level_fit(
    *,
    years: Decimal,
    suggested_level: str | None,
    requisition_level: str,
    expected_certifications: Sequence[str],
    held_certifications: Sequence[str],
) -> LevelFit:
    """Years-suggested level beside the requisition's, with warnings a recruiter can act on.

    ``expected_certifications`` are the requisition level's names (the
    candidate should hold at least one); ``held_certifications`` the
    candidate's.
    """
    warnings = []
    if suggested_level is None:
        warnings.append(f"No level in the role data fits {years} years of experience.")
    elif suggested_level != requisition_level:
        warnings.append(
            f"{years} years suggests {suggested_level}; this requisition is {requisition_level}."
        )
    expected = list(expected_certifications)
    if expected and not set(expected) & set(held_certifications):
        warnings.append(
            f"Missing a certification expected at {requisition_level}: holds none of "
            f"{', '.join(sorted(expected))}."
        )
    return LevelFit(suggested_level, requisition_level, tuple(warnings))


# Job description -------------------------------------------------------------


@dataclass(frozen=True)
class TimeShare:
    label: str
    low: Decimal
    high: Decimal | None


@dataclass(frozen=True)
class JobDescription:
    title: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]

    def as_text(self) -> str:
        parts = [self.title, ""]
        for heading, lines in self.sections:
            parts.append(heading)
            parts.extend(f"- {line}" for line in lines)
            parts.append("")
        return "\n".join(parts).rstrip() + "\n"


PAY_HEADING = "Pay"
REMOTE_POLICY_TEXT = {
    "onsite": "On-site: the role is based in the office.",
    "hybrid": "Hybrid: part of the week in the office, part remote.",
    "remote": "Remote: pay anchors to the national median, wherever you live.",
}
# The guide: most roles require a bachelor's; many employers prefer a master's
# for mid-to-senior positions (L2 and up); portfolios and certifications can substitute.
SENIOR_FROM_LEVEL = 2


def job_description(
    *,
    title: str,
    track_name: str,
    level_code: str,
    level_title: str,
    level_summary: str,
    years_label: str,
    time_split: Sequence[TimeShare],
    expected_certifications: Sequence[str],
    remote_policy: str,
    zone_name: str,
    posted_min: Decimal | None,
    posted_max: Decimal | None,
    currency: str,
) -> JobDescription:
    """The job description from role data; a missing figure omits its line, never invents it."""
    sections = [
        (
            "The role",
            (f"{track_name}, {level_code} · {level_title} ({years_label}).", level_summary),
        ),
    ]
    if time_split:
        sections.append(("How the time is spent", tuple(_share_line(s) for s in time_split)))
    sections.append(("What we look for", _expectations(level_code, expected_certifications)))
    sections.append(
        ("Where", (REMOTE_POLICY_TEXT.get(remote_policy, remote_policy), f"Pay zone: {zone_name}."))
    )
    sections.append((PAY_HEADING, (_pay_line(posted_min, posted_max, currency),)))
    return JobDescription(title=title, sections=tuple(sections))


def _share_line(share: TimeShare) -> str:
    low = f"{share.low.normalize():f}"
    if share.high is None or share.high == share.low:
        return f"{share.label}: about {low}% of the time"
    return f"{share.label}: {low} to {share.high.normalize():f}% of the time"


def _expectations(level_code: str, certifications: Sequence[str]) -> tuple[str, ...]:
    lines = [
        "A bachelor's degree in computer science, data science or mathematics, "
        "or equivalent portfolio work (GitHub, Kaggle) and industry certifications."
    ]
    if _level_number(level_code) >= SENIOR_FROM_LEVEL:
        lines.append("A master's degree is preferred at this level.")
    if certifications:
        lines.append(f"At least one of: {', '.join(certifications)}.")
    return tuple(lines)


def _pay_line(posted_min: Decimal | None, posted_max: Decimal | None, currency: str) -> str:
    if posted_min is None or posted_max is None:
        return "No posted pay range yet: the role data gives no salary band for this role."
    return (
        f"Base salary {format_money(posted_min, currency)} to "
        f"{format_money(posted_max, currency)} per year."
    )


def _level_number(code: str) -> int:
    digits = "".join(ch for ch in code if ch.isdigit())
    return int(digits) if digits else 0


def not_started_message(interview) -> str:
    """Why a scorecard is refused before its interview (``starts_at`` in the future)."""
    when = timezone.localtime(interview.starts_at).strftime("%d %b %Y %H:%M")
    return f"This interview starts on {when}: submit the scorecard once it has started."


# Interviews are dated within a sensible window: a typed year 1 or 9999 is a mistake (and
# overflows the calendar arithmetic that follows), not a plan.
INTERVIEW_EARLIEST_YEAR = 2000
INTERVIEW_YEARS_AHEAD = 2


def interview_date_problem(starts_at: datetime.datetime, *, now: datetime.datetime) -> str:
    """Why an interview's start is outside the window (empty when it is inside)."""
    # Years first: a time in year 1 or 9999 cannot always be converted to UTC to compare.
    latest = now + datetime.timedelta(days=365 * INTERVIEW_YEARS_AHEAD + 1)
    if starts_at.year < INTERVIEW_EARLIEST_YEAR:
        return f"An interview date must be in {INTERVIEW_EARLIEST_YEAR} or later."
    if starts_at.year > latest.year or starts_at > latest:
        when = timezone.localtime(latest).strftime("%d %b %Y")
        return (
            f"An interview date must be at most {INTERVIEW_YEARS_AHEAD} years ahead "
            f"(on or before {when})."
        )
    return ""


def past_start_warning(starts_at) -> str:
    """A warning (never a refusal) for an interview placed in the past: it may be a typo."""
    if isinstance(starts_at, datetime.datetime) and starts_at < timezone.now():
        when = timezone.localtime(starts_at).strftime("%d %b %Y %H:%M")
        return f"This interview is dated in the past ({when}). Check the date if that is a mistake."
    return ""
