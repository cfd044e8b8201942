"""Forms for the pipeline pages. They validate shape only; the services own the rules."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy

from candidates.models import Candidate
from hiring import permissions
from hiring.models import DispositionReason, Requisition, Stage
from hiring.rules import STATUS_TRANSITIONS
from roles.models import Level, Track, Zone

User = get_user_model()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class RequisitionForm(forms.Form):
    title = forms.CharField(max_length=200)
    track = forms.ModelChoiceField(queryset=Track.objects.all())
    level = forms.ModelChoiceField(queryset=Level.objects.all())
    zone = forms.ModelChoiceField(queryset=Zone.objects.all(), label="Pay zone")
    remote_policy = forms.ChoiceField(choices=Requisition.RemotePolicy.choices)
    headcount = forms.IntegerField(min_value=1, max_value=500, initial=1)
    hiring_manager = UserChoiceField(queryset=User.objects.none())
    recruiter = UserChoiceField(queryset=User.objects.none(), required=False)
    target_on = forms.DateField(
        required=False, label="Target date", widget=forms.DateInput(attrs={"type": "date"})
    )
    posted_min = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        label="Posted minimum",
        help_text="Empty: the bottom of the band. You may narrow the band, never widen it.",
    )
    posted_max = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        label="Posted maximum",
        help_text="Empty: the top of the band.",
    )
    status = forms.ChoiceField(choices=Requisition.Status.choices)

    def __init__(self, *args, user, requisition: Requisition | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.manages = permissions.can_manage_requisitions(user)
        # The same people the service accepts (fresh per form: groups change).
        self.fields["hiring_manager"].queryset = permissions.eligible_hiring_managers()
        self.fields["recruiter"].queryset = permissions.eligible_recruiters()
        current = requisition.status if requisition else Requisition.Status.DRAFT
        if requisition is None:
            allowed = [Requisition.Status.DRAFT, Requisition.Status.OPEN]
        else:
            allowed = [current, *STATUS_TRANSITIONS.get(current, ())]
        if not self.manages:
            # Hiring managers draft for themselves; a recruiter opens.
            allowed = [current]
            del self.fields["hiring_manager"]
        self.fields["status"].choices = [
            (value, label) for value, label in Requisition.Status.choices if value in allowed
        ]
        self.fields["status"].initial = current

    def clean(self):
        data = super().clean()
        low, high = data.get("posted_min"), data.get("posted_max")
        if low is not None and high is not None and low > high:
            self.add_error("posted_min", "Posted minimum must not exceed posted maximum.")
        return data


class RequisitionFilterForm(forms.Form):
    q = forms.CharField(required=False, label="Search")
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *Requisition.Status.choices]
    )
    track = forms.ChoiceField(required=False)
    level = forms.ChoiceField(required=False)
    zone = forms.ChoiceField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [
            ("", "Any track"),
            *list(Track.objects.values_list("slug", "name")),
        ]
        self.fields["level"].choices = [("", "Any level")] + [
            (code, code) for code in Level.objects.values_list("code", flat=True)
        ]
        self.fields["zone"].choices = [
            ("", "Any zone"),
            *list(Zone.objects.values_list("slug", "name")),
        ]


class BoardFilterForm(forms.Form):
    """The board's filters; an unknown value is ignored rather than refused (it is a view)."""

    text = forms.CharField(required=False, label="Name or email", max_length=200)
    stage = forms.ChoiceField(required=False, choices=[("", "All stages"), *Stage.choices])
    fit = forms.ChoiceField(
        required=False,
        label="Level fit",
        choices=[("", "Any fit"), ("fits", "Fits the level"), ("warns", "With a warning")],
    )
    source = forms.ChoiceField(
        required=False, choices=[("", "Any source"), *Candidate.SourceChannel.choices]
    )


class CardsField(forms.Field):
    """Selected board cards, each ``<application id>:<stage the mover saw>``."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"required": "Select at least one card."}

    def to_python(self, value) -> list[tuple[int, str]]:
        pairs = []
        for item in value or []:
            pk, _, stage = str(item).partition(":")
            if not pk.isdigit() or stage not in Stage.values:
                raise forms.ValidationError(f"Unknown card '{item}'.")
            pairs.append((int(pk), stage))
        return pairs


class BulkMoveForm(forms.Form):
    """Several cards to one stage: forward, or rejected with one reason."""

    cards = CardsField(label="Cards")
    to_stage = forms.ChoiceField(label="Move selected to", choices=())
    reason = forms.ChoiceField(label="Reason", required=False)

    def __init__(self, *args, targets=(), reasons=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(s, Stage(s).label) for s in targets]
        self.fields["reason"].choices = [("", "Reason (to reject)"), *reasons]


class ApplicationCreateForm(forms.Form):
    candidate_email = forms.EmailField(
        label="Candidate email",
        help_text="The email of an existing candidate: type a name or an email for suggestions.",
        # static/js/candidate-suggest.js fills suggestions from the candidates API.
        widget=forms.EmailInput(
            attrs={"data-suggest-url": reverse_lazy("candidate-suggest"), "autocomplete": "off"}
        ),
    )
    stage = forms.ChoiceField(
        choices=[(Stage.APPLIED, "Applied"), (Stage.SOURCED, "Sourced")], initial=Stage.APPLIED
    )

    def clean_candidate_email(self) -> Candidate:
        email = self.cleaned_data["candidate_email"]
        candidate = Candidate.objects.filter(email__iexact=email).first()
        if candidate is None:
            raise forms.ValidationError("No candidate with this email. Add the candidate first.")
        return candidate


class MoveForm(forms.Form):
    to_stage = forms.ChoiceField(
        label="Move to",
        choices=Stage.choices,
        error_messages={
            "invalid_choice": "Unknown stage %(value)s. Valid stages: "
            + ", ".join(Stage.values)
            + "."
        },
    )
    expected_stage = forms.CharField(widget=forms.HiddenInput, max_length=20)
    reason = forms.ChoiceField(label="Reason", required=False)
    note = forms.CharField(
        label="Note (needed to move back)", required=False, max_length=2000, widget=forms.TextInput
    )

    def __init__(self, *args, reasons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = reason_choices(reasons)


def reason_choices(reasons=None) -> list:
    """``<select>`` choices: each reason once, by code, in catalogue order.

    A code such as "declined-compensation" or "other" serves both final stages; the
    service picks the row for the target stage (``applies_to``), so listing it per
    stage showed it twice.
    """
    rows = reasons if reasons is not None else DispositionReason.objects.filter(is_active=True)
    unique: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: (r.applies_to != Stage.REJECTED, r.display_order)):
        unique.setdefault(row.code, row.label)
    return [("", "No reason (only for rejected or withdrawn)"), *unique.items()]
