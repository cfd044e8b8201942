"""The recruiter moves cards on the board: by drag and drop and by keyboard, through the one
move dialog, with a success message each time, at 1366x900 and at 390x844."""

import pytest
from django.urls import reverse

from hiring.models import Application, StageChange
from tests.hiring.factories import apply_candidate, build_role_data, open_requisition

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline(db, recruiter, hiring_manager):
    build_role_data()
    requisition = open_requisition(actor=recruiter, hiring_manager=hiring_manager, title="Board")
    ada = apply_candidate(requisition=requisition, actor=recruiter, full_name="Ada Lovelace")
    bob = apply_candidate(requisition=requisition, actor=recruiter, full_name="Bob Babbage")
    return requisition, ada, bob


def drag(page, card, column) -> None:
    """Drag with the mouse, dropping on the part of the column that shows (at 390 px the next
    column only peeks in from the right of the board)."""
    card.hover()
    page.mouse.down()
    box = column.bounding_box()
    x = min(box["x"] + box["width"] / 2, page.viewport_size["width"] - 30)
    page.mouse.move(x, box["y"] + 40, steps=4)
    page.mouse.up()


def board_url(requisition) -> str:
    return reverse("hiring:requisition-detail", args=[requisition.pk])


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_recruiter_moves_a_card_by_keyboard_through_the_dialog(
    open_page, check_page, recruiter, pipeline, size
):
    requisition, ada, _ = pipeline
    page = open_page(recruiter, size, board_url(requisition))
    page.locator(f"#card-{ada.pk} [data-move]").focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#move-dialog")
    assert dialog.is_visible()
    assert page.locator("#move-to").input_value() == "screen"  # forward by default
    page.keyboard.press("Enter")
    status = page.locator("#board-status")
    status.get_by_text("Ada Lovelace moved to screen.").wait_for()
    assert page.locator(f"[data-column][data-stage=screen] #card-{ada.pk}").count() == 1
    ada.refresh_from_db()
    assert ada.stage == "screen"
    check_page(page, f"board-keyboard-move-{size}", contrast=True)  # with the status message


def test_rejecting_asks_for_a_reason_in_the_dialog(open_page, recruiter, pipeline):
    requisition, _, bob = pipeline
    page = open_page(recruiter, path=board_url(requisition))
    page.locator(f"#card-{bob.pk} [data-move]").click()
    assert page.locator("[data-needs=note]").is_hidden()
    page.locator("#move-to").select_option("rejected")
    assert page.locator("[data-needs=reason]").is_visible()
    page.get_by_role("button", name="Move", exact=True).click()
    page.locator("[data-move-error]").get_by_text("Moving to rejected needs a reason.").wait_for()
    bob.refresh_from_db()
    assert bob.stage == "applied"
    page.locator("#move-reason").select_option(index=1)
    page.get_by_role("button", name="Move", exact=True).click()
    page.locator("#board-status").get_by_text("Bob Babbage moved to rejected.").wait_for()
    bob.refresh_from_db()
    assert (bob.stage, bob.disposition_reason is not None) == ("rejected", True)


@pytest.mark.parametrize(("size", "stage"), [("desktop", "interview"), ("phone", "screen")])
def test_recruiter_drags_a_card_forward(open_page, check_page, recruiter, pipeline, size, stage):
    requisition, ada, _ = pipeline
    page = open_page(recruiter, size, board_url(requisition))
    target = page.locator(f"[data-column][data-stage={stage}]")
    drag(page, page.locator(f"#card-{ada.pk}"), target)
    page.locator("#board-status").get_by_text(f"Ada Lovelace moved to {stage}.").wait_for()
    assert target.locator(f"#card-{ada.pk}").count() == 1
    changes = StageChange.objects.filter(application=ada).order_by("at", "id")
    assert [(c.to_stage, c.actor) for c in changes] == [("applied", recruiter), (stage, recruiter)]
    check_page(page, f"board-drag-move-{size}")


def test_dragging_backward_opens_the_dialog_for_a_note(open_page, recruiter, pipeline):
    requisition, ada, _ = pipeline
    page = open_page(recruiter, path=board_url(requisition))
    page.locator(f"#card-{ada.pk}").drag_to(page.locator("[data-column][data-stage=sourced]"))
    assert page.locator("#move-dialog").is_visible()
    assert page.locator("#move-to").input_value() == "sourced"
    page.locator("#move-note").fill("Applied by mistake")
    page.get_by_role("button", name="Move", exact=True).click()
    page.locator("#board-status").get_by_text("Ada Lovelace moved to sourced.").wait_for()
    assert Application.objects.get(pk=ada.pk).stage == "sourced"
