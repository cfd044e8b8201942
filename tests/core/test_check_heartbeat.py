from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_fails_when_no_heartbeat_was_ever_recorded():
    with pytest.raises(CommandError, match=r"^No worker heartbeat recorded yet\.$"):
        call_command("check_heartbeat")


def test_fails_when_the_latest_heartbeat_is_too_old():
    WorkerHeartbeat.objects.create(hostname="w1", seen_at=timezone.now() - timedelta(seconds=400))

    with pytest.raises(CommandError, match=r"Last heartbeat from w1 is 40\d s old \(limit 300 s\)"):
        call_command("check_heartbeat", "--max-age=300")


def test_passes_on_a_fresh_heartbeat(capsys):
    WorkerHeartbeat.objects.create(hostname="w1", seen_at=timezone.now() - timedelta(hours=1))
    WorkerHeartbeat.objects.create(hostname="w2", seen_at=timezone.now() - timedelta(seconds=5))

    call_command("check_heartbeat", "--max-age=300")

    assert capsys.readouterr().out.startswith("ok: w2, ")
