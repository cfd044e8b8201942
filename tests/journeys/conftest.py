"""Fixtures for the journeys tests (navigation, adding, notes, invitations, careers)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.candidates.conftest import MINIMAL_PDF
from tests.hiring.conftest import interview_world  # noqa: F401  (a fixture)


@pytest.fixture
def world(interview_world):  # noqa: F811  (the imported fixture)
    """``tests.hiring.interview_world.build_world``: world.interview started an hour ago."""
    return interview_world


@pytest.fixture
def as_user():
    """``as_user(user)``: a page client signed in as ``user`` (anonymous for None)."""

    def sign_in(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


def pdf_upload(name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")
