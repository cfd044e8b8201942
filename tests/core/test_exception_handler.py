from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions

from core.api import exception_handler
from core.errors import Conflict, DomainError, NotFound, PermissionDenied


def handle(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


def test_domain_error_answers_400_with_field_errors():
    exc = DomainError.for_field("base_min", "Must not exceed base_max.")

    assert handle(exc) == (
        400,
        {
            "detail": "Must not exceed base_max.",
            "code": "invalid",
            "errors": {"base_min": ["Must not exceed base_max."]},
        },
    )


def test_domain_error_subclasses_answer_their_status_and_code():
    assert handle(NotFound("No such band.")) == (
        404,
        {"detail": "No such band.", "code": "not_found", "errors": {}},
    )
    assert handle(PermissionDenied("Not yours.")) == (
        403,
        {"detail": "Not yours.", "code": "permission_denied", "errors": {}},
    )
    assert handle(Conflict("Changed meanwhile.")) == (
        409,
        {"detail": "Changed meanwhile.", "code": "conflict", "errors": {}},
    )


def test_domain_error_extra_keys_are_merged_into_the_body():
    exc = Conflict("Changed meanwhile.", code="stale", extra={"current_version": 3})

    assert handle(exc) == (
        409,
        {"detail": "Changed meanwhile.", "code": "stale", "errors": {}, "current_version": 3},
    )


def test_django_validation_error_with_fields_names_the_first_field():
    exc = DjangoValidationError({"effective_from": ["Overlaps the version from 2026-01-01."]})

    assert handle(exc) == (
        400,
        {
            "detail": "effective_from: Overlaps the version from 2026-01-01.",
            "code": "invalid",
            "errors": {"effective_from": ["Overlaps the version from 2026-01-01."]},
        },
    )


def test_django_validation_error_on_the_whole_object_uses_its_message():
    exc = DjangoValidationError({"__all__": ["Bands may not overlap."]})

    assert handle(exc) == (
        400,
        {
            "detail": "Bands may not overlap.",
            "code": "invalid",
            "errors": {"__all__": ["Bands may not overlap."]},
        },
    )


def test_plain_django_validation_error_has_no_field_errors():
    assert handle(DjangoValidationError("Bad value.")) == (
        400,
        {"detail": "Bad value.", "code": "invalid", "errors": {}},
    )


def test_drf_validation_error_names_the_field_in_detail():
    exc = exceptions.ValidationError({"level": ["Unknown level 'L9'."]})

    assert handle(exc) == (
        400,
        {
            "detail": "level: Unknown level 'L9'.",
            "code": "invalid",
            "errors": {"level": ["Unknown level 'L9'."]},
        },
    )


def test_drf_non_field_errors_become_the_detail():
    exc = exceptions.ValidationError({"non_field_errors": ["Dates are reversed."]})

    assert handle(exc) == (
        400,
        {
            "detail": "Dates are reversed.",
            "code": "invalid",
            "errors": {"non_field_errors": ["Dates are reversed."]},
        },
    )


def test_http404_and_django_permission_denied_use_drf_shapes():
    assert handle(Http404()) == (404, {"detail": "Not found.", "code": "not_found", "errors": {}})
    assert handle(DjangoPermissionDenied()) == (
        403,
        {
            "detail": "You do not have permission to perform this action.",
            "code": "permission_denied",
            "errors": {},
        },
    )


def test_unexpected_exceptions_are_left_to_django():
    assert exception_handler(RuntimeError("bug"), {}) is None
