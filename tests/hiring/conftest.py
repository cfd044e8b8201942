"""Fixtures for the pipeline tests (interviews tests may use them too)."""

import pytest

from tests.conftest import restore_role_rows, snapshot_role_rows
from tests.hiring.factories import build_role_data
from tests.hiring.interview_world import build_world

_ROLE_ROWS: list | None = None


@pytest.fixture
def roles_data(db) -> dict:
    """The guide's tracks, levels, bands and zones that the pipeline reads, built fast.

    The first test in a process builds them through the factories and keeps the rows;
    later tests get the same rows back in one bulk insert per table (as ``guide`` does).
    """
    global _ROLE_ROWS
    if _ROLE_ROWS is not None and restore_role_rows(_ROLE_ROWS):
        return _role_data_by_key()
    built = build_role_data()
    _ROLE_ROWS = snapshot_role_rows()
    return built


def _role_data_by_key() -> dict:
    """``build_role_data``'s answer, read back from the restored rows."""
    from roles.models import Certification, Level, Track, Zone

    certifications = {c.slug: c for c in Certification.objects.all()}
    return {
        "tracks": {t.slug: t for t in Track.objects.all()},
        "levels": {level.code: level for level in Level.objects.all()},
        "zones": {z.slug: z for z in Zone.objects.all()},
        "certifications": {
            "aws": certifications["aws-ml-specialty"],
            "azure": certifications["azure-ai-engineer-associate"],
        },
    }


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
