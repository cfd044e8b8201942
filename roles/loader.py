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
from simple_history.utils import bulk_create_with_history

from roles import snapshot
from roles.models import Certification, Level, MarketFigure, SalaryBand, Skill, Source, Track, Zone

DATA_FILE = Path(__file__).resolve().parent / "data" / "guide_2026.json"
CHANGE_REASON = "Loaded from the career guide (load_guide)"
KINDS = ("certifications", "skills", "tracks", "levels", "zones", "market_figures", "bands")


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
    """Create what is missing; report, never overwrite, what an admin changed.

    A few queries per kind (existing rows are read in one query, new rows are
    bulk-created with their history), so tests and ``make run`` stay fast.
    """
    data = data if data is not None else read_guide_data()
    loader = _Loader()
    for kind, model, key, fields, source_field in SPECS:
        loader.sync(kind, model, key, data[kind], fields, source_field)
    loader.sync_bands(data["bands"])
    snapshot.bump()  # bulk inserts send no model signals
    return loader.report


SPECS = [
    ("certifications", Certification, "slug", ["name", "issuer", "is_cloud_platform"], "source"),
    ("skills", Skill, "slug", ["name", "category"], "source"),
    (
        "tracks",
        Track,
        "slug",
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
        "premium_source",
    ),
    ("levels", Level, "code", ["title", "min_years", "max_years", "summary"], "source"),
    (
        "zones",
        Zone,
        "slug",
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
        "source",
    ),
    (
        "market_figures",
        MarketFigure,
        "key",
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
        "source",
    ),
]
BAND_FIELDS = ["currency", "base_min", "base_max", "open_ended_top", "effective_from"]


class _Loader:
    def __init__(self) -> None:
        self.report = LoadReport()
        self.sources = {(s.publisher, s.year, s.detail): s for s in Source.objects.all()}

    def sync(self, kind, model, key, entries, fields, source_field) -> None:
        stored = {getattr(obj, key): obj for obj in model.objects.select_related(source_field)}
        m2m = "expected_certifications" if model is Level else None
        if m2m:
            links = model.expected_certifications.through.objects.values_list(
                "level__code", "certification__slug"
            )
            have: dict[str, list[str]] = {}
            for code, slug in links:
                have.setdefault(code, []).append(slug)
        new = []
        for entry in entries:
            obj = stored.get(entry[key])
            if obj is None:
                values = {name: _to_python(model, name, entry[name]) for name in fields}
                new.append(
                    model(
                        **{key: entry[key]},
                        **values,
                        **{source_field: self.source(entry[source_field])},
                    )
                )
                continue
            diffs = _field_diffs(kind, entry[key], obj, entry, fields)
            diffs += _source_diff(
                kind, entry[key], source_field, getattr(obj, source_field), entry[source_field]
            )
            if m2m and sorted(have.get(obj.code, [])) != sorted(entry[m2m]):
                diffs.append(
                    Difference(
                        kind,
                        entry[key],
                        m2m,
                        ", ".join(sorted(have.get(obj.code, []))),
                        ", ".join(sorted(entry[m2m])),
                    )
                )
            self._count(kind, diffs)
        self._create(kind, model, new)
        if m2m and new:
            wanted = {e[key]: e[m2m] for e in entries}
            certs = {c.slug: c for c in Certification.objects.all()}
            model.expected_certifications.through.objects.bulk_create(
                model.expected_certifications.through(level=obj, certification=certs[slug])
                for obj in new
                for slug in wanted[obj.code]
            )

    def sync_bands(self, entries) -> None:
        """A band is created only when its track and level have no version at all."""
        tracks = {t.slug: t for t in Track.objects.all()}
        levels = {lv.code: lv for lv in Level.objects.all()}
        latest: dict[tuple, SalaryBand] = {}
        for band in SalaryBand.objects.select_related("source").order_by("effective_from"):
            latest[(band.track_id, band.level_id)] = band
        new = []
        for entry in entries:
            track = tracks[entry["track"]] if entry["track"] else None
            level = levels[entry["level"]]
            current = latest.get((track.pk if track else None, level.pk))
            key = f"{entry['track'] or 'ladder'}/{entry['level']}"
            if current is None:
                values = {name: _to_python(SalaryBand, name, entry[name]) for name in BAND_FIELDS}
                source = self.source(entry["source"])
                new.append(
                    SalaryBand(
                        track=track, level=level, source=source, change_note=CHANGE_REASON, **values
                    )
                )
                continue
            diffs = _field_diffs("bands", key, current, entry, BAND_FIELDS)
            diffs += _source_diff("bands", key, "source", current.source, entry["source"])
            self._count("bands", diffs)
        self._create("bands", SalaryBand, new)

    def source(self, spec: dict | None) -> Source | None:
        if spec is None:
            return None
        key = (spec["publisher"], spec["year"], spec["detail"])
        if key not in self.sources:
            source = Source(publisher=key[0], year=key[1], detail=key[2])
            source._change_reason = CHANGE_REASON
            source.full_clean(validate_unique=False, validate_constraints=False)
            source.save()
            self.sources[key] = source
        return self.sources[key]

    def _create(self, kind: str, model, objs: list) -> None:
        for obj in objs:
            # Field checks catch a bad seed file early; the database enforces the rest.
            obj.full_clean(validate_unique=False, validate_constraints=False)
        if objs:
            bulk_create_with_history(objs, model, default_change_reason=CHANGE_REASON)
        self.report.created[kind] += len(objs)

    def _count(self, kind: str, diffs: list[Difference]) -> None:
        if diffs:
            self.report.differs[kind] += 1
            self.report.differences.extend(diffs)
        else:
            self.report.unchanged[kind] += 1


def _field_diffs(kind, key, obj, entry, fields) -> list[Difference]:
    model = type(obj)
    return [
        Difference(kind, key, name, getattr(obj, name), _to_python(model, name, entry[name]))
        for name in fields
        if not _same(getattr(obj, name), _to_python(model, name, entry[name]))
    ]


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
