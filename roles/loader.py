"""Load the career guide's role data (roles/data/guide_2026.json) into the database.

The loader only ever creates rows that are missing. A stored row that differs
from the guide was edited by an admin later, so it is kept and the differences
are reported field by field: the guide never overwrites an admin's decision.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models, transaction

from roles.models import Certification, Level, MarketFigure, SalaryBand, Skill, Source, Track, Zone

DATA_FILE = Path(__file__).resolve().parent / "data" / "guide_2026.json"
CHANGE_REASON = "Loaded from the career guide (load_guide)"
KINDS = ("certifications", "skills", "tracks", "levels", "zones", "bands", "market_figures")


@dataclass(frozen=True)
class Difference:
    kind: str
    key: str
    field: str
    stored: Any
    guide: Any

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.field}: stored {self.stored!s}, guide {self.guide!s}"


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    differs: Counter = field(default_factory=Counter)
    differences: list[Difference] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        return [
            f"{kind}: {self.created[kind]} created, {self.unchanged[kind]} unchanged, "
            f"{self.differs[kind]} differ"
            for kind in KINDS
        ]


def read_guide_data(path: Path | None = None) -> dict:
    with open(path or DATA_FILE, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def guide_load(*, data: dict | None = None) -> LoadReport:
    """Create what is missing; report, never overwrite, what an admin changed."""
    data = data if data is not None else read_guide_data()
    report = LoadReport()
    for entry in data["certifications"]:
        _sync(
            report,
            "certifications",
            Certification,
            {"slug": entry["slug"]},
            entry,
            ["name", "issuer", "is_cloud_platform"],
        )
    for entry in data["skills"]:
        _sync(report, "skills", Skill, {"slug": entry["slug"]}, entry, ["name", "category"])
    for entry in data["tracks"]:
        _sync(
            report,
            "tracks",
            Track,
            {"slug": entry["slug"]},
            entry,
            [
                "name",
                "description",
                "is_base_ladder",
                "display_order",
                "premium_low_pct",
                "premium_high_pct",
                "premium_default_pct",
                "premium_default_note",
            ],
            source_field="premium_source",
        )
    for entry in data["levels"]:
        _sync(
            report,
            "levels",
            Level,
            {"code": entry["code"]},
            entry,
            ["title", "min_years", "max_years", "summary"],
            m2m={"expected_certifications": entry["expected_certifications"]},
        )
    for entry in data["zones"]:
        _sync(
            report,
            "zones",
            Zone,
            {"slug": entry["slug"]},
            entry,
            [
                "name",
                "guide_label",
                "cities",
                "display_order",
                "premium_low_pct",
                "premium_high_pct",
                "premium_default_pct",
                "premium_default_note",
                "is_remote",
                "salary_history_ban",
                "description",
            ],
        )
    for entry in data["bands"]:
        _sync_band(report, entry)
    for entry in data["market_figures"]:
        _sync(
            report,
            "market_figures",
            MarketFigure,
            {"key": entry["key"]},
            entry,
            [
                "label",
                "category",
                "value_low",
                "value_high",
                "open_ended",
                "unit",
                "period",
                "note",
                "display_order",
            ],
        )
    return report


def _sync(report, kind, model, lookup, entry, fields, *, source_field="source", m2m=None) -> None:
    key = "/".join(str(v) for v in lookup.values())
    stored = model.objects.filter(**lookup).select_related(source_field).first()
    if stored is None:
        values = {name: _to_python(model, name, entry[name]) for name in fields}
        instance = model(**lookup, **values)
        setattr(instance, source_field, _source(entry[source_field]))
        _save_new(instance)
        for name, slugs in (m2m or {}).items():
            getattr(instance, name).set(Certification.objects.filter(slug__in=slugs))
        report.created[kind] += 1
        return
    diffs = [
        Difference(kind, key, name, getattr(stored, name), _to_python(model, name, entry[name]))
        for name in fields
        if not _same(getattr(stored, name), _to_python(model, name, entry[name]))
    ]
    diffs += _source_diff(
        kind, key, source_field, getattr(stored, source_field), entry[source_field]
    )
    for name, slugs in (m2m or {}).items():
        have = sorted(getattr(stored, name).values_list("slug", flat=True))
        if have != sorted(slugs):
            diffs.append(Difference(kind, key, name, ", ".join(have), ", ".join(sorted(slugs))))
    _count(report, kind, diffs)


def _sync_band(report: LoadReport, entry: dict) -> None:
    """A band is created only when its track and level have no version at all."""
    track = Track.objects.get(slug=entry["track"]) if entry["track"] else None
    level = Level.objects.get(code=entry["level"])
    key = f"{entry['track'] or 'ladder'}/{entry['level']}"
    versions = SalaryBand.objects.filter(track=track, level=level).select_related("source")
    current = versions.order_by("-effective_from").first()
    fields = ["currency", "base_min", "base_max", "open_ended_top", "effective_from"]
    if current is None:
        values = {name: _to_python(SalaryBand, name, entry[name]) for name in fields}
        band = SalaryBand(track=track, level=level, source=_source(entry["source"]), **values)
        band.change_note = CHANGE_REASON
        _save_new(band)
        report.created["bands"] += 1
        return
    diffs = [
        Difference(
            "bands", key, name, getattr(current, name), _to_python(SalaryBand, name, entry[name])
        )
        for name in fields
        if not _same(getattr(current, name), _to_python(SalaryBand, name, entry[name]))
    ]
    diffs += _source_diff("bands", key, "source", current.source, entry["source"])
    _count(report, "bands", diffs)


def _count(report: LoadReport, kind: str, diffs: list[Difference]) -> None:
    if diffs:
        report.differs[kind] += 1
        report.differences.extend(diffs)
    else:
        report.unchanged[kind] += 1


def _save_new(instance: models.Model) -> None:
    instance._change_reason = CHANGE_REASON
    # Field checks catch a bad seed file early; the database enforces the constraints.
    instance.full_clean(validate_constraints=False)
    instance.save()


def _source(spec: dict | None) -> Source | None:
    if spec is None:
        return None
    source, _ = Source.objects.get_or_create(
        publisher=spec["publisher"], year=spec["year"], detail=spec["detail"]
    )
    return source


def _source_diff(kind, key, name, stored: Source | None, spec: dict | None) -> list[Difference]:
    have = None if stored is None else (stored.publisher, stored.year, stored.detail)
    want = None if spec is None else (spec["publisher"], spec["year"], spec["detail"])
    if have == want:
        return []
    return [Difference(kind, key, name, stored, _source_label(spec))]


def _source_label(spec: dict | None) -> str | None:
    if spec is None:
        return None
    return str(Source(publisher=spec["publisher"], year=spec["year"], detail=spec["detail"]))


def _to_python(model, name: str, value: Any) -> Any:
    if value is None:
        return None
    field_ = model._meta.get_field(name)
    if isinstance(field_, models.DecimalField):
        return Decimal(str(value))
    if isinstance(field_, models.DateField):
        return datetime.date.fromisoformat(value)
    return value


def _same(stored: Any, guide: Any) -> bool:
    if isinstance(stored, Decimal) and isinstance(guide, Decimal):
        return stored.compare(guide) == 0
    return stored == guide
