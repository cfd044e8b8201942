"""Reads for offers: the recommendation's inputs gathered from the role data.

``recommend_for`` and ``recommend_for_application`` pick the band in effect on
the date (a track's own band, else the ladder's, as requisitions are priced),
the track's and zone's applied premiums (a remote role: the remote zone's), the
level ladder and the relevant market figures, then call the pure
``offers.recommendation.recommend``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from core.errors import DomainError, Unprocessable
from offers import recommendation as rec
from roles.models import Level, MarketFigure, SalaryBand, Track, Zone
from roles.selectors import band_for, bands_applying_to

#: Market figures shown beside a recommendation (guide keys), by when they are relevant.
NATIONAL_MEDIAN = "us-median-salary"
SENIOR_REMOTE = "senior-remote-average-base"
STAFF_TOTAL_COMP = "total-comp-staff-principal"
SENIOR_FROM_YEARS = Decimal("5")
STAFF_FROM_YEARS = Decimal("10")


class NoBand(Unprocessable):
    code = "no_band"


@dataclass(frozen=True)
class Recommended:
    """The band version used (to pin an offer to it) and the pure result."""

    band: SalaryBand
    result: rec.Recommendation


def recommend_for(
    *,
    track: Track,
    level: Level,
    zone: Zone,
    remote_policy: str = "hybrid",
    years_experience: Decimal,
    certifications: list[str] | tuple[str, ...] = (),
    expected_base: Decimal | None = None,
    competing_offer_base: Decimal | None = None,
    current_base: Decimal | None = None,
    as_of: datetime.date | None = None,
) -> Recommended:
    """The recommendation for raw inputs; ``NoBand`` (422) where the guide gives none."""
    as_of = as_of or timezone.localdate()
    band = band_for(track=track, level=level, on=as_of)
    if band is None:
        raise _no_band(track, level, as_of)
    remote = remote_policy == "remote"
    pay_zone = remote_zone() if remote else zone
    ladder = [_level(row) for row in Level.objects.order_by("min_years")]
    inputs = rec.Inputs(
        track=track.slug,
        level=_level(level),
        zone=pay_zone.slug,
        remote=remote,
        band=_band(band),
        track_premium=_premium("track", track, track.premium_source),
        zone_premium=_premium("zone", pay_zone, pay_zone.source),
        years=Decimal(years_experience),
        ladder=ladder,
        certifications=list(certifications),
        expected_certifications=[c.name for c in level.expected_certifications.all()],
        expected_base=expected_base,
        competing_offer_base=competing_offer_base,
        current_base=current_base,
        as_of=as_of,
        market_references=market_references(level=level, remote=remote),
    )
    return Recommended(band=band, result=rec.recommend(inputs))


def recommend_for_application(
    application,
    *,
    as_of: datetime.date | None = None,
    competing_offer_base: Decimal | None = None,
) -> Recommended:
    """The recommendation for a candidate on a requisition (the candidate's facts, the role's)."""
    requisition = application.requisition
    candidate = application.candidate
    return recommend_for(
        track=requisition.track,
        level=requisition.level,
        zone=requisition.zone,
        remote_policy=requisition.remote_policy,
        years_experience=candidate.years_experience,
        certifications=[c.name for c in candidate.certifications.all()],
        expected_base=candidate.expected_base,
        competing_offer_base=competing_offer_base,
        as_of=as_of,
    )


def remote_zone() -> Zone:
    zone = Zone.objects.filter(is_remote=True).select_related("source").first()
    if zone is None:
        raise DomainError.for_field(
            "remote_policy", "The role data has no remote zone; load the guide's data first."
        )
    return zone


def market_references(*, level: Level, remote: bool) -> list[rec.MarketReference]:
    """The national median always; the senior remote average for a remote senior role; the
    staff/principal total compensation from L4 up."""
    keys = [NATIONAL_MEDIAN]
    if remote and level.min_years >= SENIOR_FROM_YEARS:
        keys.append(SENIOR_REMOTE)
    if level.min_years >= STAFF_FROM_YEARS:
        keys.append(STAFF_TOTAL_COMP)
    figures = {f.key: f for f in MarketFigure.objects.filter(key__in=keys).select_related("source")}
    return [
        rec.MarketReference(
            key=f.key,
            label=f.label,
            value_low=f.value_low,
            value_high=f.value_high,
            unit=f.unit,
            source=str(f.source),
            note=f.note,
        )
        for f in (figures[key] for key in keys if key in figures)
    ]


def _no_band(track: Track, level: Level, as_of: datetime.date) -> DomainError:
    versions = bands_applying_to(track).filter(level=level)
    earliest = versions.order_by("effective_from").values_list("effective_from", flat=True)
    first = earliest.first()
    if first is not None and as_of < first:
        return DomainError.for_field(
            "as_of",
            f"No band was in effect on {as_of.isoformat()}: the earliest version for "
            f"{track.name} at {level.code} starts on {first.isoformat()}.",
        )
    message = (
        f"The guide gives no band for {track.name} at {level.code}; "
        "a compensation admin can add one."
    )
    return NoBand(message, errors={"track": [message]})


def _band(band: SalaryBand) -> rec.BandFigures:
    return rec.BandFigures(
        min=band.base_min,
        max=band.base_max,
        open_ended=band.open_ended_top,
        currency=band.currency,
        effective_from=band.effective_from,
        source=str(band.source),
        track_specific=band.track_id is not None,
    )


def _premium(kind: str, row, source) -> rec.Premium:
    return rec.Premium(
        kind=kind,
        name=row.name,
        applied=row.premium_default_pct or Decimal("0"),
        low=row.premium_low_pct,
        high=row.premium_high_pct,
        source=str(source) if source else "",
    )


def _level(level: Level) -> rec.LevelFacts:
    return rec.LevelFacts(
        code=level.code, min_years=level.min_years, max_years=level.max_years, title=level.title
    )
