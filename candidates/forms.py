"""Forms: field-level input checks only. The services validate the rest."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from candidates.models import MAX_YEARS, Candidate, Document
from candidates.services import M2M_FIELDS, PROFILE_FIELDS
from core.errors import DomainError
from core.limits import DOCUMENT_MAX_MB
from roles.models import Certification, Skill, Zone


def _formfield(field, **kwargs):
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class CandidateForm(forms.ModelForm):
    tags = forms.CharField(
        required=False,
        help_text="Comma-separated, e.g. “llm, referral-2026”.",
    )
    confirm_duplicate = forms.BooleanField(
        required=False,
        label="Save anyway: I checked, this is a different person",
    )

    class Meta:
        model = Candidate
        formfield_callback = _formfield
        # Tags are kept by the import and the API; the form leaves them as they are.
        # The retain-until date moves with activity, and is extended with a reason on the
        # retention page (candidates.retention), never typed here.
        fields = [f for f in PROFILE_FIELDS if f not in ("tags", "retain_until")]
        widgets = {
            "skills": forms.CheckboxSelectMultiple,
            "certifications": forms.CheckboxSelectMultiple,
            "consent_at": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "full_name": "Full name",
            "years_experience": "Years of experience",
            "github_url": "GitHub",
            "kaggle_url": "Kaggle",
            "portfolio_url": "Portfolio",
            "expected_base": "Expected base",
            "current_base": "Current base",
            "pay_currency": "Currency of pay (ISO code)",
            "consent_at": "Consent date",
            "consent_version": "Consent text version",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(self.instance.tags or [])
        else:
            # A new candidate arrives with their résumé; later documents go on the profile.
            self.fields["resume"] = resume_field(required=False)
        # Range checks show next to their field even when another field is wrong.
        for name in ("years_experience", "expected_base", "current_base"):
            bounds = [
                v
                for v in Candidate._meta.get_field(name).validators
                if isinstance(v, MinValueValidator | MaxValueValidator)
            ]
            self.fields[name].validators.extend(bounds)
        self.fields["years_experience"].widget.attrs.update({"min": 0, "max": MAX_YEARS})
        # Empty means the default currency (the service fills it in).
        self.fields["pay_currency"].required = False
        self.fields["pay_currency"].widget.attrs.update({"size": 4, "autocapitalize": "characters"})
        self.fields["zone"].queryset = Zone.objects.order_by("display_order", "name")
        self.fields["skills"].queryset = Skill.objects.order_by("category", "name")
        self.fields["certifications"].queryset = Certification.objects.order_by("issuer", "name")

    def _post_clean(self):
        # Model validation, duplicates and constraints run once, in the service.
        pass

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        confirm = data.pop("confirm_duplicate", False)
        if not data.get("resume"):
            data.pop("resume", None)
        data["tags"] = data.get("tags") or ""
        for name in M2M_FIELDS:
            data[name] = list(data.get(name) or [])
        return {"confirm_duplicate": confirm, **data}

    def add_domain_error(self, error: DomainError) -> None:
        """Put the service's field errors next to their fields."""
        if error.code == "possible_duplicate":
            self.possible_duplicate = True
        for field, messages in (error.errors or {}).items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
        if not error.errors:
            self.add_error(None, error.message)


DOCUMENT_ACCEPT = (
    ".pdf,.docx,application/pdf,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)


def resume_field(*, required: bool) -> forms.FileField:
    """The résumé upload: PDF or DOCX within the document limit (the service checks content)."""
    return forms.FileField(
        label=f"Résumé (PDF or DOCX, at most {DOCUMENT_MAX_MB} MB)",
        required=required,
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
        error_messages={"required": "Attach your résumé (PDF or DOCX)."},
    )


class DocumentUploadForm(forms.Form):
    file = forms.FileField(
        label=f"Document (PDF or DOCX, at most {DOCUMENT_MAX_MB} MB)",
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_ACCEPT}),
    )
    kind = forms.ChoiceField(choices=Document.Kind.choices, initial=Document.Kind.RESUME)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file (UTF-8)", widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"})
    )
    confirm_duplicates = forms.BooleanField(
        required=False,
        label="Import possible duplicates anyway (same phone or very similar name and email)",
    )


class CandidateFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=200)
    zone = forms.ModelChoiceField(
        queryset=Zone.objects.order_by("display_order", "name"),
        to_field_name="slug",
        required=False,
        empty_label="Any zone",
    )
    source = forms.ChoiceField(
        choices=[("", "Any source"), *Candidate.SourceChannel.choices], required=False
    )
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="Any skill",
    )
    min_years = forms.DecimalField(
        required=False, min_value=Decimal("0"), max_value=MAX_YEARS, label="Min years"
    )
    max_years = forms.DecimalField(
        required=False, min_value=Decimal("0"), max_value=MAX_YEARS, label="Max years"
    )
    tag = forms.CharField(required=False, max_length=40)

    def filters(self) -> dict:
        self.is_valid()  # invalid fields are left out of cleaned_data, so ignored
        data = dict(self.cleaned_data)
        data["zone"] = data["zone"].slug if data.get("zone") else ""
        data["skill"] = data["skill"].slug if data.get("skill") else ""
        return data


class ErasureForm(forms.Form):
    typed_name = forms.CharField(
        label="Type the candidate's full name to confirm",
        max_length=200,
        error_messages={"required": "Type the candidate's full name to confirm."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class RetentionExtendForm(forms.Form):
    new_date = forms.DateField(
        label="Keep until",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the new retain-until date.", "invalid": "Give a date."},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        error_messages={"required": "Give a reason for keeping the data longer."},
    )

    def add_domain_error(self, error: DomainError) -> None:
        for field, problems in (error.errors or {None: [error.message]}).items():
            for problem in problems:
                self.add_error(field if field in self.fields else None, problem)
