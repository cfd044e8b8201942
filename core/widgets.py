"""Form widgets for long lists.

Django renders a ``<select>`` through a template per option: about 0.2 ms an option, so a
list of 1,000 requisitions cost the reports page 200 ms of its 300 (make bench; see
docs/performance.md). ``LongSelect`` writes the same HTML in Python.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class LongSelect(forms.Select):
    """A single ``<select>`` written without a template per option, for long flat lists.

    Same markup as Django's ``Select`` (name, attributes, ``selected``); a list with groups
    falls back to Django's rendering.
    """

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, (list, tuple)) for _, label in choices):
            return super().render(name, value, attrs, renderer)
        chosen = set(self.format_value(value))
        options = "".join(
            _option(str(key) if key is not None else "", label, chosen) for key, label in choices
        )
        final = self.build_attrs(self.attrs, attrs)
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(final), mark_safe(options)
        )


def _option(key: str, label, chosen: set[str]) -> str:
    selected = mark_safe(" selected") if key in chosen else ""
    return format_html('<option value="{}"{}>{}</option>', key, selected, label)
