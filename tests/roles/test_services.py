"""Band versions and role-data writes through roles.services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from core.errors import Conflict, DomainError
from roles import services
from roles.models import MarketFigure, SalaryBand, Track, Zone
from tests.roles.factories import LevelFactory, SalaryBandFactory, SourceFactory, TrackFactory

pytestmark = pytest.mark.django_db
JAN = datetime.date(2026, 1, 1)
JUL = datetime.date(2026, 7, 1)


def revise(band, actor, **overrides):
    values = {
        "band": band,
        "base_min": Decimal("130000"),
        "base_max": Decimal("170000"),
        "open_ended_top": False,
        "effective_from": JUL,
        "source": band.source,
        "change_note": "Market check",
        "actor": actor,
    }
    return services.band_revise(**{**values, **overrides})


def create(actor, **overrides):
    values = {
        "track": None,
        "level": LevelFactory(),
        "base_min": Decimal("120000"),
        "base_max": Decimal("160000"),
        "effective_from": JAN,
        "source": SourceFactory(),
        "actor": actor,
    }
    return services.band_create(**{**values, **overrides})


def test_revise_closes_the_old_version_and_opens_a_new_one(comp_admin):
    old = SalaryBandFactory()
    new = revise(old, comp_admin)
    old.refresh_from_db()
    assert (old.base_min, old.base_max, old.effective_from, old.effective_to) == (
        Decimal("120000"),
        Decimal("160000"),
        JAN,
        JUL,
    )
    assert (new.base_min, new.base_max, new.effective_from, new.effective_to) == (
        Decimal("130000"),
        Decimal("170000"),
        JUL,
        None,
    )
    assert new.supersedes == old
    assert new.created_by == comp_admin
    assert new.change_note == "Market check"
    assert SalaryBand.objects.count() == 2
    assert old.history.first().history_user == comp_admin
    assert new.history.first().history_user == comp_admin


def test_revise_refuses_a_closed_version(comp_admin):
    old = SalaryBandFactory()
    revise(old, comp_admin)
    old.refresh_from_db()
    with pytest.raises(Conflict) as exc:
        revise(old, comp_admin, effective_from=datetime.date(2026, 9, 1))
    assert exc.value.errors == {"band": ["Only the current version of a band can be revised."]}
    assert SalaryBand.objects.count() == 2


@pytest.mark.parametrize("when", [JAN, datetime.date(2025, 12, 31)])
def test_revise_must_take_effect_after_the_current_version(comp_admin, when):
    old = SalaryBandFactory()
    with pytest.raises(DomainError) as exc:
        revise(old, comp_admin, effective_from=when)
    assert list(exc.value.errors) == ["effective_from"]
    assert "after the current version" in exc.value.errors["effective_from"][0]
    old.refresh_from_db()
    assert old.effective_to is None
    assert SalaryBand.objects.count() == 1


@pytest.mark.parametrize(
    ("base_min", "base_max", "field", "fragment"),
    [
        (Decimal("200000"), Decimal("100000"), "base_min", "must not exceed base maximum"),
        (Decimal("-1"), Decimal("100000"), "base_min", "cannot be negative"),
        (Decimal("1"), Decimal("-5"), "base_max", "cannot be negative"),
    ],
)
def test_bad_amounts_are_refused_naming_the_field(comp_admin, base_min, base_max, field, fragment):
    old = SalaryBandFactory()
    with pytest.raises(DomainError) as exc:
        revise(old, comp_admin, base_min=base_min, base_max=base_max)
    assert fragment in " ".join(exc.value.errors[field])
    old.refresh_from_db()
    assert (old.effective_to, SalaryBand.objects.count()) == (None, 1)

    with pytest.raises(DomainError) as exc:
        create(
            comp_admin,
            level=LevelFactory(code="L3", min_years=5, max_years=10),
            base_min=base_min,
            base_max=base_max,
        )
    assert field in exc.value.errors
    assert SalaryBand.objects.count() == 1


def test_create_refuses_an_overlapping_version(comp_admin):
    existing = SalaryBandFactory()
    with pytest.raises(Conflict) as exc:
        create(comp_admin, level=existing.level, effective_from=JUL)
    assert exc.value.code == "band_overlap"
    assert (
        "Overlaps the version valid from 2026-01-01 (current)"
        in exc.value.errors["effective_from"][0]
    )
    assert SalaryBand.objects.count() == 1


def test_create_allows_a_closed_period_before_the_first_version(comp_admin):
    existing = SalaryBandFactory()
    old = create(
        comp_admin,
        level=existing.level,
        effective_from=datetime.date(2025, 1, 1),
        effective_to=JAN,
        base_min=Decimal("100000"),
        base_max=Decimal("150000"),
    )
    assert old.effective_to == JAN
    with pytest.raises(DomainError) as exc:
        create(
            comp_admin,
            level=existing.level,
            effective_from=datetime.date(2025, 6, 1),
            effective_to=datetime.date(2025, 9, 1),
        )
    assert (
        "Overlaps the version valid from 2025-01-01 to 2026-01-01"
        in exc.value.errors["effective_from"][0]
    )
    assert SalaryBand.objects.count() == 2


def test_track_band_and_ladder_band_do_not_clash(comp_admin):
    ladder = SalaryBandFactory()
    own = create(comp_admin, track=TrackFactory(slug="ml"), level=ladder.level)
    assert own.track.slug == "ml"
    assert SalaryBand.objects.count() == 2


def test_currency_must_be_an_iso_code(comp_admin):
    with pytest.raises(DomainError) as exc:
        create(comp_admin, currency="usd")
    assert exc.value.errors["currency"] == ["Currency must be a three-letter ISO code such as USD."]
    assert not SalaryBand.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"premium_low_pct": Decimal("-1")}, "premium_low_pct"),
        ({"premium_high_pct": Decimal("101")}, "premium_high_pct"),
        ({"premium_default_pct": Decimal("150")}, "premium_default_pct"),
        (
            {"premium_low_pct": Decimal("10"), "premium_default_pct": Decimal("5")},
            "premium_default_pct",
        ),
    ],
)
def test_premium_outside_range_is_refused_naming_the_field(comp_admin, fields, field):
    track = TrackFactory(
        slug="t",
        premium_low_pct=Decimal("0"),
        premium_high_pct=Decimal("20"),
        premium_default_pct=Decimal("10"),
    )
    with pytest.raises(DomainError) as exc:
        services.record_update(instance=track, fields=fields, actor=comp_admin)
    assert field in exc.value.errors
    track.refresh_from_db()
    assert (track.premium_low_pct, track.premium_default_pct, track.premium_high_pct) == (
        Decimal("0"),
        Decimal("10"),
        Decimal("20"),
    )


def test_record_update_records_the_actor_in_history(comp_admin):
    zone = Zone.objects.create(slug="z", name="Z")
    services.record_update(instance=zone, fields={"name": "Zed"}, actor=comp_admin)
    latest = zone.history.first()
    assert (latest.name, latest.history_user, latest.history_type) == ("Zed", comp_admin, "~")
    assert zone.history.last().name == "Z"


def test_record_create_refuses_a_duplicate_slug(comp_admin):
    TrackFactory(slug="dup")
    with pytest.raises(DomainError) as exc:
        services.record_create(model=Track, fields={"slug": "dup", "name": "Dup"}, actor=comp_admin)
    assert "slug" in exc.value.errors
    assert Track.objects.filter(slug="dup").count() == 1


def test_record_delete_refuses_a_row_in_use(comp_admin):
    band = SalaryBandFactory()
    with pytest.raises(Conflict) as exc:
        services.record_delete(instance=band.level, actor=comp_admin)
    assert "in use" in exc.value.message
    assert band.level.__class__.objects.filter(pk=band.level.pk).exists()


def test_record_update_refuses_bands(comp_admin):
    band = SalaryBandFactory()
    with pytest.raises(DomainError):
        services.record_update(instance=band, fields={"base_min": Decimal("1")}, actor=comp_admin)
    band.refresh_from_db()
    assert band.base_min == Decimal("120000")


def test_percent_figure_above_100_is_refused(comp_admin):
    source = SourceFactory()
    with pytest.raises(DomainError) as exc:
        services.record_create(
            model=MarketFigure,
            fields={
                "key": "k",
                "label": "K",
                "value_low": Decimal("101"),
                "unit": "percent",
                "source": source,
            },
            actor=comp_admin,
        )
    assert exc.value.errors == {"value_low": ["A percentage must be between 0 and 100."]}
    assert not MarketFigure.objects.exists()
