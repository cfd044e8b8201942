"""The candidate page's change timeline costs a fixed number of queries (bug 6)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history import models as simple_history

from candidates import selectors
from candidates.models import Candidate
from candidates.selectors import HISTORY_GROUP_WINDOW, HISTORY_LIMIT, HistoryEntry
from candidates.services import COMPENSATION_FIELDS, candidate_create, candidate_update
from core import history
from tests.roles.factories import CertificationFactory, SkillFactory

pytestmark = pytest.mark.django_db


def _edit(candidate, actor, number: int, skills, certifications) -> None:
    """One edit that changes a profile field, and now and then pay or a many-to-many."""
    changes = {"city": f"City {number}"}
    if number % 3 == 0:
        changes["expected_base"] = Decimal(100_000 + number)
    if number % 4 == 0:
        changes["skills"] = skills[: number % len(skills) + 1]
    if number % 5 == 0:
        changes["certifications"] = certifications[: number % 2 + 1]
    if number % 7 == 0:
        changes = {"current_base": Decimal(90_000 + number)}  # pay only
    if number % 11 == 0:
        changes = {}  # a save that changes nothing
    candidate_update(candidate=candidate, actor=actor, **changes)


def _spread_out(candidate) -> None:
    """Each save of the history as its own change: records 10 seconds apart."""
    records = candidate.history.order_by("history_date", "history_id")
    start = records.first().history_date
    for step, record_id in enumerate(records.values_list("history_id", flat=True)):
        Candidate.history.filter(history_id=record_id).update(
            history_date=start + timedelta(seconds=10 * step)
        )


def _page_queries(client, candidate) -> tuple[int, list[HistoryEntry]]:
    url = reverse("candidates:detail", args=[candidate.pk])
    client.get(url)  # warm the session and any per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.context["history"]


@pytest.fixture
def catalogue():
    skills = [SkillFactory(slug=f"skill-{n}", name=f"Skill {n}") for n in range(4)]
    certifications = [CertificationFactory() for _ in range(2)]
    return skills, certifications


#: Enough edits to pass every branch of ``_edit`` (pay, skills, certifications, pay only,
#: a save that changes nothing) and to make the timeline many entries long.
EDITS = 15


def test_candidate_page_costs_the_same_queries_after_0_and_15_edits(
    client, recruiter, comp_admin, interviewer, people, catalogue
):
    skills, certifications = catalogue
    candidate = people["interviewer"]  # seen by the interviewer too, without pay
    before = {}
    for viewer in (recruiter, interviewer):
        client.force_login(viewer)
        before[viewer], history_before = _page_queries(client, candidate)
        assert [e.kind for e in history_before] == ["created"]

    for number in range(1, EDITS + 1):
        _edit(candidate, comp_admin if number % 2 else recruiter, number, skills, certifications)
    _spread_out(candidate)

    for viewer in (recruiter, interviewer):
        client.force_login(viewer)
        after, history_after = _page_queries(client, candidate)
        assert len(history_after) > 10
        assert after == before[viewer], viewer.username


def _reference_history(candidate, *, sees_pay: bool) -> list[HistoryEntry]:
    """The timeline as simple-history's own ``diff_against`` gives it (queries per record)."""
    newest = candidate.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )[:HISTORY_LIMIT]
    records = list(newest)[::-1]
    hidden = set() if sees_pay else set(COMPENSATION_FIELDS)
    labels = {
        f.name: str(f.verbose_name)
        for f in Candidate._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        changed = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=["search_document", *hidden])
            changed = sorted(change.field for change in delta.changes)
        previous = record
        who = selectors._who(record)
        last = entries[-1] if entries else None
        if last and last.who == who and record.history_date - last.at <= HISTORY_GROUP_WINDOW:
            if last.kind != "created":
                last.fields += [
                    labels.get(n, n) for n in changed if labels.get(n, n) not in last.fields
                ]
            continue
        if record.history_type == "~" and not changed:
            continue
        kind = {"+": "created", "-": "deleted"}.get(record.history_type, "changed")
        entries.append(
            HistoryEntry(record.history_date, who, kind, [labels.get(n, n) for n in changed])
        )
    return list(reversed(entries))


def _check_against_reference(candidate, comp_admin, interviewer) -> list[HistoryEntry]:
    for user, sees_pay in ((comp_admin, True), (interviewer, False)):
        expected = _reference_history(candidate, sees_pay=sees_pay)
        assert selectors.candidate_history(candidate, user=user, sees_pay=sees_pay) == expected
        # Without ``sees_pay`` the pay policy is asked for this candidate.
        role_decides = selectors.sees_pay_of(user, candidate)
        assert selectors.candidate_history(candidate, user=user) == _reference_history(
            candidate, sees_pay=role_decides
        )
    assert any("expected base" in e.fields for e in expected) is False
    return expected


def test_history_is_what_simple_history_diff_gives_grouped_and_apart(
    recruiter, comp_admin, interviewer, catalogue
):
    skills, certifications = catalogue
    candidate = candidate_create(
        actor=recruiter,
        full_name="Hist Ory",
        email="hist@example.com",
        years_experience="2",
        skills=skills[:2],
    )
    for number in range(1, EDITS + 1):
        _edit(candidate, comp_admin if number % 3 else recruiter, number, skills, certifications)

    grouped = _check_against_reference(candidate, comp_admin, interviewer)  # saved within 2 s
    _spread_out(candidate)
    apart = _check_against_reference(candidate, comp_admin, interviewer)  # 10 s between saves

    assert len(apart) > len(grouped)
    assert {"skills", "certifications", "city"} <= {f for e in apart for f in e.fields}


def test_history_query_count_is_fixed(recruiter, catalogue, django_assert_num_queries):
    skills, certifications = catalogue
    candidate = candidate_create(
        actor=recruiter, full_name="Few Queries", email="few@example.com", years_experience="1"
    )
    for number in range(1, EDITS + 1):
        _edit(candidate, recruiter, number, skills, certifications)
    with django_assert_num_queries(1):  # records with users and their m2m rows (PostgreSQL)
        entries = selectors.candidate_history(candidate, user=recruiter, sees_pay=True)
    assert entries == _reference_history(candidate, sees_pay=True)


def _record_copy(record):
    """A new history record like ``record``, with no many-to-many rows yet."""
    copy = Candidate.history.get(pk=record.pk)
    copy.history_id = None
    copy._state.adding = True
    copy.save()
    return copy


def _m2m_rows(record) -> dict[str, set]:
    rows = {}
    for field in record._history_m2m_fields:
        model = history.HistoricalRecords.m2m_models[field]
        columns = [c.attname for c in field.remote_field.through._meta.concrete_fields]
        rows[field.name] = set(model.objects.filter(history=record).values_list(*columns))
    return rows


def test_a_save_writes_the_many_to_many_rows_simple_history_writes_from_one_read_a_field(
    recruiter, catalogue
):
    skills, certifications = catalogue
    candidate = candidate_create(
        actor=recruiter,
        full_name="Two Fields",
        email="two-fields@example.com",
        years_experience="4",
        skills=skills[:3],
        certifications=certifications[:1],
    )
    ours, theirs = (_record_copy(candidate.history.latest()) for _ in range(2))

    with CaptureQueriesContext(connection) as our_queries:
        history.HistoricalRecords().create_historical_record_m2ms(ours, candidate)
    with CaptureQueriesContext(connection) as their_queries:
        simple_history.HistoricalRecords().create_historical_record_m2ms(theirs, candidate)

    written = _m2m_rows(ours)
    assert written == _m2m_rows(theirs)
    assert {field: len(rows) for field, rows in written.items()} == {
        "skills": 3,
        "certifications": 1,
    }
    assert len(our_queries) == 2 * len(written)  # a read and an insert for each field
    assert len(their_queries) > len(our_queries)
