"""The recommended base salary: a pure function over plain values, no database access.

Given the band in effect, the premiums, the level and the candidate's facts, it
returns the recommended base with every figure traced to its source and an
explanation a recruiter can read aloud. ``offers.selectors`` gathers the inputs
from the role data; tests call ``recommend`` directly.

The rule (docs/decisions.md, "The recommendation"):

1. the band is the one in effect for the track at the level (the caller picks it);
2. the track's applied premium and the zone's (a remote role: the remote zone's,
   anchored to the national median, whatever zone the role or candidate is in);
3. adjusted band = band x (1 + track) x (1 + zone), each bound rounded half up;
4. position = clamp((years - level min) / span, 0, 1), span = level max - level
   min (5 for an open-ended level); anchor = adjusted min + position x width;
5. recommended = max(anchor, expected base, competing offer), capped at the
   adjusted max, rounded half up to the nearest 1,000 and kept inside the band;
6. the current base is never an input to the result (pay equity, salary-history bans);
7. warnings: an ask above the band, years outside the level (with the level the years
   suggest), an open-ended top, and each unmet level expectation (certifications).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from core.money import format_money
from roles.pricing import Range, adjust_range

DEFAULT_SPAN_YEARS = Decimal("5")
ZERO = Decimal("0")
THOUSAND = Decimal("1000")
HUNDRED = Decimal("100")
TWO_PLACES = Decimal("0.01")


class NoBandError(Exception):
    """The guide gives no band for this track at this level: no figure is invented."""


@dataclass(frozen=True)
class BandFigures:
    """One band version's figures and where they come from."""

    min: Decimal
    max: Decimal
    open_ended: bool
    currency: str
    effective_from: datetime.date
    source: str
    track_specific: bool = False  # a track's own band: its premium is already in it


@dataclass(frozen=True)
class Premium:
    """A track's or zone's premium: the guide's range and the point applied."""

    kind: str  # "track" or "zone"
    name: str
    applied: Decimal
    low: Decimal | None = None
    high: Decimal | None = None
    source: str = ""


@dataclass(frozen=True)
class LevelFacts:
    code: str
    min_years: Decimal
    max_years: Decimal | None
    title: str = ""


@dataclass(frozen=True)
class MarketReference:
    key: str
    label: str
    value_low: Decimal
    value_high: Decimal | None
    unit: str
    source: str
    note: str = ""
    open_ended: bool = False


@dataclass(frozen=True)
class Inputs:
    """The plain facts a recommendation is made from.

    ``zone_premium`` is the premium of the role's zone; for a remote role
    (``remote``) the ``remote_zone_premium`` applies instead, whatever that zone
    is (none given: the national median, 0 %). Certifications are slugs;
    ``certification_names`` gives their display names. An ``expected_base`` in a
    currency other than the band's (``expected_base_currency``) is not compared.
    """

    track: str
    level: LevelFacts
    zone: str
    remote: bool
    band: BandFigures | None
    track_premium: Premium
    zone_premium: Premium
    years: Decimal
    ladder: Sequence[LevelFacts] = ()
    certifications: Sequence[str] = ()
    expected_certifications: Sequence[str] = ()
    certification_names: Mapping[str, str] = field(default_factory=dict)
    remote_zone: str = "remote"
    remote_zone_premium: Premium | None = None
    expected_base: Decimal | None = None
    expected_base_currency: str | None = None
    competing_offer_base: Decimal | None = None
    current_base: Decimal | None = None  # accepted, never used: see the module docstring
    as_of: datetime.date | None = None
    market_references: Sequence[MarketReference] = ()


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


@dataclass(frozen=True)
class Recommendation:
    track: str
    level: str
    zone: str
    suggested_level: str | None
    band: BandFigures
    adjustments: tuple[Premium, ...]
    adjusted: Range
    position: Decimal
    recommended_base: Decimal
    compa_ratio: Decimal
    warnings: tuple[Warning, ...] = ()
    explanation: tuple[str, ...] = ()
    market_references: tuple[MarketReference, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        """The API's shape: amounts as whole numbers, ratios with two decimals."""
        band = self.band
        return {
            "track": self.track,
            "level": self.level,
            "zone": self.zone,
            "suggested_level": self.suggested_level,
            "band": {
                "min": int(band.min),
                "max": int(band.max),
                "open_ended": band.open_ended,
                "currency": band.currency,
                "effective_from": band.effective_from.isoformat(),
                "source": band.source,
            },
            "adjustments": [
                {
                    "kind": p.kind,
                    "range": _pct_range(p),
                    "applied": float(p.applied),
                    "source": p.source,
                }
                for p in self.adjustments
            ],
            "adjusted_band": {"min": int(self.adjusted.low), "max": int(self.adjusted.high)},
            "position": float(self.position),
            "recommended_base": int(self.recommended_base),
            "compa_ratio": float(self.compa_ratio),
            "warnings": [{"code": w.code, "message": w.message} for w in self.warnings],
            "explanation": list(self.explanation),
            "market_references": [
                {
                    "key": m.key,
                    "label": m.label,
                    "value_low": int(m.value_low),
                    "value_high": int(m.value_high) if m.value_high is not None else None,
                    "open_ended": m.open_ended,
                    "unit": m.unit,
                    "source": m.source,
                }
                for m in self.market_references
            ],
        }


def recommend(inputs: Inputs) -> Recommendation:
    """The recommendation for ``inputs``; raises ``NoBandError`` when there is no band."""
    band = inputs.band
    if band is None:
        raise NoBandError(
            f"The guide gives no band for {inputs.track} at {inputs.level.code}; "
            "a compensation admin can add one."
        )
    track_pct = ZERO if band.track_specific else inputs.track_premium.applied
    zone, zone_premium = pay_zone(inputs)
    zone_pct = zone_premium.applied
    adjusted = adjust_range(
        Range(band.min, band.max, band.open_ended), track_pct=track_pct, zone_pct=zone_pct
    )
    position = _position(inputs.years, inputs.level)
    anchor = adjusted.low + position * (adjusted.high - adjusted.low)
    wanted = max([anchor, *(amount for _, amount in _asks(inputs))])
    capped = min(wanted, adjusted.high)
    rounded = (capped / THOUSAND).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * THOUSAND
    recommended = min(max(rounded, adjusted.low), adjusted.high)
    midpoint = (adjusted.low + adjusted.high) / 2
    compa = (recommended / midpoint).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    suggested = suggest_level(inputs.years, inputs.ladder)
    adjustments = (
        _applied(inputs.track_premium, track_pct),
        _applied(zone_premium, zone_pct),
    )
    result = Recommendation(
        track=inputs.track,
        level=inputs.level.code,
        zone=zone,
        suggested_level=suggested,
        band=band,
        adjustments=adjustments,
        adjusted=adjusted,
        position=position.quantize(TWO_PLACES, rounding=ROUND_HALF_UP),
        recommended_base=recommended,
        compa_ratio=compa,
        market_references=tuple(inputs.market_references),
    )
    warnings = tuple(_warnings(inputs, adjusted, suggested))
    explanation = tuple(_explain(inputs, result, anchor, warnings))
    return replace(result, warnings=warnings, explanation=explanation)


def pay_zone(inputs: Inputs) -> tuple[str, Premium]:
    """The zone whose premium applies: a remote role anchors to the national median
    through the remote zone, whatever the role's or the candidate's city."""
    if not inputs.remote:
        return inputs.zone, inputs.zone_premium
    premium = inputs.remote_zone_premium or Premium(kind="zone", name="Remote", applied=ZERO)
    return inputs.remote_zone, premium


def suggest_level(years: Decimal, ladder: Sequence[LevelFacts]) -> str | None:
    """The guide's years rule: min <= years < max (the top level has no max)."""
    fitting = [
        level
        for level in ladder
        if level.min_years <= years and (level.max_years is None or years < level.max_years)
    ]
    return max(fitting, key=lambda level: level.min_years).code if fitting else None


def _position(years: Decimal, level: LevelFacts) -> Decimal:
    span = level.max_years - level.min_years if level.max_years is not None else DEFAULT_SPAN_YEARS
    if span <= 0:
        return Decimal("0")
    raw = (Decimal(years) - level.min_years) / span
    return min(max(raw, Decimal("0")), Decimal("1"))


def _asks(inputs: Inputs) -> list[tuple[str, Decimal]]:
    """The candidate's asks that count: the expected base (in the band's currency) and
    the competing offer; never the current base."""
    currency = inputs.band.currency if inputs.band else None
    expected = inputs.expected_base
    if inputs.expected_base_currency not in (None, currency):
        expected = None
    return [
        (label, Decimal(amount))
        for label, amount in (
            ("expected base", expected),
            ("competing offer", inputs.competing_offer_base),
        )
        if amount
    ]


def _applied(premium: Premium, applied: Decimal) -> Premium:
    return Premium(
        kind=premium.kind,
        name=premium.name,
        applied=applied,
        low=premium.low,
        high=premium.high,
        source=premium.source,
    )


def _warnings(inputs: Inputs, adjusted: Range, suggested: str | None) -> list[Warning]:
    band, money = inputs.band, _money(inputs)
    found = []
    for label, amount in _asks(inputs):
        if amount <= adjusted.high:
            continue
        found.append(
            Warning(
                "expectation_above_band",
                f"The {label} ({money(amount)}) is above the adjusted band's maximum "
                f"({money(adjusted.high)}): going higher needs a compensation admin's approval.",
            )
        )
    level = inputs.level
    if inputs.years < level.min_years:
        found.append(
            Warning(
                "experience_below_level",
                f"{_years_of(inputs.years)} of experience is below {level.code}'s minimum of "
                f"{_years_of(level.min_years)}; the years suggest {suggested or 'no level'}.",
            )
        )
    elif level.max_years is not None and inputs.years >= level.max_years:
        found.append(
            Warning(
                "experience_above_level",
                f"{_years_of(inputs.years)} of experience is beyond {level.code}'s range "
                f"({_years(level.min_years)} to {_years(level.max_years)} years); "
                f"the years suggest {suggested or 'no level'}.",
            )
        )
    if band.open_ended:
        found.append(
            Warning(
                "open_ended_band",
                f"The guide's top figure for {level.code} is open-ended "
                f"({money(band.max)}+): the maximum is the guide's lower bound of the top, "
                "not a ceiling.",
            )
        )
    expected = list(inputs.expected_certifications)
    if expected and not set(expected) & set(inputs.certifications):
        names = sorted(inputs.certification_names.get(slug, slug) for slug in expected)
        found.append(
            Warning(
                "missing_certification",
                f"{level.code} expects at least one of these certifications: "
                f"{' or '.join(names)}; the candidate holds none.",
            )
        )
    return found


def _explain(
    inputs: Inputs, result: Recommendation, anchor: Decimal, warnings: Sequence[Warning]
) -> list[str]:
    band, adjusted, money = result.band, result.adjusted, _money(inputs)
    level = inputs.level
    track_p, zone_p = result.adjustments
    track_name = track_p.name or inputs.track
    lines = [
        f"The guide's {level.code} band for {track_name} is {money(band.min)} to "
        f"{money(band.max)}{'+' if band.open_ended else ''} ({band.source}; in effect from "
        f"{band.effective_from.isoformat()}).",
    ]
    if band.track_specific:
        lines.append(f"This is the {track_name} band itself, so no track premium is added.")
    else:
        lines.append(
            f"The {track_p.name} premium applied is {_pct(track_p.applied)}{_range_note(track_p)}."
        )
    if inputs.remote:
        instead = (
            f", not {inputs.zone_premium.name}'s {_pct(inputs.zone_premium.applied)}"
            if inputs.zone != result.zone
            else ""
        )
        lines.append(
            f"The role is remote, so pay anchors to the national median: the {zone_p.name} "
            f"premium of {_pct(zone_p.applied)} applies wherever the candidate lives{instead}."
        )
    else:
        lines.append(
            f"The {zone_p.name} location premium applied is {_pct(zone_p.applied)}"
            f"{_range_note(zone_p)}."
        )
    lines.append(
        f"Compounded, the adjusted band is {money(adjusted.low)} to {money(adjusted.high)}."
    )
    lines.append(
        f"{_years_of(inputs.years)} of experience places the candidate at "
        f"{int(result.position * 100)} % of the way through {level.code}, an anchor of "
        f"{money(anchor)}."
    )
    if inputs.expected_base and inputs.expected_base_currency not in (None, band.currency):
        lines.append(
            f"The expected base is in {inputs.expected_base_currency}, not the band's "
            f"{band.currency}, so it is not compared."
        )
    asks = [(label, amount) for label, amount in _asks(inputs) if amount > anchor]
    if asks:
        higher = " and ".join(f"the {label} of {money(amount)}" for label, amount in asks)
        if max(amount for _, amount in asks) > adjusted.high:
            lines.append(
                f"It is raised toward {higher}, up to the adjusted maximum of "
                f"{money(adjusted.high)}."
            )
        else:
            lines.append(f"It is raised to meet {higher}, within the band.")
    lines.append(
        f"Recommended base: {money(result.recommended_base)} (rounded to the nearest "
        f"1,000 and kept inside the band), a compa-ratio of {result.compa_ratio} against the "
        "adjusted midpoint."
    )
    lines.append("The candidate's current pay is never used.")
    lines += [w.message for w in warnings]
    return lines


def _pct(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f} %"


def _pct_range(premium: Premium) -> str:
    if premium.low is None or premium.high is None:
        return ""
    if premium.low == premium.high:
        return _pct(premium.low)
    return f"{Decimal(premium.low).normalize():f}-{Decimal(premium.high).normalize():f} %"


def _range_note(premium: Premium) -> str:
    text = _pct_range(premium)
    if not text:
        return ""
    source = f", {premium.source}" if premium.source else ""
    return f" (the guide's range: {text}{source})"


def _years(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def _years_of(value: Decimal) -> str:
    return f"{_years(value)} year" + ("" if Decimal(value) == 1 else "s")


def _money(inputs: Inputs):
    currency = inputs.band.currency if inputs.band else "USD"
    return lambda amount: format_money(amount, currency)
