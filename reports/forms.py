from __future__ import annotations

from django import forms

from core.widgets import LongSelect
from hiring.permissions import eligible_recruiters
from reports import permissions
from reports.kinds import Format, Kind
from roles.models import Level, Track, Zone


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Report")
    format = forms.ChoiceField(choices=Format.choices, initial=Format.XLSX)
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))
    track = forms.ModelChoiceField(Track.objects.order_by("display_order", "name"), required=False)
    level = forms.ModelChoiceField(Level.objects.all(), required=False)
    zone = forms.ModelChoiceField(Zone.objects.order_by("display_order", "name"), required=False)
    # Every requisition the user reports on: a thousand options at full volume.
    requisition = forms.ModelChoiceField(None, required=False, widget=LongSelect)
    recruiter = forms.ModelChoiceField(None, required=False)
    candidate = forms.IntegerField(
        required=False, min_value=1, label="Candidate id", help_text="For a candidate export."
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, Kind(k).label) for k in permissions.kinds_for(user)]
        self.fields["requisition"].queryset = permissions.requisitions_covered(user).order_by(
            "title", "id"
        )
        if permissions.may_see_recruiters(user):
            self.fields["recruiter"].queryset = eligible_recruiters()
        else:
            del self.fields["recruiter"]
        if Kind.CANDIDATE_EXPORT not in permissions.kinds_for(user):
            del self.fields["candidate"]

    def filters(self) -> dict:
        """The cleaned values as the service takes them: ids and ISO dates."""
        filters = {}
        for name, value in self.cleaned_data.items():
            if name in ("kind", "format") or value in (None, ""):
                continue
            filters[name] = getattr(value, "pk", None) or (
                value.isoformat() if hasattr(value, "isoformat") else value
            )
        return filters
