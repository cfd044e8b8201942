"""Properties of the recommended base over random valid inputs (pure function, no database)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from offers.recommendation import Premium, recommend
from tests.offers.test_recommendation import LADDER, guide_inputs

SETTINGS = settings(max_examples=150, deadline=None)
#: Rounding to the nearest 1,000 moves each of two results by at most 500 (plus whole dollars).
ROUNDING = D("1001")

levels = st.sampled_from(list(LADDER))
tracks = st.sampled_from(["ai-engineer", "ml-engineer"])
zones = st.sampled_from(["national", "san-francisco", "new-york"])
years = st.decimals(min_value=0, max_value=60, places=1)
amounts = st.none() | st.decimals(min_value=1, max_value=10_000_000, places=2)


@st.composite
def inputs(draw, **fixed):
    chosen = {
        "track": draw(tracks),
        "level": draw(levels),
        "zone": draw(zones),
        "years": draw(years),
        "remote": draw(st.booleans()),
        "expected_base": draw(amounts),
        "competing_offer_base": draw(amounts),
        "current_base": draw(amounts),
        "certifications": draw(st.lists(st.sampled_from(["aws-ml-specialty", "other"]))),
    }
    return guide_inputs(**{**chosen, **fixed})


def premium(kind: str, applied: D, low: str, high: str) -> Premium:
    return Premium(kind, kind.title(), applied, D(low), D(high), "guide")


@SETTINGS
@given(inputs())
def test_the_result_is_always_inside_the_adjusted_band(case):
    result = recommend(case)

    assert result.adjusted.low <= result.recommended_base <= result.adjusted.high
    assert D("0") <= result.position <= D("1")


@SETTINGS
@given(inputs(), years, years)
def test_the_result_never_decreases_as_years_grow_within_a_level(case, a, b):
    low, high = sorted((a, b))

    assert (
        recommend(replace(case, years=low)).recommended_base
        <= recommend(replace(case, years=high)).recommended_base
    )


@SETTINGS
@given(
    inputs(track="ai-engineer", expected_base=None, competing_offer_base=None),
    st.decimals(min_value=5, max_value=10, places=2),
)
def test_ml_sits_5_to_10_percent_above_the_ladder(case, point):
    ml = replace(case, track="ml-engineer", track_premium=premium("track", point, "5", "10"))
    ladder, priced = recommend(case), recommend(ml)

    assert ladder.adjusted.low * D("1.05") - 1 <= priced.adjusted.low
    assert priced.adjusted.high <= ladder.adjusted.high * D("1.10") + 1
    assert ladder.recommended_base * D("1.05") - ROUNDING <= priced.recommended_base
    assert priced.recommended_base <= ladder.recommended_base * D("1.10") + ROUNDING


@SETTINGS
@given(
    inputs(zone="national", remote=False, expected_base=None, competing_offer_base=None),
    st.sampled_from(["san-francisco", "new-york"]),
    st.decimals(min_value=20, max_value=50, places=2),
)
def test_san_francisco_and_new_york_sit_20_to_50_percent_above_national(case, city, point):
    priced_case = replace(case, zone=city, zone_premium=premium("zone", point, "20", "50"))
    national, priced = recommend(case), recommend(priced_case)

    assert national.adjusted.low * D("1.20") - 1 <= priced.adjusted.low
    assert priced.adjusted.high <= national.adjusted.high * D("1.50") + 1
    assert national.recommended_base * D("1.20") - ROUNDING <= priced.recommended_base
    assert priced.recommended_base <= national.recommended_base * D("1.50") + ROUNDING


@SETTINGS
@given(inputs(remote=False), zones)
def test_remote_equals_national_when_the_remote_premium_is_0(case, city):
    national = recommend(
        replace(case, zone="national", zone_premium=premium("zone", D(0), "0", "0"))
    )
    remote = recommend(
        replace(
            case,
            remote=True,
            zone=city,
            zone_premium=premium("zone", D("35"), "20", "50"),
            remote_zone_premium=premium("zone", D(0), "0", "0"),
        )
    )

    assert remote.adjusted == national.adjusted
    assert remote.recommended_base == national.recommended_base
    assert remote.warnings == national.warnings


@SETTINGS
@given(inputs(), amounts)
def test_the_current_base_never_changes_the_result(case, other):
    assert recommend(case) == recommend(replace(case, current_base=other))
