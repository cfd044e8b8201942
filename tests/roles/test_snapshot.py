"""The role data in memory (roles.snapshot): current after every kind of write."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles import snapshot
from roles.models import Certification, Level, MarketFigure, SalaryBand, Track, Zone

pytestmark = pytest.mark.django_db


def _queries(func) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as captured:
        result = func()
    return result, len(captured)


def test_an_unchanged_snapshot_costs_one_query(guide):
    first, cold = _queries(snapshot.current)
    again, warm = _queries(snapshot.current)

    assert again is first
    assert warm == 1
    assert cold > warm


def test_it_holds_the_guides_role_data(guide):
    data = snapshot.current()
    ai, l3 = data.tracks["ai-engineer"], data.levels_by_code["L3"]
    band = data.band_for(track=ai, level=l3, on=datetime.date(2026, 6, 1))

    assert (band.base_min, band.base_max) == (Decimal("155000.00"), Decimal("230000.00"))
    assert [level.code for level in data.levels] == ["L1", "L2", "L3", "L4", "L5"]
    assert data.remote_zone().slug == "remote"
    assert (
        data.band_for(track=data.tracks["research-scientist"], level=l3, on=band.effective_from)
        is None
    )
    assert (
        data.band_for(track=ai, level=l3, on=band.effective_from - datetime.timedelta(days=1))
        is None
    )


@pytest.mark.parametrize(
    "write",
    [
        lambda: Zone.objects.filter(slug="new-york").get().save(),
        lambda: MarketFigure.objects.order_by("pk").first().save(),
        lambda: Track.objects.get(slug="ml-engineer").delete(),
        lambda: Level.objects.get(code="L2").expected_certifications.clear(),
        lambda: Certification.objects.order_by("pk").first().save(),
        lambda: SalaryBand.objects.order_by("pk").first().save(),
        snapshot.bump,
    ],
    ids=[
        "zone",
        "market-figure",
        "track-deleted",
        "expected-certifications",
        "cert",
        "band",
        "bulk",
    ],
)
def test_every_write_to_the_role_data_makes_the_next_read_reload(guide, write):
    before = snapshot.current()
    write()
    after, count = _queries(snapshot.current)

    assert after is not before
    assert count > 1


def test_the_values_follow_a_write(guide):
    zone = Zone.objects.get(slug="new-york")
    assert snapshot.current().zones["new-york"].premium_default_pct == zone.premium_default_pct

    zone.premium_default_pct = Decimal("30")
    zone.save()

    assert snapshot.current().zones["new-york"].premium_default_pct == Decimal("30")


def test_without_its_version_row_nothing_is_kept(guide):
    from roles.models import RoleDataVersion

    RoleDataVersion.objects.all().delete()
    first = snapshot.current()

    assert snapshot.current() is not first
    snapshot.bump()  # a write recreates the row
    kept = snapshot.current()
    assert snapshot.current() is kept
