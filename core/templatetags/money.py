"""``{% load money %}``: the one money format (``core.money``) for templates."""

from __future__ import annotations

from decimal import Decimal

from django import template

from core.money import DEFAULT_CURRENCY, format_money, format_range

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str = DEFAULT_CURRENCY) -> str:
    return format_money(amount, currency or DEFAULT_CURRENCY)


@register.simple_tag
def money_range(
    low: Decimal | None, high: Decimal | None, open_top: bool = False, currency: str = ""
) -> str:
    return format_range(low, high, currency or DEFAULT_CURRENCY, open_top=bool(open_top))
