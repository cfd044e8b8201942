"""The offer's state machine: a pure table, no database access.

``TRANSITIONS[status][action]`` is the status an action leads to. An action
missing from a status's row is refused with a message naming the status and
the actions it allows. ``approve`` stays in pending approval until every
required role has approved (the service decides); ``update`` after submission
returns the offer for approval when an amount changes (the service decides).
"""

from __future__ import annotations

from django.db import models


class OfferStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PENDING_APPROVAL = "pending_approval", "Pending approval"
    APPROVED = "approved", "Approved"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    RESCINDED = "rescinded", "Rescinded"
    EXPIRED = "expired", "Expired"


class Action(models.TextChoices):
    UPDATE = "update", "Update"
    SUBMIT = "submit", "Submit for approval"
    APPROVE = "approve", "Approve"
    REJECT = "reject", "Reject"
    SEND = "send", "Send"
    ACCEPT = "accept", "Accept"
    DECLINE = "decline", "Decline"
    RESCIND = "rescind", "Rescind"
    EXPIRE = "expire", "Expire"


S, A = OfferStatus, Action

TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {A.UPDATE: S.DRAFT, A.SUBMIT: S.PENDING_APPROVAL, A.RESCIND: S.RESCINDED},
    S.PENDING_APPROVAL: {
        A.UPDATE: S.PENDING_APPROVAL,
        A.APPROVE: S.APPROVED,  # once every required role has approved
        A.REJECT: S.DRAFT,
        A.RESCIND: S.RESCINDED,
    },
    S.APPROVED: {
        A.UPDATE: S.PENDING_APPROVAL,  # an amount changed: a new approval round
        A.SEND: S.SENT,
        A.RESCIND: S.RESCINDED,
        A.EXPIRE: S.EXPIRED,
    },
    S.SENT: {
        A.ACCEPT: S.ACCEPTED,
        A.DECLINE: S.DECLINED,
        A.RESCIND: S.RESCINDED,
        A.EXPIRE: S.EXPIRED,
    },
    S.ACCEPTED: {},
    S.DECLINED: {},
    S.RESCINDED: {},
    S.EXPIRED: {},
}

#: An application has at most one offer in these (a database constraint).
OPEN_STATUSES: tuple[str, ...] = (S.DRAFT, S.PENDING_APPROVAL, S.APPROVED, S.SENT)
#: Nothing leaves these.
FINAL_STATUSES: tuple[str, ...] = tuple(s for s, row in TRANSITIONS.items() if not row)
#: Amounts, dates and justification may change until the offer is sent.
EDITABLE_STATUSES: tuple[str, ...] = tuple(s for s, row in TRANSITIONS.items() if A.UPDATE in row)


def allowed_actions(status: str) -> tuple[str, ...]:
    """The actions a person may take in ``status`` (expiry is the system's), in table order."""
    return tuple(str(a) for a in TRANSITIONS.get(status, {}) if a != A.EXPIRE)


def next_status(status: str, action: str) -> str | None:
    """The status ``action`` leads to from ``status``; ``None`` when it is not allowed."""
    return TRANSITIONS.get(status, {}).get(action)


def refusal(status: str, action: str) -> str:
    """Why ``action`` is refused in ``status``, naming the actions that are allowed."""
    label = OfferStatus(status).label.lower()
    allowed = allowed_actions(status)
    if not allowed:
        return f"Cannot {action} an offer that is {label}: nothing more can happen to it."
    return f"Cannot {action} an offer that is {label}. Allowed now: {', '.join(allowed)}."
