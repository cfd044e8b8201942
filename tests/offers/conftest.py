"""Fixtures for the offer tests."""

import pytest


@pytest.fixture
def user_of(cast, request):
    """``user_of(role)``: the cast's user of that role (``other_manager`` too), None for
    ``anonymous``."""

    def get(role):
        return request.getfixturevalue("other_manager") if role == "other_manager" else cast[role]

    return get
