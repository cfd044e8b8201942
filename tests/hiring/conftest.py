"""Fixtures for the pipeline tests (interviews tests may use them too)."""

import pytest

from tests.hiring.factories import build_role_data


@pytest.fixture
def roles_data(db) -> dict:
    """The guide's tracks, levels, bands and zones that the pipeline reads, built fast."""
    return build_role_data()
