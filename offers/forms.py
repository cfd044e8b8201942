"""Forms for the offer pages: terms, an action's note, a decline's reason, the list filter.

Forms check shapes only (a number, a date); every rule (the band, the dates'
order, who may act) is the services', whose errors the views put next to the field.
The current base is never asked for (pay equity, salary-history bans).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone

from offers.models import DeclineReason
from offers.states import OfferStatus

#: Prefilled dates on a new offer: the candidate has a week to answer, and starts a month out.
ANSWER_WITHIN = datetime.timedelta(days=7)
START_AFTER = datetime.timedelta(days=30)
AMOUNT = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}
NOTE_MAX_LENGTH = 5000


class DateInput(forms.DateInput):
    input_type = "date"


class OfferTermsForm(forms.Form):
    base_salary = forms.DecimalField(
        label="Base salary",
        help_text="Prefilled with the recommended base.",
        **AMOUNT,
    )
    sign_on_bonus = forms.DecimalField(label="Sign-on bonus", initial=0, **AMOUNT)
    equity = forms.DecimalField(label="Equity (grant value)", initial=0, **AMOUNT)
    start_date = forms.DateField(label="Start date", widget=DateInput)
    expires_on = forms.DateField(
        label="Offer expires on", widget=DateInput, help_text="On or before the start date."
    )
    justification = forms.CharField(
        label="Justification",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the base is outside the adjusted band.",
    )

    @classmethod
    def initial_for(cls, *, base_salary, today: datetime.date | None = None) -> dict:
        today = today or timezone.localdate()
        return {
            "base_salary": base_salary,
            "sign_on_bonus": 0,
            "equity": 0,
            "start_date": today + START_AFTER,
            "expires_on": today + ANSWER_WITHIN,
        }


class OfferCreateForm(OfferTermsForm):
    application = forms.IntegerField(widget=forms.HiddenInput)


class ActionForm(forms.Form):
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeclineForm(ActionForm):
    reason = forms.ModelChoiceField(
        label="Reason",
        queryset=DeclineReason.objects.filter(is_active=True),
        to_field_name="code",
        empty_label="Choose a reason",
    )


class OfferFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *OfferStatus.choices], label="Status"
    )
    waiting = forms.BooleanField(required=False, label="Waiting for my approval")
