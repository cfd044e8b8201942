from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.test import RequestFactory
from django.utils import timezone

from core import audit
from core.models import AccessEvent

pytestmark = pytest.mark.django_db


def test_record_takes_actor_channel_query_and_address_from_the_request(recruiter):
    request = RequestFactory().get("/api/v1/candidates/?q=ada", REMOTE_ADDR="10.0.0.7")
    request.user = recruiter
    event = audit.record(audit.Action.SEARCH, "candidate", request=request, row_count=3)
    event.refresh_from_db()
    assert (event.actor, event.actor_name, event.channel) == (recruiter, recruiter.username, "api")
    assert (event.query, event.row_count, event.address) == (
        "/api/v1/candidates/?q=ada",
        3,
        "10.0.0.7",
    )


def test_a_worker_event_has_no_request_and_the_worker_channel(recruiter):
    event = audit.record(audit.Action.EXPORT, "report", 12, actor=recruiter)
    assert (event.channel, event.object_id, event.query, event.address) == (
        "worker",
        "12",
        "",
        None,
    )


def test_purge_deletes_only_events_past_the_retention(settings, recruiter):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    old = audit.record(audit.Action.VIEW, "candidate", 1, actor=recruiter)
    AccessEvent.objects.filter(pk=old.pk).update(at=now - timedelta(days=31))
    kept = audit.record(audit.Action.VIEW, "candidate", 2, actor=recruiter)
    assert audit.purge_expired(now) == 1
    assert list(AccessEvent.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_database_refuses_an_unknown_action():
    with pytest.raises(IntegrityError):
        AccessEvent.objects.create(action="peek", object_type="candidate")
