"""Request parsers for the API (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``).

DRF's JSON parser turns malformed JSON into a 400 but lets ``RecursionError``
through: ``[`` repeated 100,000 times was a 500. Input nested deeper than any
of our payloads (flat objects, lists of strings) is refused here, before a
serializer, a renderer or ``json.dumps`` on save could recurse on it.
"""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError

#: Deepest nesting of arrays and objects accepted; our payloads use 2 levels.
MAX_JSON_DEPTH = 32


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; too deeply nested input is a ``ParseError`` (400), never a 500."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_too_deep()) from None
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(_too_deep())
        return data


def _too_deep() -> str:
    return f"JSON parse error - nested more than {MAX_JSON_DEPTH} levels deep."


def _depth_exceeds(data, limit: int) -> bool:
    """True if arrays and objects nest more than ``limit`` levels (no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
