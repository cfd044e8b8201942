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


class InvalidState(Conflict):
    """The row's status or stage does not allow this action now (an offer already sent, a
    move its stage forbids): the request is well formed, the row's state refuses it (409)."""

    code = "invalid_state"


def page_status(exc: DomainError) -> int:
    """The status of a page that shows a refusal next to its form: a refused form (400)
    when the row's state forbids the action, as a page always answered; the API says 409."""
    return 400 if isinstance(exc, InvalidState) else exc.status_code


class Unprocessable(DomainError):
    """Well-formed, but the data needed to answer does not exist (e.g. no band in the guide)."""

    status_code = 422
    code = "unprocessable"
