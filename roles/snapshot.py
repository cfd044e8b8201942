"""The role data in memory, for hot read paths (the recommendation).

Every recommendation reads the track, level, zone, band, level ladder, expected
certifications and market figures: seven queries for data that changes a few
times a year. ``current()`` keeps all of it in memory per process, tagged with the
token of ``RoleDataVersion``, and pays one primary-key lookup per call to learn
whether the copy is still current:

- every model write to a role-data table changes the token in the writer's
  transaction (signals, wired in ``roles.apps``), so the new token and the new
  rows become visible together; a rolled-back write takes its token with it;
- bulk writers (``load_guide``) call ``bump()`` themselves;
- no token row (a flushed test database): nothing is kept, every call loads.

The rows are model instances shared by every caller of the process: read them,
never change them.
"""

from __future__ import annotations

import datetime
import threading
import uuid
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from roles.models import (
    Certification,
    Level,
    MarketFigure,
    RoleDataVersion,
    SalaryBand,
    Track,
    Zone,
)


@dataclass(frozen=True)
class RoleData:
    token: str | None
    tracks: dict[str, Track]
    levels: tuple[Level, ...]  # by min years, the guide's ladder
    zones: dict[str, Zone]
    bands: tuple[SalaryBand, ...]
    market_figures: dict[str, MarketFigure]
    certifications: frozenset[str]
    #: Level pk → {certification slug: name} the level expects, in the certifications' order.
    expected_certifications: dict[int, dict[str, str]]
    levels_by_code: dict[str, Level] = field(init=False)
    #: The same rows by primary key (for rows that point at them: a requisition's).
    tracks_by_pk: dict[int, Track] = field(init=False)
    levels_by_pk: dict[int, Level] = field(init=False)
    zones_by_pk: dict[int, Zone] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels_by_code", {level.code: level for level in self.levels})
        object.__setattr__(self, "tracks_by_pk", {t.pk: t for t in self.tracks.values()})
        object.__setattr__(self, "levels_by_pk", {lv.pk: lv for lv in self.levels})
        object.__setattr__(self, "zones_by_pk", {z.pk: z for z in self.zones.values()})

    def band_for(self, *, track: Track, level: Level, on: datetime.date) -> SalaryBand | None:
        """As ``roles.selectors.band_for``: the track's own version wins over the ladder's."""
        found = {
            band.track_id: band
            for band in self.bands
            if band.level_id == level.pk
            and band.track_id in (None, track.pk)
            and band.effective_from <= on
            and (band.effective_to is None or band.effective_to > on)
        }
        if track.pk in found:
            return found[track.pk]
        if not (track.is_base_ladder or track.premium_default_pct is not None):
            return None
        return found.get(None)

    def remote_zone(self) -> Zone | None:
        remote = [zone for zone in self.zones.values() if zone.is_remote]
        return min(remote, key=lambda zone: zone.pk) if remote else None


_lock = threading.Lock()
_kept: RoleData | None = None


def current() -> RoleData:
    """The role data as committed (or as written by this transaction): one query if kept."""
    global _kept
    token = _token()
    kept = _kept
    if token is not None and kept is not None and kept.token == token:
        return kept
    data = _load(token)
    # Kept only if nothing changed while loading (a write between the reads).
    if token is not None and _token() == token:
        with _lock:
            _kept = data
    return data


def bump() -> None:
    """A new token: call after writing role data without model signals (bulk writes)."""
    RoleDataVersion.objects.update_or_create(
        id=RoleDataVersion.SINGLETON,
        defaults={"token": uuid.uuid4().hex, "changed_at": timezone.now()},
    )


def forget() -> None:
    """Drops this process's copy (tests that write role data in bulk)."""
    global _kept
    with _lock:
        _kept = None


def _token() -> str | None:
    # Raw SQL: compiling the ORM query would cost more than running it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT token FROM {RoleDataVersion._meta.db_table} WHERE id = %s",
            [RoleDataVersion.SINGLETON],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _load(token: str | None) -> RoleData:
    levels = tuple(Level.objects.select_related("source").order_by("min_years"))
    expected: dict[int, dict[str, str]] = {level.pk: {} for level in levels}
    through = Level.expected_certifications.through
    for level_id, slug, name in through.objects.order_by(
        "certification__issuer", "certification__name"
    ).values_list("level_id", "certification__slug", "certification__name"):
        expected.setdefault(level_id, {})[slug] = name
    return RoleData(
        token=token,
        tracks={t.slug: t for t in Track.objects.select_related("premium_source")},
        levels=levels,
        zones={z.slug: z for z in Zone.objects.select_related("source")},
        bands=tuple(SalaryBand.objects.select_related("source", "track", "level")),
        market_figures={f.key: f for f in MarketFigure.objects.select_related("source")},
        certifications=frozenset(Certification.objects.values_list("slug", flat=True)),
        expected_certifications=expected,
    )
