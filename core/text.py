"""Cleaning what people type where others will read it."""

from __future__ import annotations

import unicodedata

# Control (Cc) and format (Cf) characters: the bidirectional overrides and isolates
# (U+202A-U+202E, U+2066-U+2069) that make a name display as something else, zero-width
# spaces and joiners, the byte-order mark, soft hyphens. Surrogates and private use too.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co"}


def clean_name(value: str) -> str:
    """A person's name as it may be shown: invisible characters removed, spaces collapsed.

    Line breaks and tabs become spaces first (they are whitespace, not part of a word).
    """
    spaced = " ".join((value or "").split())
    visible = "".join(c for c in spaced if unicodedata.category(c) not in INVISIBLE_CATEGORIES)
    return " ".join(visible.split())
