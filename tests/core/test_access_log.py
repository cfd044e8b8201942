"""The access log page (compensation admins and superusers), its admin, and the purge task.

Where each read is recorded is tested beside its view (candidates, hiring, reports).
"""

from __future__ import annotations

import datetime

import pytest
from celery.schedules import crontab
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AccessEvent
from core.tasks import purge_access_log
from tests.conftest import shared_world

pytestmark = pytest.mark.django_db

EVENTS = 120
#: The first event's local day: event n falls on day n // 4, at 00:30, 06:30, 12:30, 18:30.
FIRST_DAY = timezone.localdate() - datetime.timedelta(days=40)


def _build(cast) -> dict:
    """120 events in bulk, oldest first: who, action and object cycle with n."""
    actors = [cast["recruiter"], cast["hiring_manager"], None]
    rows = [
        AccessEvent(
            at=_at(n),
            actor=actors[n % 3],
            actor_name=actors[n % 3].username if actors[n % 3] else "gone",
            action="view" if n % 2 == 0 else "list",
            object_type="candidate",
            object_id=str(n % 5) if n % 2 == 0 else "",
            query=f"/candidates/?q=n{n}",
            row_count=None if n % 2 == 0 else n,
        )
        for n in range(EVENTS)
    ]
    return {"ids": [row.pk for row in AccessEvent.objects.bulk_create(rows)]}


def _at(n: int) -> datetime.datetime:
    day = FIRST_DAY + datetime.timedelta(days=n // 4)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(6 * (n % 4), 30)))


globals().update(shared_world(_build))

URL = reverse("access-log")


def shown(response) -> list[int]:
    assert response.status_code == 200
    return [event.pk for event in response.context["events"]]


def newest_first(world, numbers) -> list[int]:
    return [world["ids"][n] for n in sorted(numbers, reverse=True)]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("comp_admin", 200),
        ("recruiter", 403),
        ("hiring_manager", 403),
        ("interviewer", 403),
        ("outsider", 403),
    ],
)
def test_only_compensation_admins_and_superusers_read_the_log(client, cast, world, role, status):
    client.force_login(cast[role])
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == status
    # The navigation links the log for those who may read it, and for nobody else.
    assert (f'href="{URL}"' in body) is (status == 200)
    if status == 403:
        assert "You may not do this" in body
        return
    assert shown(response) == newest_first(world, range(70, EVENTS))
    assert "/candidates/?q=n119" in body


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_filters_narrow_by_who_action_object_and_day(client, comp_admin, world):
    client.force_login(comp_admin)
    by_recruiter = client.get(URL, {"actor": "recruiter"})
    assert shown(by_recruiter) == newest_first(world, range(0, EVENTS, 3))
    # A deleted user's events keep their name.
    assert shown(client.get(URL, {"actor": "gone"})) == newest_first(world, range(2, EVENTS, 3))
    one = {"action": "view", "object_type": "candidate", "object_id": "3"}
    assert shown(client.get(URL, one)) == newest_first(world, range(8, EVENTS, 10))
    days = {
        "date_from": (FIRST_DAY + datetime.timedelta(days=9)).isoformat(),
        "date_to": (FIRST_DAY + datetime.timedelta(days=10)).isoformat(),
    }
    assert shown(client.get(URL, days)) == newest_first(world, range(36, 44))
    assert shown(client.get(URL, {"actor": "nobody"})) == []


def test_pages_go_back_by_keyset_and_never_count_or_offset(client, comp_admin, world):
    client.force_login(comp_admin)
    seen = []
    response = client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        while True:
            seen += shown(response)
            if not response.context["older_query"]:
                break
            response = client.get(f"{URL}?{response.context['older_query']}")
    assert seen == newest_first(world, range(EVENTS))
    assert response.context["is_older_page"] and len(response.context["events"]) == 20
    sql = " ".join(query["sql"].upper() for query in queries.captured_queries)
    assert "COUNT(" not in sql and "OFFSET" not in sql


def test_pages_keep_the_filters(client, comp_admin, world):
    client.force_login(comp_admin)
    first = client.get(URL, {"action": "list"})
    older = client.get(f"{URL}?{first.context['older_query']}")
    assert shown(first) + shown(older) == newest_first(world, range(1, EVENTS, 2))
    assert older.context["older_query"] == ""


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "date_to", "before the start"),
        ({"date_from": "yesterday"}, "date_from", "valid date"),
        ({"object_id": "7"}, "object_type", "kind of object"),
        ({"before": "soon"}, "before", "whole number"),
        ({"action": "peek"}, "action", "valid choice"),
    ],
)
def test_bad_filters_answer_400_with_the_reason_and_no_rows(
    client, comp_admin, query, field, message
):
    client.force_login(comp_admin)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["events"] == []


def test_the_admin_shows_the_log_read_only(client, admin_user, recruiter, world):
    client.force_login(admin_user)
    listed = client.get(reverse("admin:core_accessevent_changelist"))
    assert listed.status_code == 200
    pk = world["ids"][0]
    assert client.get(reverse("admin:core_accessevent_change", args=[pk])).status_code == 200
    assert client.get(reverse("admin:core_accessevent_add")).status_code == 403
    assert client.post(reverse("admin:core_accessevent_delete", args=[pk])).status_code == 403
    assert AccessEvent.objects.count() == EVENTS
    client.force_login(recruiter)
    assert client.get(reverse("admin:core_accessevent_changelist")).status_code == 302


def test_the_nightly_task_purges_events_past_the_retention(settings, recruiter, world):
    settings.ACCESS_LOG_RETENTION_DAYS = 45
    now = timezone.now()
    AccessEvent.objects.filter(pk=world["ids"][0]).update(at=now - datetime.timedelta(days=46))
    AccessEvent.objects.filter(pk=world["ids"][1]).update(at=now - datetime.timedelta(days=44))
    assert purge_access_log.apply().get() == 1
    assert not AccessEvent.objects.filter(pk=world["ids"][0]).exists()
    assert AccessEvent.objects.count() == EVENTS - 1


def test_the_purge_is_scheduled_nightly_by_beat(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["core-access-log-purge"]
    assert entry == {"task": "core.tasks.purge_access_log", "schedule": crontab(hour=3, minute=30)}
    app.loader.import_default_modules()
    assert "core.tasks.purge_access_log" in app.tasks
