"""`python -m bench.recommendations`: the recommendation endpoint's latency, single client.

Never touches real data: on a throwaway database (``bench.__main__.throwaway_database``:
``<name>_bench`` beside a PostgreSQL ``DATABASE_URL``, else a temporary SQLite file) it
migrates, loads the guide, creates a recruiter and one open requisition with one
application through the services, then times ``BENCH_REQUESTS`` (default 300) POSTs to
/api/v1/recommendations/ from one logged-in DRF client, alternating the application form
and the raw-input form. It prints p50/p95/p99 in milliseconds, the queries per request, a
baseline (GET /api/v1/auth/me/, the framework alone) and the load average.
The target is p95 under 20 ms on PostgreSQL.

Environment: ``DATABASE_URL``, ``BENCH_REQUESTS``, ``BENCH_KEEP=1`` to keep the database.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from bench.__main__ import throwaway_database

URL = "/api/v1/recommendations/"
RAW = {
    "track": "ml-engineer",
    "level": "L3",
    "zone": "san-francisco",
    "remote_policy": "hybrid",
    "years_experience": "7.5",
    "certifications": ["aws-ml-specialty"],
    "expected_base": "250000",
    "competing_offer_base": "260000",
}
WARM_UP = 10
#: The framework's own cost under the same load: an endpoint with one query of its own.
BASELINE_URL = "/api/v1/auth/me/"
BASELINE_REQUESTS = 100
TARGET_P95_MS = 20.0


def main() -> int:
    requests = int(os.environ.get("BENCH_REQUESTS", "300"))
    keep = os.environ.get("BENCH_KEEP", "") == "1"
    with throwaway_database(os.environ.get("DATABASE_URL", ""), keep=keep) as (url, label):
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ["DEBUG"] = "0"  # time what production runs, without the query log
        import django

        django.setup()
        print(f"bench database: {label}; {requests} requests", flush=True)
        report = run(requests)
        from django.db import connections

        connections.close_all()  # the database can be dropped now
    print(f"\n== recommendations bench ==\ndatabase: {label}\n{report}")
    return 0


def run(requests: int) -> str:
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    call_command("migrate", verbosity=0)
    call_command("load_guide", verbosity=0)
    setup_test_environment()  # the test client's host is allowed
    client, bodies = setup()
    load_before = os.getloadavg()[0]
    for index in range(WARM_UP):
        _post(client, bodies[index % len(bodies)])
        client.get(BASELINE_URL)
    queries = {name: count_queries(client, body) for name, body in bodies_by_name(bodies)}
    timings: dict[str, list[float]] = {"application": [], "raw inputs": []}
    for index in range(requests):
        name, body = bodies_by_name(bodies)[index % len(bodies)]
        started = time.perf_counter()
        _post(client, body)
        timings[name].append((time.perf_counter() - started) * 1000)
    baseline = []
    for _ in range(BASELINE_REQUESTS):
        started = time.perf_counter()
        client.get(BASELINE_URL)
        baseline.append((time.perf_counter() - started) * 1000)
    every = [ms for series in timings.values() for ms in series]
    lines = [line(f"all ({len(every)})", every, None)]
    lines += [line(f"{name} ({len(ms)})", ms, queries[name]) for name, ms in timings.items()]
    lines.append(line(f"baseline GET {BASELINE_URL}", baseline, None))
    lines.append(
        f"load average (1 min) before/after: {load_before:.1f}/{os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs"
    )
    p95 = percentiles(every)[1]
    verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
    lines.append(f"target p95 < {TARGET_P95_MS:.0f} ms: {verdict} ({p95:.1f} ms)")
    return "\n".join(lines)


def setup():
    """A recruiter, a manager, one open requisition and one application, through the services."""
    from decimal import Decimal

    from django.contrib.auth.models import Group, User
    from rest_framework.test import APIClient

    from candidates.services import candidate_create
    from core import access
    from hiring.models import Requisition
    from hiring.services.applications import application_create
    from hiring.services.requisitions import requisition_create
    from roles.models import Level, Track, Zone

    recruiter = _user("bench-recruiter", Group.objects.get(name=access.RECRUITERS))
    manager = _user("bench-manager", Group.objects.get(name=access.HIRING_MANAGERS))
    requisition = requisition_create(
        actor=recruiter,
        title="Senior AI Engineer (bench)",
        track=Track.objects.get(slug="ai-engineer"),
        level=Level.objects.get(code="L3"),
        zone=Zone.objects.get(slug="national"),
        hiring_manager=manager,
        status=Requisition.Status.OPEN,
    )
    candidate = candidate_create(
        actor=recruiter,
        full_name="Bench Candidate",
        email="bench.candidate@example.com",
        years_experience=Decimal("7.5"),
        expected_base=Decimal("200000"),
    )
    application = application_create(candidate=candidate, requisition=requisition, actor=recruiter)
    client = APIClient()
    client.force_login(User.objects.get(pk=recruiter.pk))
    return client, [{"application": application.pk, "competing_offer_base": "210000"}, RAW]


def bodies_by_name(bodies: list[dict]) -> list[tuple[str, dict]]:
    return list(zip(("application", "raw inputs"), bodies, strict=True))


def count_queries(client, body: dict) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _post(client, body)
    return len(captured)


def percentiles(values: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def line(label: str, values: list[float], queries: int | None) -> str:
    p50, p95, p99 = percentiles(values)
    count = f"  {queries} queries/request" if queries is not None else ""
    return f"  {label:<20} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  p99 {p99:6.1f} ms{count}"


def _post(client, body: dict) -> None:
    response = client.post(URL, body, format="json")
    if response.status_code != 200:
        raise SystemExit(f"{URL} answered {response.status_code}: {response.content[:300]!r}")


def _user(username: str, group):
    from django.contrib.auth.models import User

    user = User.objects.create_user(username=username, email=f"{username}@example.com")
    user.groups.add(group)
    return user


if __name__ == "__main__":
    sys.exit(main())
