"""Forms for scheduling interviews and submitting scorecards.

Forms only shape input; the services decide. Errors the services raise are put
back on the form's fields by the views, so every message shows inline.
"""

from __future__ import annotations

from django import forms

from hiring.models import COMPETENCIES, Scorecard
from hiring.selectors.interviews import panel_candidates, user_label

RATING_CHOICES = [
    (1, "1 · Below the bar"),
    (2, "2 · Mixed"),
    (3, "3 · Meets the bar"),
    (4, "4 · Strong"),
]


class AccessibleErrorsMixin:
    """Marks invalid widgets with aria-invalid and points them at their error text."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.mark_invalid(name)

    def mark_invalid(self, name: str) -> None:
        attrs = self.fields[name].widget.attrs
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{self[name].auto_id}_error"

    def add_service_errors(self, errors: dict[str, list[str]], message: str) -> None:
        """Put a service's field errors on the matching fields, the rest on the form."""
        placed = False
        for name, messages in errors.items():
            for text in messages:
                self.add_error(name if name in self.fields else None, text)
                placed = True
            if name in self.fields:
                self.mark_invalid(name)
        if not placed:
            self.add_error(None, message)


class PanelChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return user_label(obj)


class InterviewForm(AccessibleErrorsMixin, forms.Form):
    round_name = forms.CharField(
        label="Round",
        max_length=120,
        help_text="For example “Technical screen” or “System design”.",
    )
    interviewers = PanelChoiceField(
        queryset=panel_candidates(),
        widget=forms.CheckboxSelectMultiple,
        help_text="People in the Interviewers, Hiring managers or Recruiters group.",
        error_messages={"required": "Choose at least one interviewer."},
    )
    starts_at = forms.DateTimeField(
        label="Starts at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        help_text="Local time of this site.",
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)",
        min_value=5,
        max_value=480,
        initial=60,
        error_messages={
            "min_value": "Length must be at least 5 minutes.",
            "max_value": "Length must be at most 480 minutes (8 hours).",
        },
    )
    location = forms.CharField(
        label="Place or link", max_length=300, required=False, help_text="Room or video link."
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Fresh queryset per form: group membership changes between requests.
        self.fields["interviewers"].queryset = panel_candidates()


class ScorecardForm(AccessibleErrorsMixin, forms.Form):
    recommendation = forms.ChoiceField(
        label="Overall recommendation",
        choices=Scorecard.Recommendation.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose an overall recommendation.",
            "invalid_choice": "Choose one of strong no, no, yes, strong yes.",
        },
    )
    comments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="Evidence for your ratings: what the candidate said and did.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        rating_fields = {
            name: forms.TypedChoiceField(
                label=Scorecard._meta.get_field(name).verbose_name.capitalize(),
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Rate this work area from 1 to 4.",
                    "invalid_choice": "Rate this work area from 1 to 4.",
                },
            )
            for name in COMPETENCIES
        }
        self.fields = {**rating_fields, **self.fields}

    def ratings(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in COMPETENCIES}
