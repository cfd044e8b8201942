"""`python -m bench.broker`: 1,000 tasks through the embedded broker to a real worker.

Starts the worker `make run` starts (``celery -A config worker --pool threads``,
a separate process) with ``VAR_DIR`` pointed at a temporary folder and no
``CELERY_BROKER_URL`` or ``DATABASE_URL``, so it uses the embedded defaults and
touches no real data. Waits until the worker answers a remote-control ping
through the broker, enqueues the tasks, waits (bounded) until all have run,
then prints sent, completed, lost, duplicates, wall time, tasks/s and whether
the worker is still alive. Each task leaves one file in the temporary folder:
evidence that needs nothing else running.

Exit status 0 only if no task was lost or run twice and the worker survived.
Options: ``--tasks`` (1000), ``--timeout`` seconds (120), ``--concurrency`` (2,
as ``make run``), ``--keep`` to keep the temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from celery import shared_task

BASE_DIR = Path(__file__).resolve().parent.parent
TASK = "bench.broker.touch"
STARTUP_SECONDS = 60.0
STOP_SECONDS = 20.0


@shared_task(name=TASK, ignore_result=True)
def touch(folder: str, number: int) -> None:
    """One file per run: ``<number>.<unique>``, so a duplicate run is countable too."""
    Path(folder, f"{number}.{uuid.uuid4().hex}").touch()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.broker", description=__doc__)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

    root = Path(tempfile.mkdtemp(prefix="bench-broker-"))
    done = root / "done"
    done.mkdir()
    env = {**os.environ, "VAR_DIR": str(root / "var"), "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("CELERY_BROKER_URL", None)
    env.pop("DATABASE_URL", None)
    print(f"bench broker: {args.tasks} tasks, worker --pool threads -c {args.concurrency}")
    print(f"bench broker: folder {root}", flush=True)

    app = producer_app(env)
    log = open(root / "worker.log", "wb")  # noqa: SIM115 - closed in finally
    worker = subprocess.Popen(
        worker_command(args.concurrency), cwd=BASE_DIR, env=env, stdout=log, stderr=log
    )
    try:
        started = wait_for_worker(app, worker)
        print(f"bench broker: worker up in {started:.1f} s (answered a ping)", flush=True)
        figures = run(app, done, args.tasks, args.timeout, worker)
        figures["worker alive"] = worker.poll() is None
    finally:
        code = stop(worker)
        log.close()
    print_figures(figures, code)
    ok = figures["lost"] == 0 and figures["duplicates"] == 0 and figures["worker alive"]
    if not ok:
        tail = (root / "worker.log").read_text(errors="replace").splitlines()[-30:]
        print("bench broker: FAILED; worker log tail:", *tail, sep="\n")
    if args.keep or not ok:
        print(f"bench broker: kept {root}")
    else:
        shutil.rmtree(root, ignore_errors=True)
    return 0 if ok else 1


def worker_command(concurrency: int) -> list[str]:
    from core.management.commands.runstack import worker_command as make_run_worker

    hostname = f"bench-broker-{uuid.uuid4().hex[:8]}@%h"
    return [*make_run_worker(concurrency), "--include", "bench.broker", "--hostname", hostname]


def producer_app(env: dict):
    """A Celery app on exactly the broker the worker's settings define.

    The settings are read in a child process with the worker's environment, so
    this works even when the caller (the main bench) configured Django otherwise.
    """
    script = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps([s.CELERY_BROKER_URL, s.CELERY_BROKER_TRANSPORT_OPTIONS]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, check=True, capture_output=True
    ).stdout
    url, options = json.loads(out.splitlines()[-1])
    assert url == "filesystem://", f"expected the embedded broker, got {url}"
    return embedded_app(url, options)


def embedded_app(url: str, options: dict):
    """A producer app on ``url``, even where CELERY_BROKER_URL names another broker.

    Celery prefers that variable to the configured ``broker_url``, so with it exported
    (as `make bench` next to a real stack, or CI) the pings and tasks went to Redis while
    the worker listened on the folder: "did not answer a ping". This process only talks
    to the embedded broker, so the variable goes.
    """
    from celery import Celery

    from core.broker import use_for_filesystem_urls

    os.environ.pop("CELERY_BROKER_URL", None)
    use_for_filesystem_urls()  # as config/celery.py does in the project's processes
    app = Celery("bench-broker", set_as_current=False, fixups=[])
    app.conf.update(broker_url=url, broker_transport_options=options, task_ignore_result=True)
    with app.connection_for_write() as connection:
        if connection.transport_cls != "filesystem":
            raise SystemExit(
                f"bench broker: expected the embedded broker, got {connection.as_uri()}"
            )
    return app


def wait_for_worker(app, worker: subprocess.Popen) -> float:
    start = time.monotonic()
    while time.monotonic() - start < STARTUP_SECONDS:
        if worker.poll() is not None:
            raise SystemExit(f"bench broker: the worker exited with code {worker.returncode}")
        if app.control.ping(timeout=0.5):
            return time.monotonic() - start
    raise SystemExit("bench broker: the worker did not answer a ping in time")


def run(app, done: Path, count: int, timeout: float, worker: subprocess.Popen) -> dict:
    start = time.monotonic()
    with app.producer_or_acquire() as producer:
        for number in range(count):
            app.send_task(TASK, (str(done), number), producer=producer)
    sent_seconds = time.monotonic() - start
    deadline = start + timeout
    while time.monotonic() < deadline and worker.poll() is None:
        if len(os.listdir(done)) >= count:
            break
        time.sleep(0.05)
    wall = time.monotonic() - start
    time.sleep(0.5)  # a late duplicate would show up here
    runs = [name.split(".", 1)[0] for name in os.listdir(done)]
    completed = len(set(runs))
    return {
        "sent": count,
        "completed": completed,
        "lost": count - completed,
        "duplicates": len(runs) - completed,
        "enqueue seconds": sent_seconds,
        "wall seconds": wall,
        "tasks/s": completed / wall if wall else 0.0,
    }


def stop(worker: subprocess.Popen) -> int:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            worker.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    return worker.returncode


def print_figures(figures: dict, code: int) -> None:
    print("bench broker results")
    for key, value in figures.items():
        print(f"  {key:<16} {value:.2f}" if isinstance(value, float) else f"  {key:<16} {value}")
    print(f"  {'worker exit':<16} {code} (after SIGTERM, warm shutdown)")


if __name__ == "__main__":
    sys.exit(main())
