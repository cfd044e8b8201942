"""The recommended base: exact figures from the guide, the worked examples, every warning.

The pure function (``offers.recommendation.recommend``) is tested over a copy of the
guide's figures (``guide_inputs``); the selector tests load the real guide and check
the copy agrees with it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest

from core.errors import DomainError
from offers.recommendation import (
    BandFigures,
    Inputs,
    LevelFacts,
    NoBandError,
    Premium,
    recommend,
)

EFFECTIVE = datetime.date(2026, 1, 1)
MRJ = "MRJ Recruitment, 2026"
LADDER = {
    "L1": LevelFacts("L1", D("0"), D("2")),
    "L2": LevelFacts("L2", D("2"), D("5")),
    "L3": LevelFacts("L3", D("5"), D("10")),
    "L4": LevelFacts("L4", D("10"), D("15")),
    "L5": LevelFacts("L5", D("15"), None),
}
#: The ladder's bands from roles/data/guide_2026.json: min, max, open-ended top.
BANDS = {
    "L1": (D("90000"), D("120000"), False),
    "L2": (D("120000"), D("160000"), False),
    "L3": (D("155000"), D("230000"), False),
    "L4": (D("200000"), D("312000"), True),
    "L5": (D("250000"), D("350000"), True),
}
TRACKS = {
    "ai-engineer": Premium("track", "AI Engineer", D("0"), D("0"), D("0"), MRJ),
    "ml-engineer": Premium("track", "ML Engineer", D("7.5"), D("5"), D("10"), f"{MRJ}, Jan 2026"),
}
ZONES = {
    "national": Premium("zone", "National median", D("0"), D("0"), D("0"), MRJ),
    "san-francisco": Premium("zone", "San Francisco", D("35"), D("20"), D("50"), "Acceler8"),
    "new-york": Premium("zone", "New York", D("35"), D("20"), D("50"), "Acceler8"),
    "remote": Premium("zone", "Remote", D("0"), D("0"), D("0"), MRJ),
}
L2_CERTIFICATIONS = {
    "aws-ml-specialty": "AWS ML Specialty",
    "azure-ai-engineer-associate": "Azure AI Engineer Associate",
}


def guide_inputs(
    *,
    track: str = "ai-engineer",
    level: str = "L3",
    zone: str = "national",
    years: str | D = "7.5",
    remote: bool = False,
    band: BandFigures | str | None = "ladder",
    **kw,
) -> Inputs:
    """Inputs as the selector builds them from the guide's data."""
    if band == "ladder":
        low, high, open_top = BANDS[level]
        band = BandFigures(low, high, open_top, "USD", EFFECTIVE, MRJ)
    expected = L2_CERTIFICATIONS if level == "L2" else {}
    return Inputs(
        track=track,
        level=LADDER[level],
        zone=zone,
        remote=remote,
        band=band,
        track_premium=TRACKS[track],
        zone_premium=ZONES[zone],
        remote_zone_premium=ZONES["remote"],
        years=D(years),
        ladder=tuple(LADDER.values()),
        expected_certifications=tuple(expected),
        certification_names=expected,
        **kw,
    )


def codes(result) -> list[str]:
    return [w.code for w in result.warnings]


def messages(result, code: str) -> list[str]:
    return [w.message for w in result.warnings if w.code == code]


# The guide's figures at every level, the middle of each level's years.


@pytest.mark.parametrize(
    ("level", "years", "band_min", "band_max", "open_ended", "recommended"),
    [
        ("L1", "1", 90_000, 120_000, False, 105_000),
        ("L2", "3.5", 120_000, 160_000, False, 140_000),
        ("L3", "7.5", 155_000, 230_000, False, 193_000),
        ("L4", "12.5", 200_000, 312_000, True, 256_000),
        ("L5", "17.5", 250_000, 350_000, True, 300_000),
    ],
)
def test_ladder_band_at_every_level(level, years, band_min, band_max, open_ended, recommended):
    result = recommend(guide_inputs(level=level, years=years)).as_dict()

    assert result["band"] == {
        "min": band_min,
        "max": band_max,
        "open_ended": open_ended,
        "currency": "USD",
        "effective_from": "2026-01-01",
        "source": MRJ,
    }
    assert result["adjusted_band"] == {"min": band_min, "max": band_max}
    assert result["position"] == 0.5
    assert result["recommended_base"] == recommended
    assert result["suggested_level"] == level


def test_worked_example_ai_engineer_l3_national_7_5_years():
    result = recommend(guide_inputs())

    assert result.as_dict() == {
        "track": "ai-engineer",
        "level": "L3",
        "zone": "national",
        "suggested_level": "L3",
        "band": {
            "min": 155_000,
            "max": 230_000,
            "open_ended": False,
            "currency": "USD",
            "effective_from": "2026-01-01",
            "source": MRJ,
        },
        "adjustments": [
            {"kind": "track", "range": "0 %", "applied": 0.0, "source": MRJ},
            {"kind": "zone", "range": "0 %", "applied": 0.0, "source": MRJ},
        ],
        "adjusted_band": {"min": 155_000, "max": 230_000},
        "position": 0.5,
        "recommended_base": 193_000,
        "compa_ratio": 1.0,
        "warnings": [],
        "explanation": [
            "The guide's L3 band for AI Engineer is $155,000 to $230,000 "
            "(MRJ Recruitment, 2026; in effect from 2026-01-01).",
            "The AI Engineer premium applied is 0 % (the guide's range: 0 %, "
            "MRJ Recruitment, 2026).",
            "The National median location premium applied is 0 % (the guide's range: 0 %, "
            "MRJ Recruitment, 2026).",
            "Compounded, the adjusted band is $155,000 to $230,000.",
            "7.5 years of experience places the candidate at 50 % of the way through L3, "
            "an anchor of $192,500.",
            "Recommended base: $193,000 (rounded to the nearest 1,000 and kept inside the "
            "band), a compa-ratio of 1.00 against the adjusted midpoint.",
            "The candidate's current pay is never used.",
        ],
        "market_references": [],
    }


def test_worked_example_ml_engineer_in_san_francisco():
    result = recommend(guide_inputs(track="ml-engineer", zone="san-francisco"))

    assert result.as_dict()["adjusted_band"] == {"min": 224_944, "max": 333_788}
    # 224,944 + 0.5 x 108,844 = 279,366
    assert result.recommended_base == D("279000")
    assert result.as_dict()["adjustments"] == [
        {"kind": "track", "range": "5-10 %", "applied": 7.5, "source": f"{MRJ}, Jan 2026"},
        {"kind": "zone", "range": "20-50 %", "applied": 35.0, "source": "Acceler8"},
    ]
    assert result.explanation[1:4] == (
        "The ML Engineer premium applied is 7.5 % (the guide's range: 5-10 %, "
        "MRJ Recruitment, 2026, Jan 2026).",
        "The San Francisco location premium applied is 35 % (the guide's range: 20-50 %, "
        "Acceler8).",
        "Compounded, the adjusted band is $224,944 to $333,788.",
    )


@pytest.mark.parametrize(
    ("level", "adjusted_min", "adjusted_max"),
    [
        ("L1", 96_750, 129_000),
        ("L2", 129_000, 172_000),
        ("L3", 166_625, 247_250),
        ("L4", 215_000, 335_400),
        ("L5", 268_750, 376_250),
    ],
)
def test_ml_engineer_is_the_ladder_plus_7_5_percent(level, adjusted_min, adjusted_max):
    result = recommend(guide_inputs(track="ml-engineer", level=level))

    assert (result.adjusted.low, result.adjusted.high) == (adjusted_min, adjusted_max)


@pytest.mark.parametrize("zone", ["san-francisco", "new-york"])
def test_san_francisco_and_new_york_are_35_percent_above_national(zone):
    result = recommend(guide_inputs(zone=zone))

    assert (result.adjusted.low, result.adjusted.high) == (209_250, 310_500)
    assert result.recommended_base == D("260000")  # 259,875 rounded
    assert result.zone == zone


def test_a_remote_role_in_san_francisco_gets_the_remote_zones_premium():
    remote = recommend(guide_inputs(zone="san-francisco", remote=True))
    national = recommend(guide_inputs(zone="national"))

    assert remote.zone == "remote"
    assert remote.adjusted == national.adjusted
    assert remote.recommended_base == national.recommended_base == D("193000")
    assert remote.as_dict()["adjustments"][1] == {
        "kind": "zone",
        "range": "0 %",
        "applied": 0.0,
        "source": MRJ,
    }
    assert remote.explanation[2] == (
        "The role is remote, so pay anchors to the national median: the Remote premium of "
        "0 % applies wherever the candidate lives, not San Francisco's 35 %."
    )


def test_a_remote_role_pays_an_admin_edited_remote_premium():
    edited = Premium("zone", "Remote", D("5"), D("0"), D("10"), MRJ)
    inputs = guide_inputs(zone="new-york", remote=True)
    result = recommend(Inputs(**{**inputs.__dict__, "remote_zone_premium": edited}))

    assert (result.adjusted.low, result.adjusted.high) == (162_750, 241_500)


def test_a_remote_role_without_a_remote_zone_anchors_to_the_national_median():
    inputs = guide_inputs(zone="san-francisco", remote=True)
    result = recommend(Inputs(**{**inputs.__dict__, "remote_zone_premium": None}))

    assert (result.adjusted.low, result.adjusted.high) == (155_000, 230_000)


def test_a_tracks_own_band_gets_no_track_premium_on_top():
    band = BandFigures(D("170000"), D("250000"), False, "USD", EFFECTIVE, MRJ, track_specific=True)
    result = recommend(guide_inputs(track="ml-engineer", band=band))

    assert (result.adjusted.low, result.adjusted.high) == (170_000, 250_000)
    assert result.as_dict()["adjustments"][0]["applied"] == 0.0
    assert result.explanation[1] == (
        "This is the ML Engineer band itself, so no track premium is added."
    )


# Position from experience.


@pytest.mark.parametrize(
    ("years", "position", "recommended"),
    [
        ("0", 0.0, 155_000),
        ("5", 0.0, 155_000),
        ("6", 0.2, 170_000),
        ("9.99", 1.0, 230_000),  # 0.998 shown with two decimals; 229,850 rounds to 230,000
        ("10", 1.0, 230_000),
        ("40", 1.0, 230_000),
    ],
)
def test_position_is_clamped_to_the_level(years, position, recommended):
    result = recommend(guide_inputs(years=years))

    assert float(result.position) == position
    assert result.recommended_base == recommended


def test_an_open_ended_level_spans_five_years():
    assert recommend(guide_inputs(level="L5", years="16")).position == D("0.20")
    assert recommend(guide_inputs(level="L5", years="20")).recommended_base == D("350000")
    assert recommend(guide_inputs(level="L5", years="45")).recommended_base == D("350000")


# Expected base and competing offer.


@pytest.mark.parametrize(
    ("expected", "competing", "recommended"),
    [
        ("150000", None, 193_000),  # below the anchor: the anchor stands
        ("200000", None, 200_000),
        ("200400", None, 200_000),  # rounded half up to the nearest 1,000
        ("200500", None, 201_000),
        ("200000", "215000", 215_000),
        (None, "221500", 222_000),
        ("400000", None, 230_000),  # capped at the adjusted max
        (None, "999999", 230_000),
    ],
)
def test_expected_and_competing_raise_the_result_up_to_the_adjusted_max(
    expected, competing, recommended
):
    result = recommend(
        guide_inputs(
            expected_base=D(expected) if expected else None,
            competing_offer_base=D(competing) if competing else None,
        )
    )

    assert result.recommended_base == recommended


def test_rounding_never_leaves_the_adjusted_band():
    # ML in San Francisco, L2 at its minimum: 174,150 would round down to 174,000.
    low = recommend(guide_inputs(track="ml-engineer", zone="san-francisco", level="L2", years="2"))
    # L3 at its top: 333,788 would round up to 334,000.
    high = recommend(
        guide_inputs(
            track="ml-engineer", zone="san-francisco", years="12", expected_base=D("500000")
        )
    )

    assert (low.adjusted.low, low.recommended_base) == (174_150, 174_150)
    assert (high.adjusted.high, high.recommended_base) == (333_788, 333_788)


def test_the_current_base_is_never_used():
    without = recommend(guide_inputs()).as_dict()

    for amount in ("1", "150000", "400000", "9999999"):
        assert recommend(guide_inputs(current_base=D(amount))).as_dict() == without


def test_an_expected_base_in_another_currency_is_not_compared():
    result = recommend(guide_inputs(expected_base=D("220000"), expected_base_currency="EUR"))

    assert result.recommended_base == D("193000")
    assert "The expected base is in EUR, not the band's USD, so it is not compared." in (
        result.explanation
    )


def test_compa_ratio_is_against_the_adjusted_midpoint():
    assert recommend(guide_inputs(years="5")).compa_ratio == D("0.81")  # 155,000 / 192,500
    assert recommend(guide_inputs(years="10")).compa_ratio == D("1.19")  # 230,000 / 192,500


# Warnings.


def test_warning_expectation_above_band():
    result = recommend(guide_inputs(expected_base=D("240000"), competing_offer_base=D("250000")))

    assert codes(result) == ["expectation_above_band", "expectation_above_band"]
    assert messages(result, "expectation_above_band") == [
        "The expected base ($240,000) is above the adjusted band's maximum ($230,000): "
        "going higher needs a compensation admin's approval.",
        "The competing offer ($250,000) is above the adjusted band's maximum ($230,000): "
        "going higher needs a compensation admin's approval.",
    ]
    assert (
        "It is raised toward the expected base of $240,000 and the competing offer of "
        "$250,000, up to the adjusted maximum of $230,000."
    ) in result.explanation


def test_no_warning_for_an_ask_inside_the_band():
    result = recommend(guide_inputs(expected_base=D("230000")))

    assert codes(result) == []
    assert "It is raised to meet the expected base of $230,000, within the band." in (
        result.explanation
    )


def test_warning_experience_below_level_suggests_the_level():
    result = recommend(guide_inputs(years="3"))

    assert result.suggested_level == "L2"
    assert codes(result) == ["experience_below_level"]
    assert messages(result, "experience_below_level") == [
        "3 years of experience is below L3's minimum of 5 years; the years suggest L2."
    ]


def test_warning_experience_above_level_suggests_the_level():
    result = recommend(guide_inputs(years="12"))

    assert result.suggested_level == "L4"
    assert codes(result) == ["experience_above_level"]
    assert messages(result, "experience_above_level") == [
        "12 years of experience is beyond L3's range (5 to 10 years); the years suggest L4."
    ]


def test_one_year_reads_in_the_singular():
    result = recommend(guide_inputs(level="L2", years="1", certifications=["aws-ml-specialty"]))

    assert messages(result, "experience_below_level") == [
        "1 year of experience is below L2's minimum of 2 years; the years suggest L1."
    ]


@pytest.mark.parametrize(
    ("level", "years", "top"), [("L4", "12", "$312,000"), ("L5", "20", "$350,000")]
)
def test_warning_open_ended_band_for_l4_and_l5(level, years, top):
    result = recommend(guide_inputs(level=level, years=years))

    assert codes(result) == ["open_ended_band"]
    assert messages(result, "open_ended_band") == [
        f"The guide's top figure for {level} is open-ended ({top}+): the maximum is the "
        "guide's lower bound of the top, not a ceiling."
    ]
    assert result.explanation[0].startswith(f"The guide's {level} band for AI Engineer is ")
    assert f"to {top}+ (" in result.explanation[0]


def test_warning_missing_certification_for_l2_without_a_cloud_certification():
    result = recommend(guide_inputs(level="L2", years="3", certifications=["ibm-ai-engineering"]))

    assert codes(result) == ["missing_certification"]
    assert messages(result, "missing_certification") == [
        "L2 expects at least one of these certifications: AWS ML Specialty or "
        "Azure AI Engineer Associate; the candidate holds none."
    ]


@pytest.mark.parametrize("held", ["aws-ml-specialty", "azure-ai-engineer-associate"])
def test_either_cloud_certification_meets_the_l2_expectation(held):
    assert codes(recommend(guide_inputs(level="L2", years="3", certifications=[held]))) == []


def test_warnings_are_read_out_last_in_the_explanation():
    result = recommend(guide_inputs(level="L4", years="9", expected_base=D("400000")))

    assert codes(result) == ["expectation_above_band", "experience_below_level", "open_ended_band"]
    assert list(result.explanation[-3:]) == [w.message for w in result.warnings]


def test_no_band_raises_no_band_error():
    inputs = guide_inputs(band=None)

    with pytest.raises(NoBandError) as caught:
        recommend(Inputs(**{**inputs.__dict__, "track": "research-scientist"}))

    assert str(caught.value) == (
        "The guide gives no band for research-scientist at L3; a compensation admin can add one."
    )


# Through the selector, with the guide's data loaded.


@pytest.fixture
def rows(guide):
    from roles.models import Level, Track, Zone

    return {
        "track": {t.slug: t for t in Track.objects.select_related("premium_source")},
        "level": {lv.code: lv for lv in Level.objects.all()},
        "zone": {z.slug: z for z in Zone.objects.select_related("source")},
    }


def select(rows, *, track="ai-engineer", level="L3", zone="national", years="7.5", **kw):
    from offers.selectors import recommend_for

    return recommend_for(
        track=rows["track"][track],
        level=rows["level"][level],
        zone=rows["zone"][zone],
        years_experience=D(years),
        **kw,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["L1", "L2", "L3", "L4", "L5"])
@pytest.mark.parametrize("track", ["ai-engineer", "ml-engineer"])
@pytest.mark.parametrize("zone", ["national", "san-francisco", "new-york"])
def test_the_loaded_guide_gives_the_same_figures(rows, level, track, zone):
    years = {"L1": "1", "L2": "3", "L3": "7.5", "L4": "12", "L5": "16"}[level]
    expected = recommend(guide_inputs(track=track, level=level, zone=zone, years=years))

    got = select(rows, track=track, level=level, zone=zone, years=years).result

    assert got.adjusted == expected.adjusted
    assert got.recommended_base == expected.recommended_base
    assert got.band.min == expected.band.min and got.band.max == expected.band.max
    assert codes(got) == codes(expected)


@pytest.mark.django_db
def test_worked_examples_through_the_selector(rows):
    worked = select(rows)
    ml_sf = select(rows, track="ml-engineer", zone="san-francisco")

    assert worked.result.recommended_base == D("193000")
    assert worked.band.level.code == "L3" and worked.band.track_id is None
    assert ml_sf.result.as_dict()["adjusted_band"] == {"min": 224_944, "max": 333_788}


@pytest.mark.django_db
def test_research_scientist_has_no_band(rows):
    from offers.selectors import NoBand

    with pytest.raises(NoBand) as caught:
        select(rows, track="research-scientist")

    assert caught.value.status_code == 422
    assert caught.value.code == "no_band"
    assert caught.value.message == (
        "The guide gives no band for Research Scientist at L3; a compensation admin can add one."
    )


@pytest.mark.django_db
def test_as_of_before_the_first_band_is_refused_naming_as_of(rows):
    with pytest.raises(DomainError) as caught:
        select(rows, as_of=datetime.date(2025, 12, 31))

    assert caught.value.status_code == 400
    assert list(caught.value.errors) == ["as_of"]
    assert caught.value.message == (
        "No band was in effect on 2025-12-31: the earliest version for AI Engineer at L3 "
        "starts on 2026-01-01."
    )


@pytest.mark.django_db
def test_as_of_on_the_first_day_uses_the_first_band(rows):
    result = select(rows, as_of=datetime.date(2026, 1, 1)).result

    assert result.band.effective_from == datetime.date(2026, 1, 1)


@pytest.mark.django_db
def test_remote_policy_uses_the_remote_zone_whatever_the_zone(rows):
    result = select(rows, zone="san-francisco", remote_policy="remote").result

    assert result.zone == "remote"
    assert (result.adjusted.low, result.adjusted.high) == (155_000, 230_000)
    assert result.recommended_base == D("193000")


@pytest.mark.django_db
def test_market_references_for_a_remote_l3_include_the_senior_remote_average(rows):
    remote = select(rows, remote_policy="remote").result.as_dict()["market_references"]
    onsite = select(rows, remote_policy="onsite").result.as_dict()["market_references"]
    staff = select(rows, level="L4", years="12").result.as_dict()["market_references"]

    assert [(m["key"], m["value_low"], m["source"]) for m in remote] == [
        ("us-median-salary", 160_000, "Rise, 2026"),
        ("senior-remote-average-base", 206_600, MRJ),
    ]
    assert [m["key"] for m in onsite] == ["us-median-salary"]
    assert [(m["key"], m["open_ended"]) for m in staff] == [
        ("us-median-salary", False),
        ("total-comp-staff-principal", True),
    ]


@pytest.mark.django_db
def test_certifications_are_matched_by_slug(rows):
    without = select(rows, level="L2", years="3").result
    with_aws = select(rows, level="L2", years="3", certifications=["aws-ml-specialty"]).result

    assert codes(without) == ["missing_certification"]
    assert codes(with_aws) == []


@pytest.mark.django_db
def test_for_an_application_the_candidates_facts_are_used_but_never_the_current_base(
    guide, recruiter, hiring_manager
):
    from offers.selectors import recommend_for_application
    from roles.models import Certification
    from tests.hiring.factories import apply_candidate, open_requisition

    requisition = open_requisition(actor=recruiter, hiring_manager=hiring_manager, level="L2")
    application = apply_candidate(
        requisition=requisition,
        actor=recruiter,
        years_experience=D("3.5"),
        expected_base=D("150000"),
        current_base=D("90000"),
    )
    application.candidate.certifications.add(Certification.objects.get(slug="aws-ml-specialty"))

    first = recommend_for_application(application).result.as_dict()
    application.candidate.current_base = D("999999")
    second = recommend_for_application(application).result.as_dict()

    assert first == second
    assert first["recommended_base"] == 150_000
    assert first["warnings"] == []
