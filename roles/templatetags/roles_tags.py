"""Display helpers for role figures: percentages and market figures (money: ``core.money``)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from core.money import format_money
from roles.models import MarketFigure

register = template.Library()

DASH = "\u2013"


@register.filter
def pct(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value.normalize():f} %"


@register.filter
def pct_range(obj) -> str:
    """A track's or zone's premium range with the applied point, or "" when none."""
    low, high = obj.premium_low_pct, obj.premium_high_pct
    if low is None or high is None:
        return ""
    if low == high:
        return pct(low)
    return f"{low.normalize():f}{DASH}{high.normalize():f} %"


@register.filter
def figure_value(figure: MarketFigure) -> str:
    """A market figure the way the guide writes it, e.g. $120-$150+ an hour."""
    fmt = _FORMATS.get(figure.unit, lambda v: f"{v.normalize():f}")
    text = fmt(figure.value_low)
    if figure.value_high is not None:
        text += f"{DASH}{fmt(figure.value_high)}"
    text += "+" if figure.open_ended else ""
    return text + _SUFFIXES.get(figure.unit, "")


_FORMATS = {
    MarketFigure.Unit.USD: lambda v: format_money(v),
    MarketFigure.Unit.USD_PER_HOUR: lambda v: format_money(v),
    MarketFigure.Unit.COUNT: lambda v: f"{v:,.0f}",
}
_SUFFIXES = {
    MarketFigure.Unit.USD: " a year",
    MarketFigure.Unit.USD_PER_HOUR: " an hour",
    MarketFigure.Unit.PERCENT: " %",
    MarketFigure.Unit.PERCENT_CHANGE: " % growth",
    MarketFigure.Unit.SCORE_OF_10: " / 10",
}
