"""The charts' figures added up by PostgreSQL equal those added up in Python, row by row."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from hiring.models import StageChange
from hiring.stages import Stage
from reports.filters import Scope
from reports.selectors.pipeline import stage_stats, stage_stats_streamed

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def spread(world):
    """Each application's changes spread over days (uneven, some on the same instant), so
    the histograms hold many tenths of a day, and the first change later than the second."""
    changes = StageChange.objects.order_by("application_id", "at", "id")
    previous_application, at = None, None
    for number, change in enumerate(changes):
        if change.application_id != previous_application:
            previous_application = change.application_id
            at = NOW - datetime.timedelta(days=40 + number % 7, hours=number)
        elif number % 5:  # every fifth change shares its predecessor's instant
            at += datetime.timedelta(days=number % 9, hours=3 * number, seconds=number)
        change.at = at
    StageChange.objects.bulk_update(changes, ["at"])
    return world


@pytest.mark.parametrize(
    ("role", "mine_only", "latest", "applications", "hired"),
    [
        ("recruiter", False, None, 10, 1),
        ("recruiter", False, 4, 4, 0),
        ("hiring_manager", False, None, 6, 1),
        ("recruiter", True, None, 6, 1),
    ],
)
def test_the_database_adds_up_what_python_adds_up(
    spread, role, mine_only, latest, applications, hired
):
    filters = {"requisition": spread.mine.pk} if mine_only else {}
    scope = Scope(user=spread.cast[role], filters=filters)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        in_sql = stage_stats(scope, latest=latest)
        in_python = stage_stats_streamed(scope, latest=latest, stream=False)
    assert in_sql == in_python
    assert (in_sql.applications, in_sql.reached[Stage.HIRED]) == (applications, hired)
    assert (in_sql.last_hire_at is not None, len(in_sql.to_hire)) == (bool(hired), hired)
    assert len(in_sql.days[Stage.APPLIED]) > 2
    assert in_sql.funnel_chart() == in_python.funnel_chart()
    assert in_sql.days_chart() == in_python.days_chart()


def test_no_applications_in_scope_is_empty(world):
    scope = Scope(user=world.cast["interviewer"], filters={})
    assert stage_stats(scope) == stage_stats_streamed(scope) == type(stage_stats(scope))()
