"""PostgreSQL enforces what the services check: band versions never overlap."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from roles.models import SalaryBand
from tests.roles.factories import LevelFactory, SourceFactory, TrackFactory


def _band(level, track=None, start=(2026, 1, 1), end=None):
    return SalaryBand(
        track=track,
        level=level,
        base_min=Decimal("1"),
        base_max=Decimal("2"),
        effective_from=datetime.date(*start),
        effective_to=datetime.date(*end) if end else None,
        source=SourceFactory(),
    )


def test_exclusion_constraint_refuses_overlapping_ladder_versions(require_postgres):
    level = LevelFactory()
    SalaryBand.objects.bulk_create([_band(level, start=(2025, 1, 1), end=(2026, 1, 1))])
    with pytest.raises(IntegrityError, match="roles_band_no_overlap"), transaction.atomic():
        SalaryBand.objects.bulk_create([_band(level, start=(2025, 6, 1), end=(2025, 9, 1))])
    assert SalaryBand.objects.count() == 1


def test_exclusion_constraint_refuses_overlapping_track_versions(require_postgres):
    level, track = LevelFactory(), TrackFactory(slug="ml")
    SalaryBand.objects.bulk_create([_band(level, track, start=(2025, 1, 1), end=(2026, 1, 1))])
    with pytest.raises(IntegrityError, match="roles_band_no_overlap"), transaction.atomic():
        SalaryBand.objects.bulk_create([_band(level, track, start=(2025, 12, 1), end=(2026, 2, 1))])
    assert SalaryBand.objects.count() == 1


def test_exclusion_constraint_allows_adjacent_versions_and_other_scopes(require_postgres):
    level = LevelFactory()
    SalaryBand.objects.bulk_create(
        [
            _band(level, start=(2025, 1, 1), end=(2026, 1, 1)),
            _band(level, start=(2026, 1, 1)),
            _band(level, TrackFactory(slug="ml"), start=(2025, 6, 1)),
        ]
    )
    assert SalaryBand.objects.count() == 3


def test_one_open_version_per_track_and_level(db):
    level = LevelFactory()
    SalaryBand.objects.bulk_create([_band(level, start=(2026, 1, 1))])
    with pytest.raises(IntegrityError), transaction.atomic():
        SalaryBand.objects.bulk_create([_band(level, start=(2027, 1, 1))])
    assert SalaryBand.objects.count() == 1
