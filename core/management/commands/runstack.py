"""Run the web server, a Celery worker and Celery beat together, as `make run` does.

All three are child processes. Ctrl-C or SIGTERM stops them all; if any exits on
its own, the others are stopped and the command fails, so a dead worker or beat is
never hidden behind a live web server.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

GRACE_SECONDS = 10.0
WORKER_QUEUES = "celery,reports"
POLL_SECONDS = 0.5


def web_command(host: str, port: int) -> list[str]:
    manage = str(settings.BASE_DIR / "manage.py")
    return [sys.executable, manage, "runserver", f"{host}:{port}", "--noreload"]


def worker_command(concurrency: int) -> list[str]:
    # Threads, not solo: the worker keeps answering /healthz pings while a long
    # task runs. Threads, not prefork: fewer processes for a local stack.
    # Both queues: the default one and reports' own (CELERY_TASK_ROUTES).
    return [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "-l", "info", "--pool", "threads", "--concurrency", str(concurrency),
        "-Q", WORKER_QUEUES,
    ]  # fmt: skip


def beat_command() -> list[str]:
    # The schedule's state file lives under VAR_DIR with the other local state.
    schedule = str(settings.VAR_DIR / "celerybeat-schedule")
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "beat",
        "-l",
        "info",
        "--schedule",
        schedule,
    ]


class Command(BaseCommand):
    help = "Start runserver, a Celery worker and beat; stop all when one stops or on Ctrl-C."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args, host: str, port: int, concurrency: int, **options) -> None:
        stopping = {"signal": None}

        def request_stop(signum, frame) -> None:
            stopping["signal"] = signum

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)

        children = {
            "web": subprocess.Popen(web_command(host, port)),
            "worker": subprocess.Popen(worker_command(concurrency)),
            "beat": subprocess.Popen(beat_command()),
        }
        for name, child in children.items():
            self.stdout.write(f"runstack: started {name} (pid {child.pid})")
        self.stdout.write(f"runstack: serving http://{host}:{port}/ - Ctrl-C stops all.")
        self.stdout.flush()

        died = self._wait(children, stopping)
        self._stop_all(children)
        if died:
            name, code = died
            raise CommandError(f"runstack: {name} exited with code {code}; stopped the rest.")
        self.stdout.write("runstack: stopped.")

    def _wait(self, children: dict, stopping: dict) -> tuple[str, int] | None:
        """Block until a stop is requested (None) or a child exits ((name, code))."""
        while stopping["signal"] is None:
            for name, child in children.items():
                code = child.poll()
                if code is not None:
                    return name, code
            time.sleep(POLL_SECONDS)
        return None

    def _stop_all(self, children: dict) -> None:
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
