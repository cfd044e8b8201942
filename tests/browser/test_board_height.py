"""A board with 200 cards stays under two screens at 1366x900: each column shows its first
cards and "show more" fetches the next ones."""

import pytest
from django.urls import reverse

from hiring.selectors.board import PER_COLUMN
from tests import bulk
from tests.hiring.factories import build_role_data, open_requisition

pytestmark = pytest.mark.django_db


def test_a_200_card_board_is_under_two_screens_and_shows_more_on_demand(
    open_page, check_page, recruiter, hiring_manager
):
    build_role_data()
    requisition = open_requisition(actor=recruiter, hiring_manager=hiring_manager)
    apps = bulk.applications(((requisition, c) for c in bulk.candidates(200)), actor=recruiter)
    bulk.interviews([a for a in apps if a.stage == "interview"], panel=[recruiter])
    page = open_page(
        recruiter, "desktop", reverse("hiring:requisition-detail", args=[requisition.pk])
    )
    board = page.locator("[data-board]").bounding_box()
    assert board["y"] + board["height"] < 2 * 900
    # applied, screen, interview, offer: 10 each; rejected and withdrawn show their counts
    assert page.locator("[data-card]").count() == 4 * PER_COLUMN
    rejected = page.locator("[data-column][data-stage=rejected]")
    rejected.locator("summary").click()
    rejected.get_by_role("link", name="Show 33 in Rejected").click()
    rejected.locator("[data-card]").nth(PER_COLUMN - 1).wait_for()
    applied = page.locator("[data-column][data-stage=applied]")
    assert applied.locator("[data-count]").inner_text() == "34"
    applied.get_by_role("link", name="Show more in Applied").click()
    applied.locator("[data-card]").nth(2 * PER_COLUMN - 1).wait_for()
    assert applied.locator("[data-card]").count() == 2 * PER_COLUMN
    check_page(page, "board-200-cards-desktop", contrast=True)  # columns opened and grown
