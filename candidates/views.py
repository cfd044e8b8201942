"""Candidate pages. Hidden candidates answer 404 so their existence does not leak;
writes (create, edit, upload, import) are for compensation admins and recruiters."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candidates import erasure, retention, selectors
from candidates.downloads import document_response
from candidates.forms import (
    CandidateFilterForm,
    CandidateForm,
    DocumentUploadForm,
    ErasureForm,
    ImportForm,
    RetentionExtendForm,
)
from candidates.importer import candidates_import, template_csv
from candidates.services import (
    candidate_create,
    candidate_update,
    document_delete,
    document_upload,
)
from core import audit, pay
from core.body_limit import accepts_documents
from core.errors import DomainError, NotFound
from core.errors import PermissionDenied as DomainPermissionDenied

PAGE_SIZE = 25


@login_required
@require_GET
def candidate_list(request):
    form = CandidateFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    queryset = selectors.candidate_list(request.user, filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    paid = selectors.pay_visible_ids(request.user, [c.pk for c in rows])
    for candidate in rows:
        candidate.sees_pay = candidate.pk in paid
    audit.record_list("candidate", len(rows), request=request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "candidates/list.html",
        {
            "form": form,
            "page": page,
            "candidates": rows,
            "query": query.urlencode(),
            "may_edit": selectors.may_edit_candidates(request.user),
            "sees_pay": pay.may_ever_see_pay(request.user),
        },
    )


@login_required
@require_GET
def candidate_detail(request, pk: int):
    candidate = _visible_candidate(request.user, pk)
    return _render_detail(request, candidate, DocumentUploadForm())


@accepts_documents
@login_required
@require_http_methods(["GET", "POST"])
def candidate_new(request):
    _require_editor(request.user)
    form = CandidateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = candidate_create(actor=request.user, **form.service_kwargs())
        except DomainError as error:
            form.add_domain_error(error)
            _remember_existing(form, error)
        else:
            messages.success(request, f"Candidate {candidate.full_name} created.")
            return redirect("candidates:detail", pk=candidate.pk)
    return render(request, "candidates/form.html", {"form": form, "candidate": None})


@login_required
@require_http_methods(["GET", "POST"])
def candidate_edit(request, pk: int):
    candidate = _visible_candidate(request.user, pk)
    _require_editor(request.user)
    if request.method == "GET":  # the form shows the whole profile
        audit.record(audit.Action.VIEW, "candidate", candidate.pk, request=request)
    form = CandidateForm(request.POST or None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = candidate_update(
                candidate=candidate, actor=request.user, **form.service_kwargs()
            )
        except DomainError as error:
            form.add_domain_error(error)
            _remember_existing(form, error)
        else:
            messages.success(request, "Changes saved.")
            return redirect("candidates:detail", pk=candidate.pk)
    return render(request, "candidates/form.html", {"form": form, "candidate": candidate})


@accepts_documents
@login_required
@require_POST
def candidate_document_upload(request, pk: int):
    candidate = _visible_candidate(request.user, pk)
    _require_editor(request.user)
    form = DocumentUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document_upload(candidate=candidate, actor=request.user, **form.cleaned_data)
        except DomainError as error:
            for field, problems in (error.errors or {"file": [error.message]}).items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            messages.success(request, "Document uploaded.")
            return redirect(reverse("candidates:detail", args=[candidate.pk]) + "#documents")
    return _render_detail(request, candidate, form, status=400)


@login_required
@require_GET
def document_download(request, pk: int):
    document = selectors.documents_visible_to(request.user).filter(pk=pk).first()
    if document is None:
        raise Http404("No such document.")
    try:
        return document_response(document, request=request)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
@require_POST
def document_remove(request, pk: int):
    document = get_object_or_404(selectors.documents_visible_to(request.user), pk=pk)
    _require_editor(request.user)
    document_delete(document=document, actor=request.user)
    messages.success(request, f"Document {document.original_name} deleted.")
    return redirect(reverse("candidates:detail", args=[document.candidate_id]) + "#documents")


@login_required
@require_http_methods(["GET", "POST"])
def candidate_erase(request, pk: int):
    """The confirmation page: type the full name to erase, irreversibly."""
    candidate = _visible_candidate(request.user, pk)
    if not erasure.may_erase(request.user):
        raise PermissionDenied("Only compensation admins may erase a candidate.")
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure.candidate_erase(
                candidate=candidate,
                actor=request.user,
                typed_name=form.cleaned_data["typed_name"],
                request=request,
            )
        except DomainError as error:
            form.add_error("typed_name" if "typed_name" in error.errors else None, error.message)
        else:
            messages.success(request, f"Candidate {candidate.pk} was erased.")
            return redirect("candidates:list")
    status = 400 if request.method == "POST" else 200
    context = {"candidate": candidate, "form": form}
    return render(request, "candidates/erase.html", context, status=status)


@login_required
@require_GET
def retention_due(request):
    """Who is due for erasure within RETENTION_DUE_DAYS, soonest first, with an extend form."""
    if not retention.may_extend(request.user):
        raise PermissionDenied("Only recruiters and compensation admins manage retention.")
    return _render_due(request, {}, status=200)


@login_required
@require_POST
def retention_extend(request, pk: int):
    candidate = _visible_candidate(request.user, pk)
    if not retention.may_extend(request.user):
        raise PermissionDenied("Only recruiters and compensation admins manage retention.")
    form = RetentionExtendForm(request.POST, prefix=f"c{candidate.pk}")
    if form.is_valid():
        try:
            retention.retention_extend(
                candidate=candidate, actor=request.user, request=request, **form.cleaned_data
            )
        except DomainPermissionDenied as error:
            raise PermissionDenied(error.message) from error
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(
                request, f"{candidate.full_name} kept until {form.cleaned_data['new_date']}."
            )
            return redirect("candidates:retention")
    return _render_due(request, {candidate.pk: form}, status=400)


@accepts_documents
@login_required
@require_http_methods(["GET", "POST"])
def candidate_import(request):
    _require_editor(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    row_errors = []
    if request.method == "POST" and form.is_valid():
        try:
            created = candidates_import(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            row_errors = error.extra.get("rows", [])
            if not row_errors:
                form.add_error("file", error.message)
            else:
                form.add_error(None, error.message)
        else:
            messages.success(request, f"Imported {len(created)} candidates.")
            return redirect("candidates:list")
    return render(request, "candidates/import.html", {"form": form, "row_errors": row_errors})


@login_required
@require_GET
def import_template(request):
    _require_editor(request.user)
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="candidates-import-template.csv"'
    return response


def _visible_candidate(user, pk: int):
    queryset = selectors.candidates_visible_to(user).select_related("zone", "created_by")
    return get_object_or_404(queryset.prefetch_related("skills", "certifications"), pk=pk)


def _require_editor(user) -> None:
    if not selectors.may_edit_candidates(user):
        raise PermissionDenied("Only compensation admins and recruiters may change candidates.")


def _render_due(request, forms: dict, *, status: int):
    rows = list(retention.retention_due()[: PAGE_SIZE * 8])
    audit.record_rows(audit.Action.LIST, "candidate", [c.pk for c in rows], request=request)
    for candidate in rows:
        candidate.extend_form = forms.get(candidate.pk) or RetentionExtendForm(
            prefix=f"c{candidate.pk}"
        )
    context = {"candidates": rows, "within_days": settings.RETENTION_DUE_DAYS}
    return render(request, "candidates/retention.html", context, status=status)


def _remember_existing(form, error: DomainError) -> None:
    existing = error.extra.get("existing_id")
    form.existing_url = reverse("candidates:detail", args=[existing]) if existing else None
    form.duplicates = [
        {**d, "url": reverse("candidates:detail", args=[d["id"]])}
        for d in error.extra.get("duplicates", [])
    ]


def _render_detail(request, candidate, upload_form, *, status: int = 200):
    """The profile page (also after a refused upload): a view in the access log."""
    audit.record(audit.Action.VIEW, "candidate", candidate.pk, request=request)
    sees_pay = selectors.sees_pay_of(request.user, candidate)
    context = {
        "candidate": candidate,
        "documents": selectors.candidate_documents(candidate),
        "history": selectors.candidate_history(candidate, user=request.user, sees_pay=sees_pay),
        "sections": selectors.page_sections(candidate, request.user, request),
        "upload_form": upload_form,
        "may_edit": selectors.may_edit_candidates(request.user),
        "may_erase": erasure.may_erase(request.user),
        "sees_pay": sees_pay,
        "may_read_access_log": audit.may_read_log(request.user),
    }
    return render(request, "candidates/detail.html", context, status=status)
