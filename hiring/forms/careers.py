"""The public application form: name, email, years, résumé, consent, and a honeypot."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from candidates.forms import resume_field
from candidates.models import MAX_YEARS
from hiring.forms.interviews import AccessibleErrorsMixin
from hiring.services.careers import CONSENT_VERSION


class CareersApplicationForm(AccessibleErrorsMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Give your full name."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email",
        max_length=254,
        error_messages={"required": "Give your email.", "invalid": "Give a valid email."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    years_experience = forms.DecimalField(
        label="Years of professional experience",
        min_value=Decimal("0"),
        max_value=MAX_YEARS,
        decimal_places=1,
        error_messages={
            "required": "Give your years of experience (0 if none).",
            "min_value": "Years of experience cannot be negative.",
            "max_value": f"Years of experience must be at most {MAX_YEARS}.",
        },
    )
    resume = resume_field(required=True)
    consent = forms.BooleanField(
        label="I agree to the consent text above",
        error_messages={"required": "Tick the consent box to apply."},
    )
    consent_version = forms.CharField(widget=forms.HiddenInput, initial=CONSENT_VERSION)
    # The honeypot: hidden from people (careers.css), left empty by them; bots fill it.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "full_name": data["full_name"].strip(),
            "email": data["email"].strip(),
            "years_experience": data["years_experience"],
            "resume": data["resume"],
            "consent_version": data["consent_version"],
        }
