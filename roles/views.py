"""The "Levels & bands" page: the guide's ladder for a track and a zone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import pay
from roles.models import Level, MarketFigure, Track, Zone
from roles.selectors import LadderRow, ladder_rows

DEFAULT_ZONE = "national"


@login_required
@require_GET
def levels(request):
    """Every signed-in user; pay only as the pay policy allows (levels and years for all).

    A fixed number of queries whatever the row counts.
    """
    sees_pay = pay.sees_role_pay(request.user)
    tracks = list(Track.objects.select_related("premium_source"))
    zones = list(Zone.objects.select_related("source"))
    track = _pick(tracks, request.GET.get("track"), default=_base_track(tracks))
    zone = _pick(zones, request.GET.get("zone"), default=_default_zone(zones))
    errors = _unknown(request.GET, track=(tracks, track), zone=(zones, zone))
    figures = MarketFigure.objects.select_related("source")
    if not sees_pay:
        figures = figures.exclude(unit__in=MarketFigure.MONEY_UNITS)
    context = {
        "sees_pay": sees_pay,
        "form_errors": errors,
        "tracks": tracks,
        "zones": zones,
        "track": track,
        "zone": zone,
        "rows": _rows(track, zone, sees_pay),
        "figures": figures,
    }
    return render(request, "roles/levels.html", context)


def _rows(track, zone, sees_pay: bool) -> list:
    if track is None:
        return []
    if sees_pay:
        return ladder_rows(track=track, zone=zone)
    levels = Level.objects.prefetch_related("expected_certifications")
    return [LadderRow(level=level, priced=None) for level in levels]


def _pick(items, slug, *, default):
    if slug:
        for item in items:
            if item.slug == slug:
                return item
    return default


def _unknown(params, **selected) -> dict[str, str]:
    """Inline errors for a slug that names nothing (the page falls back to the default)."""
    errors = {}
    for name, (items, _chosen) in selected.items():
        value = params.get(name)
        if value and all(item.slug != value for item in items):
            errors[name] = f"Unknown {name} '{value}': showing the default instead."
    return errors


def _base_track(tracks):
    return next((t for t in tracks if t.is_base_ladder), tracks[0] if tracks else None)


def _default_zone(zones):
    return next((z for z in zones if z.slug == DEFAULT_ZONE), zones[0] if zones else None)
