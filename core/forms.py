"""Forms of the core pages: the access log's filters."""

from __future__ import annotations

from django import forms

from core.models import AccessEvent

OBJECT_TYPES = [("", "Any"), ("candidate", "Candidate"), ("report", "Report")]


class AccessLogFilterForm(forms.Form):
    actor = forms.CharField(label="Who (username)", required=False, max_length=150)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any"), *AccessEvent.Action.choices]
    )
    object_type = forms.ChoiceField(label="Object", required=False, choices=OBJECT_TYPES)
    object_id = forms.CharField(label="Object id", required=False, max_length=64)
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        if data.get("object_id") and not data.get("object_type"):
            self.add_error("object_type", "Choose the kind of object the id belongs to.")
        return data

    def filters(self) -> dict:
        """The cleaned filters, without the page cursor."""
        return {k: v for k, v in self.cleaned_data.items() if k != "before" and v}
