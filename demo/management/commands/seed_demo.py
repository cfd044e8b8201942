"""``manage.py seed_demo``: a demo company, or a deterministic volume set with ``--candidates``.

The work is in ``demo.generator``; this command parses options, runs ``load_guide``
first and prints the users, their passwords (once) and the time per phase.
"""

from __future__ import annotations

import argparse
import io
import os
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

import demo.generator as demo


class Command(BaseCommand):
    help = (
        "Create a demo company (one user per role, ~20 requisitions, ~300 candidates, "
        "interviews, scorecards and offers), or a deterministic volume set with --candidates, "
        "--requisitions, --applications and --seed. Does nothing if that seed's data exists."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sizes = demo.DEMO_SIZES
        parser.add_argument("--candidates", type=_count, default=sizes.candidates)
        parser.add_argument("--requisitions", type=_count, default=sizes.requisitions)
        parser.add_argument("--applications", type=_count, default=sizes.applications)
        parser.add_argument(
            "--seed", type=int, default=demo.DEMO_SEED, help="Same seed, same data."
        )
        parser.add_argument("--batch-size", type=_positive, default=demo.BATCH_SIZE)

    def handle(self, *args, **options) -> None:
        seed = options["seed"]
        sizes = demo.Sizes(
            candidates=options["candidates"],
            requisitions=options["requisitions"],
            applications=options["applications"],
        )
        existing = demo.seed_exists(seed=seed)
        if existing:
            self.stdout.write(
                f"Demo data for seed {seed} is already in this database ({existing:,} "
                "candidates): nothing done. Pass another --seed to add a second set."
            )
            return
        self._load_guide()
        self.stdout.write(
            f"Seeding (seed {seed}): {sizes.candidates:,} candidates, "
            f"{sizes.requisitions:,} requisitions, {sizes.applications:,} applications"
        )
        verbose = options["verbosity"] >= 1 and sizes.candidates > options["batch_size"]
        try:
            report = demo.seed_company(
                sizes=sizes,
                seed=seed,
                password=os.environ.get("DEMO_PASSWORD") or None,
                batch_size=options["batch_size"],
                log=self.stdout.write if verbose else None,
            )
        except demo.PasswordRefused as exc:
            raise CommandError(
                f"{exc} Choose a stronger DEMO_PASSWORD, or leave it unset for random ones."
            ) from exc
        except demo.SeedError as exc:
            raise CommandError(str(exc)) from exc
        self._print_phases(report)
        self._print_users(report)

    def _load_guide(self) -> None:
        started = time.perf_counter()
        try:
            call_command("load_guide", stdout=io.StringIO())
        except CommandError as exc:
            if "Unknown command" not in str(exc):
                raise
            self.stderr.write("load_guide is not available: using the role data already here.")
            return
        self.stdout.write(f"Role data loaded (load_guide) in {time.perf_counter() - started:.2f} s")

    def _print_phases(self, report: demo.SeedReport) -> None:
        self.stdout.write(f"{'phase':<24}{'rows':>12}{'seconds':>10}{'rows/s':>12}")
        for phase in report.phases.values():
            rate = f"{phase.rows_per_second:,.0f}" if phase.rows else "-"
            rows = f"{phase.rows:,}" if phase.rows else "-"
            self.stdout.write(f"{phase.name:<24}{rows:>12}{phase.seconds:>10.2f}{rate:>12}")
        self.stdout.write(self.style.SUCCESS(f"Seeded in {report.seconds:.1f} s"))

    def _print_users(self, report: demo.SeedReport) -> None:
        self.stdout.write("Demo users (passwords are printed once; DEMO_PASSWORD sets them):")
        for item in report.users:
            password = item.password or "(already existed, password unchanged)"
            self.stdout.write(f"  {item.spec.username:<18}{item.spec.role:<20}{password}")


def _count(value: str) -> int:
    return _whole(value, minimum=0)


def _positive(value: str) -> int:
    return _whole(value, minimum=1)


def _whole(value: str, *, minimum: int) -> int:
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise argparse.ArgumentTypeError(
            f"must be a whole number, {minimum} or more (got {value!r})"
        )
    return number
