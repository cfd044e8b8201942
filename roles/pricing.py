"""Pure pay arithmetic over plain values: no database access.

Premiums compound: a track premium applies to the ladder band, and the zone
premium applies on top (see docs/decisions.md). Amounts are ``Decimal`` and
are rounded to whole currency units, half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal("100")
ONE = Decimal("1")
WHOLE = Decimal("1")


@dataclass(frozen=True)
class Range:
    low: Decimal
    high: Decimal
    open_ended_top: bool = False


def apply_premium(amount: Decimal, percent: Decimal | None) -> Decimal:
    """``amount`` raised by ``percent`` (None or 0: unchanged), rounded half up."""
    factor = ONE + (percent or Decimal("0")) / HUNDRED
    return (amount * factor).quantize(WHOLE, rounding=ROUND_HALF_UP)


def adjust_range(
    base: Range, *, track_pct: Decimal | None = None, zone_pct: Decimal | None = None
) -> Range:
    """The band after the track's premium, then the zone's."""
    factor = (ONE + (track_pct or 0) / HUNDRED) * (ONE + (zone_pct or 0) / HUNDRED)
    return Range(
        low=(base.low * factor).quantize(WHOLE, rounding=ROUND_HALF_UP),
        high=(base.high * factor).quantize(WHOLE, rounding=ROUND_HALF_UP),
        open_ended_top=base.open_ended_top,
    )


def effective_zone_pct(*, zone_pct: Decimal | None, zone_is_remote: bool) -> Decimal:
    """Remote roles anchor to the national median: no location premium."""
    if zone_is_remote:
        return Decimal("0")
    return zone_pct or Decimal("0")
