"""The seed file quotes the guide: every evidence string is verbatim, every number is in it."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from roles.loader import read_guide_data

REPO_ROOT = Path(__file__).resolve().parents[2]
GUIDE_NAME = "ai-engineer-career-guide-2026.txt"
DATA = read_guide_data()
ENTRIES = [
    (kind, entry)
    for kind in ("tracks", "levels", "bands", "zones", "market_figures", "skills", "certifications")
    for entry in DATA[kind]
]
NUMBER_FIELDS = {
    "tracks": ["premium_low_pct", "premium_high_pct"],
    "levels": ["max_years"],
    "bands": ["base_min", "base_max"],
    "zones": ["premium_low_pct", "premium_high_pct"],
    "market_figures": ["value_low", "value_high"],
}


def _entry_id(item) -> str:
    kind, entry = item
    return f"{kind}:{entry.get('slug') or entry.get('key') or entry.get('code') or entry['level']}"


@pytest.fixture(scope="module")
def guide_text() -> str:
    path = Path(os.environ.get("GUIDE_PATH") or REPO_ROOT.parent / "shared" / "guide" / GUIDE_NAME)
    if not path.is_file():
        message = f"The career guide text is needed to check the seed data: {path} not found"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("item", ENTRIES, ids=_entry_id)
def test_evidence_is_quoted_verbatim_from_the_guide(item, guide_text):
    _kind, entry = item
    assert entry["evidence"].strip()
    assert entry["evidence"] in guide_text
    if "source_evidence" in entry:
        assert entry["source_evidence"] in guide_text


@pytest.mark.parametrize("item", [i for i in ENTRIES if i[0] in NUMBER_FIELDS], ids=_entry_id)
def test_every_seeded_number_appears_in_its_evidence(item):
    kind, entry = item
    for name in NUMBER_FIELDS[kind]:
        value = entry[name]
        if value is None or Decimal(value) == 0:
            continue  # 0 % is the guide's "anchored to the national median", not a printed number
        number = Decimal(value)
        spellings = (
            {f"{number:,.0f}", f"{number:.0f}"}
            if number == number.to_integral()
            else {f"{number.normalize():f}"}
        )
        assert any(s in entry["evidence"] for s in spellings), (name, value, entry["evidence"])


def test_every_figure_names_a_source():
    for kind, entry in ENTRIES:
        source = entry.get("source", entry.get("premium_source"))
        if kind == "tracks" and entry["premium_low_pct"] is None:
            assert source is None  # no premium, so nothing to cite
            continue
        assert source["publisher"], (kind, entry)
        assert "detail" in source and "year" in source


def test_uncited_guide_sentences_are_attributed_to_the_guide_publisher():
    zones = {z["slug"]: z for z in DATA["zones"]}
    for slug in ("san-francisco", "new-york"):
        assert zones[slug]["source"]["publisher"] == "Acceler8 Talent"
        assert "names no other publisher" in zones[slug]["source"]["detail"]
        assert zones[slug]["premium_default_pct"] == "35"
        assert "product's choice" in zones[slug]["premium_default_note"]
