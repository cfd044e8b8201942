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

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from candidates.models import Candidate
from core import access
from core.errors import DomainError, Unprocessable
from offers import permissions
from offers import recommendation as rec
from offers.models import Offer, OfferApproval
from offers.states import OfferStatus
from roles import snapshot
from roles.models import Level, MarketFigure, SalaryBand, Track, Zone
from roles.pricing import Range
from roles.selectors import band_for, bands_applying_to, price_version

#: Market figures shown beside a recommendation (guide keys), by when they are relevant.
NATIONAL_MEDIAN = "us-median-salary"
SENIOR_REMOTE = "senior-remote-average-base"
STAFF_TOTAL_COMP = "total-comp-staff-principal"
SENIOR_FROM_YEARS = Decimal("5")
STAFF_FROM_YEARS = Decimal("10")


#: What ``recommend_for_application`` reads from an application, to load with it. The
#: requisition's track, level and zone come from the role data in memory: joining them
#: too made PostgreSQL spend some 16 ms planning an eight-table join on every request.
APPLICATION_RELATED = ("candidate", "requisition")
APPLICATION_PREFETCH = ("candidate__certifications",)
#: The only columns of those rows a recommendation reads (``QuerySet.only``): the
#: candidate's notes and search document can be large, and the rest is never read.
APPLICATION_FIELDS = (
    "id",
    "candidate__id",
    "candidate__years_experience",
    "candidate__expected_base",
    "candidate__pay_currency",
    "requisition__id",
    "requisition__track",
    "requisition__level",
    "requisition__zone",
    "requisition__remote_policy",
    "requisition__hiring_manager",
)


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
    expected_base_currency: str | None = None,
    as_of: datetime.date | None = None,
    role_data: snapshot.RoleData | None = None,
) -> Recommended:
    """The recommendation for raw inputs; ``NoBand`` (422) where the guide gives none.

    ``certifications`` are slugs. A remote role (``remote_policy="remote"``, or a
    role in the remote zone) takes the remote zone's premium whatever ``zone`` is.
    ``expected_base_currency``: the expected base is compared only in the band's
    currency. ``current_base`` is accepted and never used. ``role_data``: the request's
    read of ``roles.snapshot`` (read here when not given).
    """
    as_of = as_of or timezone.localdate()
    roles = role_data or snapshot.current()  # one query while the role data is unchanged
    band = roles.band_for(track=track, level=level, on=as_of)
    if band is None:
        raise _no_band(track, level, as_of)
    remote = remote_policy == "remote" or zone.is_remote
    remote_row = (zone if zone.is_remote else _remote_zone(roles.remote_zone())) if remote else None
    expected_certs = roles.expected_certifications.get(level.pk, {})
    inputs = rec.Inputs(
        track=track.slug,
        level=_level(level),
        zone=zone.slug,
        remote=remote,
        band=_band(band),
        track_premium=_premium("track", track, track.premium_source),
        zone_premium=_premium("zone", zone, zone.source),
        remote_zone=remote_row.slug if remote_row else "remote",
        remote_zone_premium=_premium("zone", remote_row, remote_row.source) if remote_row else None,
        years=Decimal(years_experience),
        ladder=[_level(row) for row in roles.levels],
        certifications=list(certifications),
        expected_certifications=list(expected_certs),
        certification_names=expected_certs,
        expected_base=expected_base,
        expected_base_currency=expected_base_currency,
        competing_offer_base=competing_offer_base,
        current_base=current_base,
        as_of=as_of,
        market_references=_references(roles.market_figures, level=level, remote=remote),
    )
    return Recommended(band=band, result=rec.recommend(inputs))


def recommend_for_application(
    application,
    *,
    as_of: datetime.date | None = None,
    competing_offer_base: Decimal | None = None,
    role_data: snapshot.RoleData | None = None,
    certifications: list[str] | None = None,
) -> Recommended:
    """The recommendation for a candidate on a requisition (the candidate's facts, the role's).

    The candidate's current base is never passed on. Load the application with
    ``APPLICATION_RELATED`` and ``APPLICATION_PREFETCH`` for a fixed query count, or pass
    the candidate's ``certifications`` (slugs, ``certification_slugs``) instead.
    """
    requisition = application.requisition
    candidate = application.candidate
    roles = role_data or snapshot.current()
    return recommend_for(
        track=roles.tracks_by_pk.get(requisition.track_id) or requisition.track,
        level=roles.levels_by_pk.get(requisition.level_id) or requisition.level,
        zone=roles.zones_by_pk.get(requisition.zone_id) or requisition.zone,
        remote_policy=requisition.remote_policy,
        years_experience=candidate.years_experience,
        certifications=(
            certifications
            if certifications is not None
            else [c.slug for c in candidate.certifications.all()]
        ),
        expected_base=candidate.expected_base,
        expected_base_currency=candidate.pay_currency,
        competing_offer_base=competing_offer_base,
        as_of=as_of,
        role_data=roles,
    )


def certification_slugs(candidate_id: int) -> list[str]:
    """The candidate's certifications as slugs: one query, no model instances."""
    through = Candidate.certifications.through
    return list(
        through.objects.filter(candidate_id=candidate_id).values_list(
            "certification__slug", flat=True
        )
    )


def remote_zone() -> Zone:
    """The zone remote roles are paid in (the guide's: anchored to the national median)."""
    return _remote_zone(snapshot.current().remote_zone())


def _remote_zone(zone: Zone | None) -> Zone:
    if zone is None:
        raise DomainError.for_field(
            "remote_policy", "The role data has no remote zone; load the guide's data first."
        )
    return zone


def market_references(*, level: Level, remote: bool) -> list[rec.MarketReference]:
    """The national median always; the senior remote average for a remote senior role; the
    staff/principal total compensation from L4 up."""
    return _references(snapshot.current().market_figures, level=level, remote=remote)


def _references(
    figures: dict[str, MarketFigure], *, level: Level, remote: bool
) -> list[rec.MarketReference]:
    keys = [NATIONAL_MEDIAN]
    if remote and level.min_years >= SENIOR_FROM_YEARS:
        keys.append(SENIOR_REMOTE)
    if level.min_years >= STAFF_FROM_YEARS:
        keys.append(STAFF_TOTAL_COMP)
    return [
        rec.MarketReference(
            key=f.key,
            label=f.label,
            value_low=f.value_low,
            value_high=f.value_high,
            unit=f.unit,
            source=str(f.source),
            note=f.note,
            open_ended=f.open_ended,
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


@dataclass(frozen=True)
class BandChange:
    """The offer's band version was superseded: its figures, and the newer version's."""

    old_band: SalaryBand
    new_band: SalaryBand | None
    new_adjusted: Range | None


def band_change(offer: Offer) -> BandChange | None:
    """A flag for an offer made under a band version that got a newer one (no query when
    the version is still open)."""
    old = offer.band
    if old.effective_to is None:
        return None
    requisition = offer.application.requisition
    new = band_for(
        track=requisition.track,
        level=requisition.level,
        on=max(timezone.localdate(), old.effective_to),
    )
    if new is None or new.pk == old.pk:
        return BandChange(old, None, None) if new is None else None
    zone = remote_zone() if requisition.remote_policy == "remote" else requisition.zone
    adjusted = price_version(band=new, track=requisition.track, zone=zone).adjusted
    return BandChange(old, new, adjusted)


def waiting_for_approval(user) -> list[Offer]:
    """Offers pending approval where a role the user fills is still undecided this round,
    and the user has not decided this round yet: three queries whatever the count."""
    if not permissions.may_approve_any(user):
        return []
    rows = list(_pending_for(user))
    return [
        offer
        for offer in rows
        if permissions.decidable_roles(
            user, offer, [a for a in offer.approvals.all() if a.round == offer.round]
        )
    ]


def waiting_ids(user) -> set[int]:
    return {offer.pk for offer in waiting_for_approval(user)}


def _pending_for(user) -> QuerySet[Offer]:
    queryset = (
        permissions.offers_visible_to(user)
        .filter(status=OfferStatus.PENDING_APPROVAL)
        .exclude(created_by_id=user.pk)
    )
    if not access.is_compensation_admin(user):
        queryset = queryset.filter(application__requisition__hiring_manager_id=user.pk)
    return (
        queryset.select_related("application__candidate", "application__requisition")
        .prefetch_related(Prefetch("approvals", queryset=OfferApproval.objects.order_by("id")))
        .order_by("created_at", "id")
    )
