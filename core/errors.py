"""Domain errors shared by every app.

Services raise these; the API exception handler and the views turn them into a
clear message with the right status. A 500 is always a bug.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses, with a message a person can act on."""

    status_code = 400
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        errors: dict[str, list[str]] | None = None,
        extra: dict | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.errors = errors or {}
        self.extra = extra or {}

    @classmethod
    def for_field(cls, field: str, message: str, **kwargs) -> DomainError:
        return cls(message, errors={field: [message]}, **kwargs)


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission_denied"


class Conflict(DomainError):
    """The row changed since the user saw it (a stale write)."""

    status_code = 409
    code = "conflict"


class Unprocessable(DomainError):
    """Well-formed, but the data needed to answer does not exist (e.g. no band in the guide)."""

    status_code = 422
    code = "unprocessable"
