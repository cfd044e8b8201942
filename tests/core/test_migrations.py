"""The migrations against the models the test database is built from.

``make test`` builds its tables from the models (``--no-migrations``) and then runs the data
migrations' own functions (``tests/conftest.py``, ``django_db_setup``). That is the same
database ``migrate`` builds only while the migrations describe the models exactly, and while
every data migration can run on today's models: both are checked here.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.migrations import RunPython, RunSQL
from django.test import override_settings

from tests.conftest import project_data_migrations


@pytest.mark.django_db  # makemigrations reads the migration history table
def test_the_migrations_describe_the_models_exactly():
    with override_settings(MIGRATION_MODULES={}):  # --no-migrations hides them otherwise
        try:
            call_command("makemigrations", check=True, dry_run=True, verbosity=0)
        except SystemExit as exit_:  # makemigrations --check exits 1 on a difference
            pytest.fail(
                f"the models and the migrations differ (exit {exit_.code}): run makemigrations"
            )


def test_every_data_migration_file_of_the_project_is_replayed():
    """Read from the files themselves, not through the migration loader the seeding uses."""
    from django.conf import settings

    in_files = set()
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if not str(config.path).startswith(str(settings.BASE_DIR)) or not folder.is_dir():
            continue
        for path in sorted(folder.glob("[0-9]*.py")):
            module = importlib.import_module(f"{config.name}.migrations.{path.stem}")
            if any(isinstance(op, RunPython | RunSQL) for op in module.Migration.operations):
                in_files.add((config.label, path.stem))
    replayed = {(migration.app_label, migration.name) for migration, _ in project_data_migrations()}
    assert in_files, "no data migration found: the scan above is looking in the wrong place"
    assert replayed == in_files


@pytest.mark.django_db
def test_the_rows_the_data_migrations_write_are_in_the_test_database():
    from django.contrib.auth.models import Group

    from core import access
    from hiring.models import DispositionReason
    from offers.models import DeclineReason
    from reports.models import DigestSchedule
    from roles.models import RoleDataVersion

    core_groups = importlib.import_module("core.migrations.0001_groups").GROUPS
    hiring_reasons = importlib.import_module("hiring.migrations.0003_seed_disposition_reasons")
    offer_reasons = importlib.import_module("offers.migrations.0002_seed_decline_reasons")

    assert set(Group.objects.values_list("name", flat=True)) >= set(core_groups)
    assert access.RECRUITERS in core_groups
    assert DispositionReason.objects.count() == sum(map(len, hiring_reasons.REASONS.values()))
    assert DeclineReason.objects.count() == len(offer_reasons.REASONS)
    assert DigestSchedule.objects.exists()
    assert RoleDataVersion.objects.count() == 1
