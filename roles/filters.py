"""Query-string filters for band versions, with errors that name the field.

An unknown track, level or zone is a client mistake: it answers 400 naming the
parameter, never an empty list that looks like "no bands".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from roles.models import Level, Track, Zone

LADDER = "ladder"


@dataclass(frozen=True)
class BandFilters:
    track_given: bool = False
    track: Track | None = None  # None with track_given: the shared ladder
    level: Level | None = None
    zone: Zone | None = None
    as_of: datetime.date | None = None


def parse_band_filters(params) -> BandFilters:
    errors: dict[str, list[str]] = {}
    track_given = "track" in params
    track = _lookup(params, "track", Track, "slug", errors, ladder_ok=True)
    level = _lookup(params, "level", Level, "code", errors)
    zone = _lookup(params, "zone", Zone, "slug", errors)
    as_of = None
    if params.get("as_of"):
        try:
            as_of = datetime.date.fromisoformat(params["as_of"])
        except ValueError:
            errors["as_of"] = [f"'{params['as_of']}' is not a date; use YYYY-MM-DD."]
    if errors:
        raise ValidationError(errors)
    return BandFilters(track_given=track_given, track=track, level=level, zone=zone, as_of=as_of)


def _lookup(params, name, model, field, errors, *, ladder_ok=False):
    value = params.get(name, "").strip()
    if not value or (ladder_ok and value == LADDER):
        return None
    found = model.objects.filter(**{field: value}).first()
    if found is None:
        known = ", ".join(model.objects.values_list(field, flat=True))
        hint = f"'{LADDER}', " if ladder_ok else ""
        errors[name] = [f"Unknown {name} '{value}'. Use one of: {hint}{known}."]
    return found


BAND_FILTER_PARAMETERS = [
    OpenApiParameter(
        "track",
        OpenApiTypes.STR,
        description=(
            "Track slug: the bands that price this track (its own, else the ladder's). "
            "'ladder' or empty: the shared ladder only."
        ),
    ),
    OpenApiParameter("level", OpenApiTypes.STR, description="Level code, e.g. L3."),
    OpenApiParameter(
        "zone",
        OpenApiTypes.STR,
        description="Zone slug. With `track`, each band carries `adjusted` for both premiums.",
    ),
    OpenApiParameter(
        "as_of",
        OpenApiTypes.DATE,
        description="Only the versions in effect on this date (YYYY-MM-DD).",
    ),
]
