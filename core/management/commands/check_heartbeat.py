"""Exit non-zero unless a worker ran the heartbeat task recently (beat's health check)."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.models import WorkerHeartbeat


class Command(BaseCommand):
    help = "Fail unless core.tasks.record_heartbeat ran within --max-age seconds."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--max-age", type=int, default=300, help="Seconds (default 300).")

    def handle(self, *args, max_age: int, **options) -> None:
        latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
        if latest is None:
            raise CommandError("No worker heartbeat recorded yet.")
        age = timezone.now() - latest.seen_at
        if age > timedelta(seconds=max_age):
            raise CommandError(
                f"Last heartbeat from {latest.hostname} is {int(age.total_seconds())} s old "
                f"(limit {max_age} s)."
            )
        self.stdout.write(f"ok: {latest.hostname}, {int(age.total_seconds())} s ago")
