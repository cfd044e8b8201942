"""API plumbing shared by every app: pagination, permissions, error shape."""

from __future__ import annotations

import logging

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.log import log_response
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, pagination, permissions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.access import is_compensation_admin
from core.errors import DomainError


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's, except that a ``page_size`` that is not a whole number from 1 answers 400
    (DRF silently used the default); one above ``max_page_size`` still gets the maximum."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None:
            try:
                valid = int(raw) >= 1
            except ValueError:
                valid = False
            if not valid:
                raise exceptions.ValidationError(
                    {self.page_size_query_param: ["A whole number from 1."]}
                )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] in (self.page_query_param, self.page_size_query_param):
                parameter["schema"]["minimum"] = 1
        return parameters


class ReadSignedInWriteCompensationAdmins(permissions.BasePermission):
    """Role data: every signed-in user reads; compensation admins write."""

    message = "Only compensation admins may change role data."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return is_compensation_admin(request.user)


def _field_errors(detail: dict, prefix: str = "") -> dict[str, list[str]]:
    """Field errors by name; a nested serializer's as ``outer.inner`` (not a dict's repr)."""
    errors: dict[str, list[str]] = {}
    for key, value in detail.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            errors.update(_field_errors(value, prefix=f"{name}."))
        else:
            errors[name] = [str(m) for m in (value if isinstance(value, list) else [value])]
    return errors


def _flatten(detail) -> tuple[str, dict[str, list[str]]]:
    if isinstance(detail, dict):
        errors = _field_errors(detail)
        non_field = errors.pop("non_field_errors", None)
        first_key = next(iter(errors), None)
        message = (non_field or [None])[0] or (
            f"{first_key}: {errors[first_key][0]}" if first_key else "Invalid input."
        )
        if non_field:
            errors["non_field_errors"] = non_field
        return message, errors
    if isinstance(detail, list):
        return (str(detail[0]) if detail else "Invalid input."), {}
    return str(detail), {}


DATABASE_UNAVAILABLE = "The database is unavailable; try again shortly."


def error_body(detail: str, code: str, errors: dict | None = None) -> dict:
    """The API's one error shape."""
    return {"detail": detail, "code": code, "errors": errors or {}}


def is_database_outage(exc: BaseException) -> bool:
    """A database that is down or unreachable (503), not a query it refuses.

    PostgreSQL also reports some data-dependent failures as ``OperationalError``:
    SQLSTATE class 54 (program limit exceeded, e.g. a tsvector over 1 MB) is a
    bug to fix, not an outage to wait out.
    """
    if not isinstance(exc, OperationalError | InterfaceError):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None) or ""
    return not sqlstate.startswith("54")


def suspicious_request_error(exc: SuspiciousOperation) -> tuple[int, dict]:
    """Status and body for a request Django refuses (body too big, too many fields...)."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        detail = f"The request body is larger than the {limit:,} bytes the API accepts."
        return 413, error_body(detail, "request_too_large")
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return 400, error_body(
            "The request has more fields or files than the API accepts.", "too_many_fields"
        )
    return 400, error_body("The request was refused as malformed.", "bad_request")


def log_suspicious_request(exc: SuspiciousOperation, request, status_code: int) -> None:
    """Django logs every SuspiciousOperation to a django.security logger; so do we."""
    logging.getLogger(f"django.security.{type(exc).__name__}").error(
        str(exc), exc_info=exc, extra={"status_code": status_code, "request": request}
    )


def exception_handler(exc, context):
    """Every error answers ``{"detail", "code", "errors"}`` with the right status."""
    request = getattr(context.get("request"), "_request", context.get("request"))
    if is_database_outage(exc):
        response = Response(error_body(DATABASE_UNAVAILABLE, "database_unavailable"), status=503)
        if request is not None:
            log_response(
                "Database unavailable: %s",
                request.path,
                response=response,
                request=request,
                exception=exc,
            )
        return response
    if isinstance(exc, SuspiciousOperation):
        status_code, body = suspicious_request_error(exc)
        log_suspicious_request(exc, request, status_code)
        return Response(body, status=status_code)
    if isinstance(exc, DomainError):
        body = {"detail": exc.message, "code": exc.code, "errors": exc.errors, **exc.extra}
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {}
        )
        message = exc.messages[0] if exc.messages else "Invalid input."
        if errors:
            first = next(iter(errors))
            message = errors[first][0] if first == "__all__" else f"{first}: {errors[first][0]}"
        return Response(
            {"detail": message, "code": "invalid", "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException):
        message, errors = _flatten(exc.detail)
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else ("invalid" if errors else exc.default_code)
        response.data = {"detail": message, "code": code, "errors": errors}
    return response


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """Filter a list by a related row's id, unvalidated against the database.

    A hidden id and a missing one answer alike: 200 with the rows the user may see that
    match, i.e. none (a model choice filter said "Select a valid choice" only for the
    missing one). Not a whole number: 400 on the field.
    """

    field_class = forms.IntegerField
