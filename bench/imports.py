"""Time a 5,000-row CSV import on a throwaway database.

Like ``python -m bench``, it never touches real data: with a PostgreSQL
``DATABASE_URL`` it creates ``<name>_bench`` on the same server and drops it at
the end; otherwise it uses a temporary SQLite file. It migrates, loads the
career guide, builds a CSV in memory (distinct names and emails, some skills
and certifications) and imports it through ``candidates_import`` as a
recruiter, then prints rows, seconds, rows/s, this process's CPU seconds and
the number of queries.

Environment: ``DATABASE_URL``, ``BENCH_IMPORT_ROWS`` (default: the importer's
maximum, 5,000), ``BENCH_KEEP=1`` to keep the database afterwards.
"""

from __future__ import annotations

import csv
import io
import os
import sys
import time

from bench.__main__ import _cpu_seconds, throwaway_database

TARGET_SECONDS = 10.0


def main() -> int:
    keep = os.environ.get("BENCH_KEEP", "") == "1"
    with throwaway_database(os.environ.get("DATABASE_URL", ""), keep=keep) as (url, label):
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        os.environ["DEBUG"] = "0"  # as production runs; queries are counted apart
        import django

        django.setup()
        from candidates.importer import MAX_ROWS

        rows = int(os.environ.get("BENCH_IMPORT_ROWS", MAX_ROWS))
        print(f"bench database: {label}; importing {rows:,} rows", flush=True)
        figures = run(rows)
        from django.db import connections

        connections.close_all()  # the database can be dropped now
    print_summary(label, figures)
    return 0


def run(rows: int) -> dict[str, float | int]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from candidates.importer import candidates_import
    from candidates.models import Candidate

    call_command("migrate", verbosity=0)
    call_command("load_guide", verbosity=0, stdout=io.StringIO())
    actor = importing_user()
    data = build_csv(rows).encode("utf-8")
    upload = SimpleUploadedFile("bench.csv", data, content_type="text/csv")
    with CaptureQueriesContext(connection) as queries:
        started, cpu = time.perf_counter(), _cpu_seconds()
        created = candidates_import(file=upload, actor=actor)
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    assert len(created) == rows == Candidate.objects.count()
    return {
        "rows": rows,
        "bytes": len(data),
        "seconds": round(seconds, 2),
        "rows/s": round(rows / seconds),
        "CPU s (this process; the database server's are apart)": round(cpu, 2),
        "queries": len(queries),
        "history records": Candidate.history.count(),
    }


def importing_user():
    """A recruiter, as the import page and endpoint require."""
    from django.contrib.auth.models import Group, User

    from core import access

    user = User.objects.create_user("bench-importer", first_name="Bench", last_name="Importer")
    user.groups.add(Group.objects.get_or_create(name=access.RECRUITERS)[0])
    return user


def build_csv(rows: int) -> str:
    """Every importable column, distinct people; skills and certifications from the guide."""
    from candidates.importer import COLUMNS, EXAMPLE_ROW
    from roles.models import Certification, Skill, Zone

    skills = list(Skill.objects.order_by("slug").values_list("slug", flat=True)[:12])
    certifications = list(Certification.objects.order_by("slug").values_list("slug", flat=True))
    zones = list(Zone.objects.order_by("slug").values_list("slug", flat=True))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for n in range(rows):
        row = dict(EXAMPLE_ROW)
        row.update(
            full_name=f"Bench{n} Person{n}",
            email=f"bench.person{n}@example.com",
            phone=f"+1 512 {n // 10000 % 1000:03d} {n % 10000:04d}",
            zone=zones[n % len(zones)] if zones else "",
            years_experience=str(n % 25),
            skills=";".join(skills[n % len(skills) : n % len(skills) + 3]) if skills else "",
            certifications=certifications[n % len(certifications)]
            if certifications and n % 3 == 0
            else "",
            github_url=f"https://github.com/bench-{n}",
            expected_base=str(100_000 + n),
            referrer=f"Referrer {n}",
            notes=f"Imported by the bench, row {n + 2}.",
        )
        writer.writerow({name: row.get(name, "") for name in COLUMNS})
    return out.getvalue()


def print_summary(label: str, figures: dict) -> None:
    print("\n== import bench ==")
    print(f"database: {label}")
    for key, value in figures.items():
        print(f"{key}: {value:,}" if isinstance(value, int) else f"{key}: {value}")
    verdict = "under" if figures["seconds"] < TARGET_SECONDS else "OVER"
    print(f"target: {verdict} {TARGET_SECONDS:g} s")


if __name__ == "__main__":
    sys.exit(main())
