"""The OpenAPI schema's house rules: every error answer an operation can really give.

drf-spectacular documents what a view declares; the error answers come from the plumbing every
view shares (``core.api.exception_handler``, the throttles, the body limit, the database
check), so they are added here, by rule, to every operation that can give them, with the one
error shape. A view's own declaration of a status (a described 409, say) wins.
tests/api_fuzz calls every operation as every role and fails on any answer the schema does not
document.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import permissions, serializers

WRITES = ("POST", "PUT", "PATCH")

DESCRIPTIONS = {
    400: "Invalid input: `errors` names each field.",
    401: "No valid token (or session).",
    403: "Signed in, but not allowed.",
    404: "Not found, or not visible to you (also a page past the last).",
    409: "The row's state forbids it now (in use, already decided, changed meanwhile).",
    413: "The request body is larger than the API accepts.",
    415: "The body's Content-Type is not one this operation reads (JSON, form or multipart).",
    429: "Too many requests: `Retry-After` says when to try again.",
    503: "The database is unavailable; try again shortly.",
}


class ApiErrorSerializer(serializers.Serializer):
    """The API's one error shape (``core.api.error_body``)."""

    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


def binary_responses(content_types, description: str, status: int = 200) -> dict:
    """``extend_schema(responses=...)`` entries for a file answered in one of ``content_types``."""
    return {
        (status, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)
        for content_type in content_types
    }


def text_one_of(values, **kwargs) -> serializers.CharField:
    """A text field whose valid values the schema lists (``enum``) while the service still
    checks them, and names them in its own message when one is wrong."""

    @extend_schema_field({"type": "string", "enum": list(values)})
    class OneOfField(serializers.CharField):
        pass

    return OneOfField(**kwargs)


def decimal_pattern(field: serializers.DecimalField) -> str:
    """A decimal string DRF accepts: drf-spectacular's pattern also matched "", "-" and ".",
    which DRF refuses (a schema-valid request answered 400)."""
    places = field.decimal_places
    if not field.max_whole_digits:
        return rf"^-?(?:0|0?\.\d{{1,{places}}})$"
    whole = field.max_whole_digits
    return rf"^-?(?:\d{{1,{whole}}}(?:\.\d{{0,{places}}})?|\.\d{{1,{places}}})$"


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's, with the shared error answers, and ``schema_optional_fields``: a
    serializer's fields that some users do not get at all (the pay-free variant a view picks
    for them lacks them), so not ``required`` in its component; and
    ``schema_request_required_fields``: fields a full write needs that the service, not the
    serializer, asks for (``required`` in the request component, not in a PATCH's), and
    ``schema_patch_required_fields``: those a PATCH needs all the same."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.DecimalField) and "pattern" in schema:
            schema["pattern"] = decimal_pattern(field)
        if isinstance(field, serializers.ManyRelatedField) and not field.allow_empty:
            schema.setdefault("minItems", 1)
        return schema

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        needed = getattr(serializer, "schema_request_required_fields", ())
        if getattr(serializer, "partial", False):
            needed = getattr(serializer, "schema_patch_required_fields", ())
        if direction == "request" and needed:
            schema["required"] = sorted({*schema.get("required", ()), *needed})
        optional = set(getattr(serializer, "schema_optional_fields", ()))
        if optional and "required" in schema:
            schema["required"] = [name for name in schema["required"] if name not in optional]
            if not schema["required"]:
                del schema["required"]
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        if direction != "response":
            return responses
        for status in sorted(self.error_statuses()):
            if str(status) not in responses:
                error = OpenApiResponse(ApiErrorSerializer, description=DESCRIPTIONS[status])
                responses[str(status)] = self._get_response_for_code(
                    error, str(status), media_types=["application/json"], direction=direction
                )
        return responses

    def error_statuses(self) -> set[int]:
        """The error answers this operation can give, whatever the view."""
        statuses = {429, 503}
        if self._signs_in():
            statuses |= {401, 403}
        names_a_row = "{" in self.path
        if names_a_row:
            statuses.add(404)
        if self.method in WRITES:
            statuses |= {400, 413, 415}
        if self.method != "GET" and names_a_row:
            statuses.add(409)
        if self.method == "GET" and self._takes_query():
            # A filter's bad value (400), a page past the last (404).
            statuses |= {400, 404}
        return statuses

    def _signs_in(self) -> bool:
        checks = self.view.get_permissions()
        return any(not isinstance(check, permissions.AllowAny) for check in checks)

    def _takes_query(self) -> bool:
        if self._is_list_view() and self._get_paginator() is not None:
            return True
        return bool(self._get_filter_parameters() or self._process_override_parameters())
