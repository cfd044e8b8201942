"""The offer state machine is a pure table: every status, every action."""

import pytest

from offers import states
from offers.states import Action, OfferStatus

ALLOWED = {
    "draft": ("update", "submit", "rescind"),
    "pending_approval": ("update", "approve", "reject", "rescind"),
    "approved": ("update", "send", "rescind"),
    "sent": ("accept", "decline", "rescind"),
    "accepted": (),
    "declined": (),
    "rescinded": (),
    "expired": (),
}


def test_the_table_covers_every_status():
    assert set(states.TRANSITIONS) == set(OfferStatus.values)


@pytest.mark.parametrize(("status", "allowed"), ALLOWED.items())
def test_allowed_actions(status, allowed):
    assert states.allowed_actions(status) == allowed


@pytest.mark.parametrize("status", OfferStatus.values)
@pytest.mark.parametrize("action", [a for a in Action.values if a != "expire"])
def test_every_refusal_names_the_status_and_the_allowed_actions(status, action):
    if action in ALLOWED[status]:
        assert states.next_status(status, action) in OfferStatus.values
        return
    assert states.next_status(status, action) is None
    message = states.refusal(status, action)
    assert message.startswith(
        f"Cannot {action} an offer that is {OfferStatus(status).label.lower()}"
    )
    assert ", ".join(ALLOWED[status]) in message if ALLOWED[status] else "nothing more" in message


def test_only_approved_and_sent_offers_expire():
    assert [s for s in OfferStatus.values if states.next_status(s, "expire")] == [
        "approved",
        "sent",
    ]


def test_open_and_final_statuses():
    assert states.OPEN_STATUSES == ("draft", "pending_approval", "approved", "sent")
    assert states.FINAL_STATUSES == ("accepted", "declined", "rescinded", "expired")
