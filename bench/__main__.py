"""`make bench`: time ``seed_demo`` at full volume on a throwaway database.

Never touches real data. With a PostgreSQL ``DATABASE_URL`` it creates
``<name>_bench`` on the same server and drops it at the end; otherwise it uses
a temporary SQLite file. Then it migrates, runs ``seed_demo`` with 100,000
candidates, 1,000 requisitions and 300,000 applications (``BENCH_SCALE=0.01``
for a quick run), prints rows/s per phase, the total, the peak RSS, and the
time and query count of a few list pages and endpoints at that volume.

Environment: ``DATABASE_URL``, ``BENCH_SCALE`` (default 1), ``BENCH_SEED``
(default 1), ``BENCH_KEEP=1`` to keep the database for a look afterwards.
"""

from __future__ import annotations

import logging
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

FULL = {"candidates": 100_000, "requisitions": 1_000, "applications": 300_000}
PAGES = (
    ("page", "candidates list", "candidates:list", ""),
    ("page", "candidates search", "candidates:list", "?q=python"),
    ("page", "requisitions list", "hiring:requisition-list", ""),
    ("page", "dashboard", "hiring:dashboard", ""),
    ("api", "API candidates", "/api/v1/candidates/", ""),
    ("api", "API candidates search", "/api/v1/candidates/", "?search=python"),
    ("api", "API requisitions", "/api/v1/requisitions/", ""),
    ("api", "API applications", "/api/v1/applications/", ""),
)


def main() -> int:
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    sizes = {key: max(1, round(value * scale)) for key, value in FULL.items()}
    seed = int(os.environ.get("BENCH_SEED", "1"))
    keep = os.environ.get("BENCH_KEEP", "") == "1"
    with throwaway_database(os.environ.get("DATABASE_URL", ""), keep=keep) as (url, label):
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ["DEBUG"] = "0"  # time what production runs, without the query log
        import django

        django.setup()
        print(f"bench database: {label}; scale {scale}; seed {seed}", flush=True)
        figures = run(sizes, seed)
        from django.db import connections

        connections.close_all()  # the database can be dropped now
    print_summary(label, sizes, figures)
    return 0


def run(sizes: dict[str, int], seed: int) -> dict[str, float | str]:
    from django.core.management import call_command
    from django.db import connection

    figures: dict[str, float | str] = {}
    with timed(figures, "migrate"):
        call_command("migrate", verbosity=0)
    with timed(figures, "seed_demo"):
        call_command("seed_demo", seed=seed, stdout=sys.stdout, stderr=sys.stderr, **sizes)
    figures["peak RSS MB after seed"] = peak_rss_mb()
    if connection.vendor == "postgresql":
        with timed(figures, "analyze"), connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    figures["rows"] = row_counts()
    figures["pages"] = time_pages()
    figures["board"] = time_board()
    return figures


def row_counts() -> str:
    from candidates.models import Candidate
    from hiring.models import Application, Interview, Requisition, Scorecard, StageChange

    models = (Candidate, Requisition, Application, StageChange, Interview, Scorecard)
    return ", ".join(f"{m._meta.verbose_name_plural}: {m.objects.count():,}" for m in models)


def time_pages() -> str:
    """Each list twice as the demo recruiter (who sees everything); the second, warm, counts."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    # A page under construction is reported as skipped; its traceback is noise here.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    user = User.objects.get(username="demo-recruiter")
    client = Client()
    client.force_login(user)
    return "\n".join(time_page(client, *page) for page in PAGES)


def time_page(client, kind: str, label: str, target: str, query: str) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    try:
        url = (reverse(target) if kind == "page" else target) + query
        client.get(url)  # warm caches and the connection
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
    except NoReverseMatch as exc:
        return f"  {label:<24} skipped: NoReverseMatch: {exc}"[:200]
    except Exception as exc:  # a page under construction must not end the bench
        return f"  {label:<24} skipped: {exc.__class__.__name__}: {exc}"[:200]
    if response.status_code != 200:
        return f"  {label:<24} skipped: {url} answered {response.status_code}"
    return f"  {label:<24} {elapsed * 1000:8.1f} ms {len(queries):4d} queries  {url}"


BOARD_RUNS = 40
BOARD_P95_TARGET_MS = 150


def time_board() -> str:
    """The largest requisition's board, ``BOARD_RUNS`` warm requests: p50, p95, queries.

    Beside it, the board of the requisition nearest to 10 applications among those in the
    same status (a filled requisition's page adds its follow-up list): the query counts must
    be equal (a board shows a page of cards per column, whatever the size).
    """
    from django.contrib.auth.models import User
    from django.db.models import Count
    from django.test import Client

    from hiring.models import Application, Requisition

    sizes = list(
        Application.objects.order_by()
        .values_list("requisition")
        .annotate(n=Count("id"))
        .values_list("requisition", "n")
    )
    if not sizes:
        return "  board: no applications"
    largest = max(sizes, key=lambda row: row[1])
    status = Requisition.objects.get(pk=largest[0]).status
    alike = set(Requisition.objects.filter(status=status).values_list("pk", flat=True))
    small = min((row for row in sizes if row[0] in alike), key=lambda row: abs(row[1] - 10))
    client = Client()
    client.force_login(User.objects.get(username="demo-recruiter"))
    big = _board_timings(client, *largest)
    little = _board_timings(client, *small, runs=3)
    same = "same query count" if big[2] == little[2] else "DIFFERENT query counts"
    verdict = "under" if big[1] < BOARD_P95_TARGET_MS else "OVER"
    return (
        f"  board, largest requisition ({largest[1]:,} applications): p50 {big[0]:.1f} ms, "
        f"p95 {big[1]:.1f} ms ({verdict} {BOARD_P95_TARGET_MS} ms), {big[2]} queries\n"
        f"  board, {small[1]} applications ({status}): p50 {little[0]:.1f} ms, "
        f"{little[2]} queries; {same}"
    )


def _board_timings(client, pk: int, count: int, runs: int = BOARD_RUNS) -> tuple:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("hiring:requisition-detail", args=[pk])
    client.get(url)  # warm
    elapsed = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    elapsed.sort()
    p95 = elapsed[min(len(elapsed) - 1, round(0.95 * (len(elapsed) - 1)))]
    return elapsed[len(elapsed) // 2], p95, len(queries)


@contextmanager
def throwaway_database(url: str, *, keep: bool) -> Iterator[tuple[str, str]]:
    parts = urlsplit(url)
    if parts.scheme.startswith("postgres"):
        yield from _postgres(parts, keep=keep)
        return
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        os.environ.setdefault("VAR_DIR", folder)
        path = os.path.join(folder, "bench.sqlite3")
        yield f"sqlite:///{path}", f"sqlite (temporary file {path})"


def _postgres(parts, *, keep: bool) -> Iterator[tuple[str, str]]:
    import psycopg
    from psycopg import sql

    name = bench_database_name(urlunsplit(parts))
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    database = sql.Identifier(name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(database))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}")), f"postgresql ({name}, throwaway)"
    finally:
        if not keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))


def bench_database_name(url: str) -> str:
    """``<name>_bench`` beside the configured database: the bench never writes to real data."""
    name = urlsplit(url).path.lstrip("/") or "postgres"
    return name.removesuffix("_bench") + "_bench"


@contextmanager
def timed(figures: dict, name: str) -> Iterator[None]:
    """Wall-clock seconds, and this process's CPU seconds (the database server's are apart)."""
    started, cpu = time.perf_counter(), _cpu_seconds()
    yield
    figures[f"{name} s"] = round(time.perf_counter() - started, 2)
    figures[f"{name} CPU s (this process)"] = round(_cpu_seconds() - cpu, 2)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    # Linux reports kilobytes, macOS bytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def print_summary(label: str, sizes: dict[str, int], figures: dict) -> None:
    print("\n== bench summary ==")
    print(f"database: {label}")
    print("asked: " + ", ".join(f"{key} {value:,}" for key, value in sizes.items()))
    for key, value in figures.items():
        if key not in ("rows", "pages", "board"):
            print(f"{key}: {value}")
    print(f"rows: {figures['rows']}")
    print("lists (warm, as demo-recruiter):")
    print(figures["pages"])
    print(figures["board"])
    print(f"peak RSS MB (whole run): {peak_rss_mb()}")


if __name__ == "__main__":
    sys.exit(main())
