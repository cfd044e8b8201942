"""`python -m bench.server` (`make bench`): the site at full volume behind a real server.

Never touches real data. Beside a PostgreSQL ``DATABASE_URL`` it creates ``<name>_bench``
(the large ``seed_demo`` set: 100,000 candidates, 1,000 requisitions, 300,000 applications)
and ``<name>_small_bench`` (the small demo), then:

1. counts the queries of every target on both, in process (``bench.queries``);
2. starts gunicorn with 2 workers (``bench.settings``: the site plus a floor page) and a
   Celery worker as ``make run`` starts it, on Redis (``CELERY_BROKER_URL``, else
   redis://127.0.0.1:6379/0 when it answers, else the embedded broker);
3. measures from a separate client process (``bench.client``) signed in as demo-recruiter:
   p50/p95/p99 for one client, then requests per second, p95 and errors with 16 connections;
4. the pipeline export on the worker against PostgreSQL's COPY floor (``bench.reports``);
5. the 5,000-row CSV import at that scale (``bench.imports``), rolled back;

then prints the table and writes ``var/bench.json``. Both databases are dropped at the end.

Environment: ``DATABASE_URL`` (PostgreSQL), ``BENCH_SCALE`` (1), ``BENCH_REQUESTS`` (60 per
target, one client), ``BENCH_CONNECTIONS`` (16), ``BENCH_CONCURRENT_REQUESTS`` (160 per
target), ``BENCH_KEEP=1`` (keep the databases), ``BENCH_REUSE_DB=<name>`` (measure a database
already seeded at full volume and migrated instead of building one; it is never dropped, and
gets the bench's sessions, access-log rows and report runs), ``BENCH_OUT`` (var/bench.json).
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.__main__ import FULL, throwaway_database
from bench.stats import table

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 150
TARGET_QUERIES = 15
TARGET_LOADED_P95_MS = 500
IMPORT_ROWS = 5_000
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
START_SECONDS = 60


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("bench server: needs a PostgreSQL DATABASE_URL (the bench builds <name>_bench)")
        return 1
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    figures: dict = {"machine": machine(), "load before": _load()}
    with ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-server-"))
        large, small = stack.enter_context(databases(url, scale, figures))
        os.environ.update(DATABASE_URL=large, VAR_DIR=folder, DEBUG="0")
        os.environ["CELERY_BROKER_URL"] = figures["broker"] = broker_url()
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        import django

        django.setup()
        counts = count_queries(large, folder), count_queries(small, folder)
        figures["targets"] = merged_counts(*counts)
        measure_stack(figures, large, folder)
        figures["import"] = import_at_scale(IMPORT_ROWS)
        from django.db import connections

        connections.close_all()  # the databases can be dropped now
    figures["load after"] = _load()
    out = Path(os.environ.get("BENCH_OUT", BASE_DIR / "var" / "bench.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2, default=str))
    print(render(figures))
    print(f"\nfigures written to {out}")
    return 0


# -- databases ---------------------------------------------------------------------------


@contextmanager
def databases(url: str, scale: float, figures: dict):
    """``(large, small)`` database URLs: built and seeded here, or the one BENCH_REUSE_DB names."""
    keep = os.environ.get("BENCH_KEEP", "") == "1"
    reuse = os.environ.get("BENCH_REUSE_DB", "")
    parts = urlsplit(url)
    small_url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_small"))
    with ExitStack() as stack:
        small, _ = stack.enter_context(throwaway_database(small_url, keep=keep))
        figures["small seed s"] = seed(small, sizes=None)
        if reuse:
            large = urlunsplit(parts._replace(path=f"/{reuse}"))
            figures["database"] = f"{reuse} (reused, seeded before)"
        else:
            large, label = stack.enter_context(throwaway_database(url, keep=keep))
            sizes = {key: max(1, round(value * scale)) for key, value in FULL.items()}
            figures["database"] = label
            figures["large seed s"] = seed(large, sizes=sizes)
        analyze(large)
        yield large, small


def seed(url: str, *, sizes: dict | None) -> float:
    """migrate and seed_demo in a child process; the seconds both took."""
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0"}
    options = [f"--{key}={value}" for key, value in (sizes or {}).items()]
    started = time.perf_counter()
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", *options]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command], cwd=BASE_DIR, env=env,
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode:
            raise SystemExit(f"bench server: {command[0]} failed:\n{done.stdout}{done.stderr}")
    return round(time.perf_counter() - started, 1)


def analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(_libpq(url), autocommit=True) as conn:
        conn.execute("ANALYZE")


def _libpq(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(scheme="postgresql"))


# -- query counts ------------------------------------------------------------------------


def count_queries(url: str, folder: str) -> dict:
    out = Path(folder) / f"queries-{secrets.token_hex(4)}.json"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    done = subprocess.run(
        [sys.executable, "-m", "bench.queries", str(out)], cwd=BASE_DIR, env=env,
        capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"bench server: counting queries failed:\n{done.stderr[-3000:]}")
    return json.loads(out.read_text())


def merged_counts(large: dict, small: dict) -> list[dict]:
    """The large set's targets, each with the small demo's count of the same target."""
    small_counts = {target["label"]: target for target in small["targets"]}
    merged = []
    for target in large["targets"]:
        twin = small_counts.get(target["label"], {})
        merged.append(
            {
                **target,
                "queries small": twin.get("queries"),
                "status small": twin.get("status"),
            }
        )
    return merged


# -- the server, the worker and the client -------------------------------------------------


def measure_stack(figures: dict, large: str, folder: str) -> None:
    password = demo_password()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": large,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        # One user from 16 connections is the load being measured, not abuse.
        "API_THROTTLE_USER": "1000000/minute",
    }
    with ExitStack() as stack:
        stack.enter_context(process(gunicorn_command(port), env, Path(folder) / "gunicorn.log"))
        worker = stack.enter_context(process(worker_command(), env, Path(folder) / "worker.log"))
        wait_for_server(port)
        figures["worker ready s"] = wait_for_worker(worker)
        figures["http"] = run_client(figures["targets"], port, password, folder)
        figures["pipeline export"] = pipeline_export(worker, folder)


def gunicorn_command(port: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip


def worker_command() -> list[str]:
    from core.management.commands.runstack import worker_command as make_run_worker

    return [*make_run_worker(2), "--hostname", f"bench-{secrets.token_hex(4)}@%h"]


@contextmanager
def process(command: list[str], env: dict, log_path: Path):
    with log_path.open("wb") as log:
        child = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=log)
        try:
            yield child
        finally:
            child.terminate()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def wait_for_server(port: int) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("bench server: gunicorn did not listen in time; see gunicorn.log")


def wait_for_worker(worker: subprocess.Popen) -> float:
    from config.celery import app

    started = time.monotonic()
    while time.monotonic() - started < START_SECONDS:
        if worker.poll() is not None:
            raise SystemExit("bench server: the worker exited; see worker.log")
        if app.control.ping(timeout=0.5):
            return round(time.monotonic() - started, 1)
    raise SystemExit("bench server: the worker did not answer a ping in time")


def run_client(targets: list[dict], port: int, password: str, folder: str) -> dict:
    spec = {
        "base": f"http://127.0.0.1:{port}",
        "username": "demo-recruiter",
        "password": password,
        "requests": int(os.environ.get("BENCH_REQUESTS", "60")),
        "connections": int(os.environ.get("BENCH_CONNECTIONS", "16")),
        "concurrent_requests": int(os.environ.get("BENCH_CONCURRENT_REQUESTS", "160")),
        "targets": [
            {**target, "accept": "application/json" if target["kind"] == "api" else "text/html"}
            for target in targets
        ],
    }
    spec_path, out_path = Path(folder) / "spec.json", Path(folder) / "http.json"
    spec_path.write_text(json.dumps(spec))
    command = [sys.executable, "-m", "bench.client", str(spec_path), str(out_path)]
    subprocess.run(command, cwd=BASE_DIR, check=True)
    return json.loads(out_path.read_text())


def demo_password() -> str:
    """A fresh password for demo-recruiter, for the client's sign-in through /login/."""
    from django.contrib.auth.models import User

    password = secrets.token_urlsafe(18)
    user = User.objects.get(username="demo-recruiter")
    user.set_password(password)
    user.save(update_fields=["password"])
    return password


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def broker_url() -> str:
    if os.environ.get("CELERY_BROKER_URL"):
        return os.environ["CELERY_BROKER_URL"]
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return DEFAULT_REDIS
    except OSError:
        return "filesystem://"


# -- the pipeline export and the import ------------------------------------------------------


def pipeline_export(worker: subprocess.Popen, folder: str) -> dict:
    from bench import reports

    figures = reports.copy_floor(folder)
    figures["worker baseline MB"] = reports._peak_mb(worker.pid)
    for fmt in ("csv", "xlsx"):
        figures.update(reports._report(fmt, worker))
    figures["CSV / COPY"] = round(figures["pipeline csv s"] / figures["COPY floor s"], 2)
    return figures


def import_at_scale(rows: int) -> dict:
    """The CSV import into the large set, timed, then rolled back (the set stays as seeded)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bench.imports import build_csv, importing_user
    from candidates.importer import candidates_import

    with transaction.atomic():
        actor = importing_user()
        data = build_csv(rows).encode()
        upload = SimpleUploadedFile("bench.csv", data, content_type="text/csv")
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            created = candidates_import(file=upload, actor=actor)
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {"rows": len(created), "seconds": round(seconds, 2), "queries": len(queries)}


# -- the report ------------------------------------------------------------------------------


def machine() -> dict:
    import psycopg

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    version = ""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        with psycopg.connect(_libpq(url).rsplit("/", 1)[0] + "/postgres") as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "memory GB": round(memory, 1),
        "postgresql": version,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _load() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def verdict(target: dict, http: dict) -> str:
    misses = []
    single, loaded = http.get("single", {}), http.get("concurrent")
    if single.get("p95", 0) >= TARGET_P95_MS:
        misses.append(f"p95>{TARGET_P95_MS}")
    if target["queries"] > TARGET_QUERIES:
        misses.append(f"q>{TARGET_QUERIES}")
    if target["queries"] != target["queries small"]:
        misses.append("q differ")
    if loaded and loaded["p95"] >= TARGET_LOADED_P95_MS:
        misses.append(f"p95@16>{TARGET_LOADED_P95_MS}")
    if single.get("errors") or (loaded and loaded["errors"]):
        misses.append("errors")
    return ", ".join(misses) or "ok"


def render(figures: dict) -> str:
    rows = []
    for target in figures["targets"]:
        http = figures["http"].get(target["label"], {})
        single, loaded = http.get("single", {}), http.get("concurrent") or {}
        rows.append(
            [
                target["label"], target["queries"], target["queries small"],
                single.get("p50"), single.get("p95"), single.get("p99"),
                loaded.get("rps"), loaded.get("p95"),
                (single.get("errors") or 0) + (loaded.get("errors") or 0),
                verdict(target, http),
            ]
        )  # fmt: skip
    headers = [
        "target", "queries", "q small", "p50 ms", "p95 ms", "p99 ms",
        "req/s @16", "p95 @16", "errors", "targets",
    ]  # fmt: skip
    lines = [
        "== bench: gunicorn (2 workers) and a Celery worker, measured from another process ==",
        f"database: {figures['database']}; broker: {figures['broker']}",
        "machine: " + ", ".join(f"{k} {v}" for k, v in figures["machine"].items()),
        f"load average before/after: {figures['load before']} / {figures['load after']}",
        "",
        table(headers, rows),
        "",
        "pipeline export: " + _pairs(figures["pipeline export"]),
        f"CSV import ({IMPORT_ROWS:,} rows into the large set, rolled back): "
        + _pairs(figures["import"]),
    ]
    return "\n".join(lines)


def _pairs(values: dict) -> str:
    return "; ".join(f"{key} {value}" for key, value in values.items())


if __name__ == "__main__":
    sys.exit(main())
