"""Fixtures for the pipeline tests (interviews tests may use them too)."""

import pytest

from tests.hiring.factories import build_role_data
from tests.hiring.interview_world import build_world


@pytest.fixture
def roles_data(db) -> dict:
    """The guide's tracks, levels, bands and zones that the pipeline reads, built fast."""
    return build_role_data()


@pytest.fixture
def interview_world(recruiter, hiring_manager, interviewer, other_interviewer, other_manager):
    """Two requisitions with interviews: see ``tests.hiring.interview_world.build_world``."""
    return build_world(
        recruiter=recruiter,
        hiring_manager=hiring_manager,
        interviewer=interviewer,
        other_interviewer=other_interviewer,
        other_manager=other_manager,
    )
