"""Money: one currency rule and one formatter for every page, job description and export.

Amounts are ``Decimal`` and always travel with an ISO 4217 currency code. Whole
currency units are shown (bands and offers are quoted in whole dollars), with
the currency's symbol where it has a common one, else its code: ``$160,000``,
``€95,000``, ``CHF 120,000``.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

DEFAULT_CURRENCY = "USD"
ISO_CODE = re.compile(r"^[A-Z]{3}$")
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
DASH = "\u2013"


def is_currency_code(value: object) -> bool:
    """A three-letter upper-case ISO 4217 code such as USD."""
    return isinstance(value, str) and bool(ISO_CODE.match(value))


def format_money(amount: Decimal | int | None, currency: str = DEFAULT_CURRENCY) -> str:
    """``160000, "USD"`` → ``$160,000``; ``None`` → ``""``. Rounded half up to whole units."""
    if amount is None:
        return ""
    whole = Decimal(amount).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    sign = "-" if whole < 0 else ""
    digits = f"{abs(whole):,.0f}"
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{digits}" if symbol else f"{sign}{currency} {digits}"


def format_range(
    low: Decimal | None,
    high: Decimal | None,
    currency: str = DEFAULT_CURRENCY,
    *,
    open_top: bool = False,
) -> str:
    """``$120,000-$160,000`` (en dash; ``+`` on an open top); ``""`` if a bound is missing."""
    if low is None or high is None:
        return ""
    top = "+" if open_top else ""
    return f"{format_money(low, currency)}{DASH}{format_money(high, currency)}{top}"
