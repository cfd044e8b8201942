"""`python -m bench.reports`: the pipeline report over the large seed_demo set, on a real worker.

On a throwaway database (as ``python -m bench``: ``<name>_bench`` beside a PostgreSQL
``DATABASE_URL``), seeds the full volume set (300,000 applications; ``BENCH_SCALE``
scales it), starts a real worker process (``celery -A config worker -Q reports
--pool solo``), requests the ``pipeline`` report as CSV and as XLSX, and prints for
each the wall time from request to finished file and the worker's peak memory
(VmHWM), beside PostgreSQL's own ``COPY`` of the same rows (the report's stage-change
query, window function included) to a CSV file: the floor.

Targets (issue 8): the CSV within 5x of the COPY floor; peak worker memory < 300 MB.
Figures, not a pass/fail test. PostgreSQL only (COPY).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.__main__ import FULL, throwaway_database

BASE_DIR = Path(__file__).resolve().parent.parent
TIMEOUT = 30 * 60


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("bench reports: needs a PostgreSQL DATABASE_URL (COPY is the floor)")
        return 1
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    sizes = {key: max(1, round(value * scale)) for key, value in FULL.items()}
    keep = os.environ.get("BENCH_KEEP", "") == "1"
    with (
        tempfile.TemporaryDirectory(prefix="bench-reports-") as folder,
        throwaway_database(url, keep=keep) as (bench_url, label),
    ):
        os.environ.update(DATABASE_URL=bench_url, VAR_DIR=folder, DEBUG="0")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        print(f"bench reports: {label}; scale {scale}", flush=True)
        figures = run(sizes, folder)
        from django.db import connections

        connections.close_all()
    print("\n== bench reports ==")
    for key, value in figures.items():
        print(f"{key}: {value}")
    return 0


def run(sizes: dict[str, int], folder: str) -> dict:
    from django.core.management import call_command

    figures: dict = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", seed=1, stdout=sys.stdout, stderr=sys.stderr, **sizes)
    _analyze()
    figures["seed s"] = round(time.perf_counter() - started, 1)
    figures["rows"] = _row_counts()
    figures.update(copy_floor(folder))
    worker = _start_worker(folder)
    try:
        figures["worker baseline MB"] = _peak_mb(worker.pid)
        for fmt in ("csv", "xlsx"):
            figures.update(_report(fmt, worker))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    copy = figures["COPY floor s"]
    figures["CSV / COPY"] = f"{figures['pipeline csv s'] / copy:.2f}x (target < 5x)"
    figures["peak worker MB"] = f"{figures['pipeline xlsx worker peak MB']} (target < 300)"
    return figures


def copy_floor(folder: str) -> dict:
    """PostgreSQL's COPY of exactly the rows the pipeline report streams, to a CSV file."""
    from django.db import connection

    sql, params = _report_query().query.sql_with_params()
    target = Path(folder) / "copy.csv"
    started = time.perf_counter()
    with connection.cursor() as cursor, target.open("wb") as out:
        raw = cursor.connection.cursor()
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)", params) as copy:
            for chunk in copy:
                out.write(chunk)
    return {
        "COPY floor s": round(time.perf_counter() - started, 2),
        "COPY rows": sum(1 for _ in target.open("rb")) - 1,
        "COPY MB": round(target.stat().st_size / 1e6, 1),
    }


def _report(fmt: str, worker) -> dict:
    from django.contrib.auth.models import User

    from reports import services
    from reports.models import ReportRun

    user = User.objects.get(username="demo-recruiter")
    started = time.perf_counter()
    run = services.report_request(actor=user, kind="pipeline", fmt=fmt)
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.is_final or worker.poll() is not None:
            break
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    if run.status != ReportRun.Status.SUCCEEDED:
        raise SystemExit(f"bench reports: {fmt} run ended {run.status}: {run.error}")
    generation = (run.finished_at - run.started_at).total_seconds()
    return {
        f"pipeline {fmt} s": round(elapsed, 2),
        f"pipeline {fmt} generation s (claim to file)": round(generation, 2),
        f"pipeline {fmt} rows": run.row_count,
        f"pipeline {fmt} worker peak MB": _peak_mb(worker.pid),
    }


def _report_query():
    from django.contrib.auth.models import User

    from reports.filters import Scope
    from reports.selectors.pipeline import stage_changes

    return stage_changes(Scope(user=User.objects.get(username="demo-recruiter"), filters={}))


def _start_worker(folder: str) -> subprocess.Popen:
    log = open(Path(folder) / "worker.log", "wb")  # noqa: SIM115 - the worker owns it
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "-l", "warning", "--pool", "solo", "-Q", "reports", "--hostname", "bench-reports@%h",
    ]  # fmt: skip
    worker = subprocess.Popen(command, cwd=BASE_DIR, env=os.environ.copy(), stdout=log, stderr=log)
    time.sleep(4)  # the report waits in the queue anyway; this only steadies the baseline
    if worker.poll() is not None:
        raise SystemExit("bench reports: the worker exited; see worker.log")
    return worker


def _peak_mb(pid: int) -> float:
    """The process's peak resident memory (Linux VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _row_counts() -> str:
    from hiring.models import Application, Requisition, StageChange

    return ", ".join(
        f"{m._meta.verbose_name_plural}: {m.objects.count():,}"
        for m in (Requisition, Application, StageChange)
    )


if __name__ == "__main__":
    sys.exit(main())
