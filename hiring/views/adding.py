"""Add an existing candidate to a requisition from their profile.

The candidate page shows a quick form (hiring registers it in ``candidates.scopes``);
this view takes its post and also answers a full page with a requisition search, where
errors appear next to the field. Hidden candidates and requisitions answer 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from candidates.selectors import candidates_visible_to
from core.errors import DomainError
from core.errors import PermissionDenied as CorePermissionDenied
from hiring.forms.interviews import AccessibleErrorsMixin
from hiring.models import Requisition
from hiring.permissions import can_add_application, requisitions_visible_to
from hiring.services.applications import application_create
from hiring.services.requisitions import requisition_update
from hiring.stages import Stage


class AddToRequisitionForm(AccessibleErrorsMixin, forms.Form):
    requisition = forms.ModelChoiceField(
        queryset=Requisition.objects.none(),
        error_messages={
            "required": "Choose a requisition.",
            "invalid_choice": "Choose a requisition from the list.",
        },
    )
    stage = forms.ChoiceField(
        choices=[(Stage.SOURCED, "Sourced"), (Stage.APPLIED, "Applied")],
        initial=Stage.SOURCED,
        required=False,
        help_text="Sourced: you found them; applied: they applied to you.",
    )

    def __init__(self, *args, user, search: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Every requisition the user sees (the service says why a draft is refused).
        found = requisitions_visible_to(user).select_related("level", "zone")
        if search:
            found = found.filter(Q(title__icontains=search) | Q(track__name__icontains=search))
        self.fields["requisition"].queryset = found.order_by("title", "id")
        self.fields["requisition"].label_from_instance = _label


@login_required
@require_http_methods(["GET", "POST"])
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(candidates_visible_to(request.user), pk=pk)
    if not can_add_application(request.user):
        raise PermissionDenied("Only recruiters and compensation admins add candidates.")
    search = (request.GET.get("q") or "").strip()[:100]
    form = AddToRequisitionForm(request.POST or None, user=request.user, search=search)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_create(
                candidate=candidate,
                requisition=form.cleaned_data["requisition"],
                actor=request.user,
                stage=form.cleaned_data["stage"] or Stage.SOURCED,
            )
        except CorePermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form.add_service_errors(exc.errors, exc.message)
        else:
            requisition = application.requisition
            messages.success(request, f"{candidate.full_name} added to {requisition.title}.")
            return redirect("hiring:application-detail", pk=application.pk)
    context = {"candidate": candidate, "form": form, "q": search}
    status = 400 if form.errors else 200
    return render(request, "hiring/adding/add_to_requisition.html", context, status=status)


@login_required
@require_POST
def requisition_open(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = get_object_or_404(requisitions_visible_to(request.user), pk=pk)
    try:
        requisition_update(
            requisition=requisition, actor=request.user, status=Requisition.Status.OPEN
        )
    except CorePermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, f"The requisition stays a draft: {exc.message}")
    else:
        messages.success(request, "Requisition opened: you can now add candidates.")
    return redirect("hiring:requisition-detail", pk=requisition.pk)


urlpatterns = [
    path("candidates/<int:pk>/add/", candidate_add, name="candidate-add"),
    path("requisitions/<int:pk>/open/", requisition_open, name="requisition-open"),
]


def _label(requisition: Requisition) -> str:
    status = ""
    if requisition.status != Requisition.Status.OPEN:
        status = f" ({requisition.get_status_display().lower()})"
    return f"{requisition.title} · {requisition.level.code} · {requisition.zone.name}{status}"
