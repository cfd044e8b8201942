"""Reads of role data that more than one caller needs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from roles.models import Level, SalaryBand, Track, Zone
from roles.pricing import Range, adjust_range, effective_zone_pct


def level_for_years(years: Decimal, levels: QuerySet[Level] | None = None) -> Level | None:
    """The level the guide's years rule gives: min ≤ years < max (max empty: no top)."""
    qs = Level.objects.all() if levels is None else levels
    return (
        qs.filter(min_years__lte=years)
        .filter(Q(max_years__isnull=True) | Q(max_years__gt=years))
        .order_by("-min_years")
        .first()
    )


def band_for(
    *, track: Track | None, level: Level, on: datetime.date | None = None
) -> SalaryBand | None:
    """The band version in effect on ``on`` for a track and level.

    A band set for the track wins over the shared ladder's band. ``None`` when
    the guide gives no figure: callers say so plainly, never invent one.
    """
    on = on or timezone.localdate()
    in_effect = SalaryBand.objects.in_effect(on).filter(level=level)
    scope = Q(track__isnull=True)
    if track is not None:
        scope |= Q(track=track)
    # One query: the track's own version (if any) and the ladder's; at most one of each
    # is in effect on a date (the versions of one track and level never overlap).
    found = {
        band.track_id: band
        for band in in_effect.filter(scope).select_related("source", "track", "level")
    }
    if track is not None and track.pk in found:
        return found[track.pk]
    if track is not None and not _track_priced_on_ladder(track):
        return None
    return found.get(None)


def _track_priced_on_ladder(track: Track) -> bool:
    """A track uses the ladder band only when the guide relates it to the ladder.

    The base ladder itself does; a track with a premium figure (ML engineer)
    does, premium applied. A track with neither has no band in the guide.
    """
    return track.is_base_ladder or track.premium_default_pct is not None


@dataclass(frozen=True)
class PricedBand:
    """A band version and the range after the track's and zone's premiums."""

    band: SalaryBand
    track_pct: Decimal
    zone_pct: Decimal
    adjusted: Range


def priced_band(
    *, track: Track, level: Level, zone: Zone | None, on: datetime.date | None = None
) -> PricedBand | None:
    band = band_for(track=track, level=level, on=on)
    if band is None:
        return None
    return price_version(band=band, track=track, zone=zone)


def price_version(*, band: SalaryBand, track: Track | None, zone: Zone | None) -> PricedBand:
    """Price a band version already in hand (no database access).

    A track's own band already prices the track: its premium is not applied twice.
    """
    track_pct = (
        Decimal("0")
        if band.track_id or track is None
        else (track.premium_default_pct or Decimal("0"))
    )
    zone_pct = (
        effective_zone_pct(zone_pct=zone.premium_default_pct, zone_is_remote=zone.is_remote)
        if zone
        else Decimal("0")
    )
    adjusted = adjust_range(
        Range(band.base_min, band.base_max, band.open_ended_top),
        track_pct=track_pct,
        zone_pct=zone_pct,
    )
    return PricedBand(band=band, track_pct=track_pct, zone_pct=zone_pct, adjusted=adjusted)


def bands_applying_to(track: Track) -> QuerySet[SalaryBand]:
    """Every version that prices ``track``: its own bands, else the ladder's.

    The ladder's versions count only for levels where the track has no band of
    its own, and only when the guide relates the track to the ladder.
    """
    own = Q(track=track)
    if not _track_priced_on_ladder(track):
        return SalaryBand.objects.filter(own)
    own_levels = SalaryBand.objects.filter(track=track).values("level_id")
    return SalaryBand.objects.filter(own | (Q(track__isnull=True) & ~Q(level_id__in=own_levels)))


@dataclass(frozen=True)
class LadderRow:
    level: Level
    priced: PricedBand | None


def ladder_rows(
    *, track: Track, zone: Zone | None, on: datetime.date | None = None
) -> list[LadderRow]:
    """Each level with the band in effect for the track, priced for the zone.

    Three queries whatever the number of levels and versions.
    """
    on = on or timezone.localdate()
    levels = Level.objects.select_related("source").prefetch_related("expected_certifications")
    bands = (
        SalaryBand.objects.in_effect(on)
        .filter(Q(track=track) | Q(track__isnull=True))
        .select_related("source", "track", "level")
    )
    own = {b.level_id: b for b in bands if b.track_id}
    ladder = {b.level_id: b for b in bands if not b.track_id}
    use_ladder = _track_priced_on_ladder(track)
    rows = []
    for level in levels:
        band = own.get(level.pk) or (ladder.get(level.pk) if use_ladder else None)
        priced = price_version(band=band, track=track, zone=zone) if band else None
        rows.append(LadderRow(level=level, priced=priced))
    return rows
