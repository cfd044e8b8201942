"""`load_guide`: exact guide values with sources, idempotent, admin edits survive."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from roles.models import (
    Certification,
    Level,
    MarketFigure,
    SalaryBand,
    Skill,
    Source,
    Track,
    Zone,
)
from roles.services import band_revise, record_update

pytestmark = pytest.mark.django_db
MODELS = [Source, Track, Level, SalaryBand, Zone, MarketFigure, Skill, Certification]


def run_loader() -> str:
    out = StringIO()
    call_command("load_guide", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        m.__name__: (m.objects.count(), m.history.count(), list(m.objects.values())) for m in MODELS
    }


def test_ladder_bands_equal_the_guide_with_their_source(guide):
    bands = SalaryBand.objects.filter(track__isnull=True).select_related("level", "source")
    got = {
        b.level.code: (b.base_min, b.base_max, b.open_ended_top, b.currency, b.effective_from)
        for b in bands
    }
    start = datetime.date(2026, 1, 1)
    assert got == {
        "L1": (Decimal("90000"), Decimal("120000"), False, "USD", start),
        "L2": (Decimal("120000"), Decimal("160000"), False, "USD", start),
        "L3": (Decimal("155000"), Decimal("230000"), False, "USD", start),
        "L4": (Decimal("200000"), Decimal("312000"), True, "USD", start),
        "L5": (Decimal("250000"), Decimal("350000"), True, "USD", start),
    }
    assert {(b.source.publisher, b.source.year) for b in bands} == {("MRJ Recruitment", 2026)}
    assert all(b.effective_to is None for b in bands)


def test_levels_follow_the_guide_titles_years_and_l2_certifications(guide):
    levels = {lv.code: lv for lv in Level.objects.all()}
    assert [(c, lv.title, lv.min_years, lv.max_years) for c, lv in levels.items()] == [
        ("L1", "Junior AI Engineer / ML Engineer I", Decimal("0"), Decimal("2")),
        ("L2", "AI Engineer / ML Engineer II", Decimal("2"), Decimal("5")),
        ("L3", "Senior AI Engineer", Decimal("5"), Decimal("10")),
        ("L4", "Staff / Principal AI Engineer", Decimal("10"), Decimal("15")),
        ("L5", "AI Director / VP of AI / Chief AI Officer", Decimal("15"), None),
    ]
    assert sorted(levels["L2"].expected_certifications.values_list("name", flat=True)) == [
        "AWS ML Specialty",
        "Azure AI Engineer Associate",
    ]


def test_track_premiums_equal_the_guide(guide):
    tracks = {t.slug: t for t in Track.objects.select_related("premium_source")}
    assert list(tracks) == [
        "ai-engineer",
        "ml-engineer",
        "data-scientist",
        "research-scientist",
        "ai-product-manager",
        "ai-governance",
        "ai-consultant",
    ]
    base, ml = tracks["ai-engineer"], tracks["ml-engineer"]
    assert base.is_base_ladder and base.premium_default_pct == Decimal("0")
    assert (ml.premium_low_pct, ml.premium_default_pct, ml.premium_high_pct) == (
        Decimal("5"),
        Decimal("7.5"),
        Decimal("10"),
    )
    assert str(ml.premium_source) == "MRJ Recruitment, 2026, Jan 2026"
    for slug in ("data-scientist", "research-scientist", "ai-product-manager", "ai-governance"):
        assert tracks[slug].premium_default_pct is None
        assert tracks[slug].premium_source is None
    assert not SalaryBand.objects.filter(track__isnull=False).exists()


def test_zones_equal_the_guide(guide):
    zones = {z.slug: z for z in Zone.objects.select_related("source")}
    national = zones["national"]
    assert (national.guide_label, national.city_list, national.premium_default_pct) == (
        "Zone 3",
        ["Austin", "Boston"],
        Decimal("0"),
    )
    assert str(national.source) == "MRJ Recruitment, 2026"
    for slug in ("san-francisco", "new-york"):
        zone = zones[slug]
        assert (zone.premium_low_pct, zone.premium_default_pct, zone.premium_high_pct) == (
            Decimal("20"),
            Decimal("35"),
            Decimal("50"),
        )
        assert zone.salary_history_ban is True
        assert zone.source.publisher == "Acceler8 Talent"
    assert zones["remote"].is_remote and zones["remote"].premium_default_pct == Decimal("0")
    assert str(zones["remote"].source) == "MRJ Recruitment, 2026"


@pytest.mark.parametrize(
    ("key", "low", "high", "open_ended", "unit", "publisher", "year"),
    [
        ("us-median-salary", "160000", None, False, "usd", "Rise", 2026),
        ("senior-remote-average-base", "206600", None, False, "usd", "MRJ Recruitment", 2026),
        ("total-comp-faang", "583000", None, True, "usd", "Acceler8 Talent", 2026),
        ("total-comp-staff-principal", "943000", None, True, "usd", "Acceler8 Talent", 2026),
        ("ai-governance-median", "205000", "221000", False, "usd", "Acceler8 Talent", 2026),
        ("contractor-hourly-rate", "120", "150", True, "usd_per_hour", "Rise", 2026),
        ("time-model-development", "40", "50", False, "percent", "IntuitionLabs", 2025),
        ("time-data-engineering", "20", "25", False, "percent", "IntuitionLabs", 2025),
        ("time-collaboration", "15", "20", False, "percent", "IntuitionLabs", 2025),
        ("time-research-infrastructure", "10", "15", False, "percent", "IntuitionLabs", 2025),
        ("remote-share", "85", None, False, "percent", "Rise", 2026),
        ("conference-budget", "5000", "15000", False, "usd", "Acceler8 Talent", 2026),
        ("research-time", "20", "30", False, "percent", "Acceler8 Talent", 2026),
        (
            "job-growth",
            "26",
            None,
            False,
            "percent_change",
            "U.S. Bureau of Labor Statistics (BLS)",
            None,
        ),
        ("unfilled-positions", "500000", None, True, "count", "Rise", 2026),
        ("employers-difficulty", "76", None, False, "percent", "Acceler8 Talent", 2026),
        ("postings-growth", "257", None, False, "percent_change", "Rise", 2026),
    ],
)
def test_market_figures_equal_the_guide(guide, key, low, high, open_ended, unit, publisher, year):
    figure = MarketFigure.objects.select_related("source").get(key=key)
    assert figure.value_low == Decimal(low)
    assert figure.value_high == (Decimal(high) if high else None)
    assert (figure.open_ended, figure.unit) == (open_ended, unit)
    assert (figure.source.publisher, figure.source.year) == (publisher, year)


def test_catalogues_hold_the_guide_skills_and_certifications(guide):
    assert set(Certification.objects.values_list("name", flat=True)) == {
        "AWS ML Specialty",
        "Azure AI Engineer Associate",
        "Google Professional ML Engineer",
        "IBM AI Engineering Professional Certificate",
    }
    names = set(Skill.objects.values_list("name", flat=True))
    assert {
        "Python",
        "C++",
        "TensorFlow",
        "PyTorch",
        "scikit-learn",
        "AWS",
        "Azure",
        "Docker",
    } <= names
    assert {"Kubernetes", "CI/CD", "MLOps", "RAG", "Prompt engineering", "LLM integration"} <= names
    assert {"Data preprocessing", "Feature engineering", "A/B testing"} <= names


def test_first_run_reports_what_it_created(db):
    out = run_loader()
    assert "bands: 5 created, 0 unchanged, 0 differ" in out
    assert "tracks: 7 created, 0 unchanged, 0 differ" in out
    assert "market_figures: 21 created, 0 unchanged, 0 differ" in out


def test_second_run_changes_nothing(guide):
    before = snapshot()
    out = run_loader()
    assert snapshot() == before
    assert "bands: 0 created, 5 unchanged, 0 differ" in out
    assert "zones: 0 created, 4 unchanged, 0 differ" in out
    assert "Guide loaded: 0 rows created." in out
    assert "differ from the guide" not in out


def test_admin_edit_survives_a_rerun_and_is_reported(guide, comp_admin):
    ml = Track.objects.get(slug="ml-engineer")
    record_update(instance=ml, fields={"premium_default_pct": Decimal("8")}, actor=comp_admin)
    l3 = SalaryBand.objects.get(track__isnull=True, level__code="L3")
    band_revise(
        band=l3,
        base_min=Decimal("160000"),
        base_max=Decimal("240000"),
        open_ended_top=False,
        effective_from=datetime.date(2026, 7, 1),
        source=l3.source,
        change_note="Mid-year market check",
        actor=comp_admin,
    )
    before = snapshot()

    out = run_loader()

    assert snapshot() == before
    assert Track.objects.get(slug="ml-engineer").premium_default_pct == Decimal("8")
    current = SalaryBand.objects.get(
        track__isnull=True, level__code="L3", effective_to__isnull=True
    )
    assert (current.base_min, current.base_max) == (Decimal("160000"), Decimal("240000"))
    assert "tracks: 0 created, 6 unchanged, 1 differ" in out
    assert "bands: 0 created, 4 unchanged, 1 differ" in out
    assert "tracks ml-engineer: premium_default_pct: stored 8.00, guide 7.5" in out
    assert "bands ladder/L3: base_min: stored 160000.00, guide 155000" in out
    assert "bands ladder/L3: base_max: stored 240000.00, guide 230000" in out
    assert "bands ladder/L3: effective_from: stored 2026-07-01, guide 2026-01-01" in out


def test_deleted_row_is_recreated_but_edited_source_is_only_reported(guide):
    MarketFigure.objects.filter(key="remote-share").delete()
    Zone.objects.filter(slug="remote").update(source=Source.objects.get(publisher="Rise"))
    out = run_loader()
    assert MarketFigure.objects.get(key="remote-share").value_low == Decimal("85")
    assert Zone.objects.get(slug="remote").source.publisher == "Rise"
    assert "market_figures: 1 created, 20 unchanged, 0 differ" in out
    assert "zones remote: source: stored Rise, 2026, guide MRJ Recruitment, 2026" in out


def test_loader_records_its_change_reason_in_history(guide):
    record = Track.history.get(slug="ml-engineer")
    assert record.history_type == "+"
    assert record.history_change_reason == "Loaded from the career guide (load_guide)"
