"""Nightly purges of what sign-in leaves behind: expired API tokens and old sign-in records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.utils import timezone
from knox.models import AuthToken

from accounts.tasks import purge_sign_in_records
from core import api_tokens
from core.tasks import purge_expired_tokens

pytestmark = pytest.mark.django_db


def test_expired_tokens_are_purged_and_live_ones_kept(recruiter):
    expired, _ = api_tokens.token_issue(user=recruiter)
    live, _ = api_tokens.token_issue(user=recruiter)
    AuthToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - timedelta(minutes=1))

    assert purge_expired_tokens() == 1
    assert list(AuthToken.objects.values_list("pk", flat=True)) == [live.pk]


def test_sign_in_records_past_the_retention_are_purged(settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 30
    now = timezone.now()
    fields = {"username": "someone", "ip_address": "10.0.0.1", "user_agent": "x", "path_info": "/"}
    rows = [
        AccessLog.objects.create(**fields),
        AccessFailureLog.objects.create(**fields),
        AccessAttempt.objects.create(**fields, get_data="", post_data="", failures_since_start=1),
    ]
    for row in rows:  # attempt_time is auto_now_add: moved back by an update
        type(row).objects.filter(pk=row.pk).update(attempt_time=now - timedelta(days=31))
    AccessLog.objects.create(**fields)  # recent: kept

    assert purge_sign_in_records(now) == 3
    assert (AccessLog.objects.count(), AccessFailureLog.objects.count()) == (1, 0)
    assert not AccessAttempt.objects.exists()
