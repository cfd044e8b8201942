"""403, 404, 405 and 500 answer styled pages that keep the navigation; /api/ keeps JSON."""

import pytest
from django.urls import reverse

from core import error_pages

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def test_404_is_the_styled_page_with_navigation(client, recruiter, settings):
    for debug in (False, True):
        settings.DEBUG = debug
        response = signed_in(client, recruiter).get("/hiring/requisitions/999999/")
        assert response.status_code == 404
        body = response.content.decode()
        assert "Page not found" in body and 'aria-label="Main"' in body, debug
        unknown = client.get("/no-such-page/")
        assert unknown.status_code == 404 and "Page not found" in unknown.content.decode()


def test_405_from_a_post_only_address_is_the_styled_page(client, recruiter):
    response = signed_in(client, recruiter).get(reverse("hiring:application-create"))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    body = response.content.decode()
    assert "This address does not take that request" in body and 'aria-label="Main"' in body


def test_403_is_the_styled_page(client, interviewer):
    response = signed_in(client, interviewer).get(reverse("hiring:requisition-create"))
    assert response.status_code == 403
    assert "You may not do this" in response.content.decode()


def test_api_errors_stay_json(client, recruiter, settings):
    settings.DEBUG = True
    response = signed_in(client, recruiter).get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_500_page_keeps_the_navigation_and_survives_a_failing_one(rf, recruiter, monkeypatch):
    request = rf.get("/")
    request.user = recruiter
    response = error_pages.server_error(request)
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "Sign out" in response.content.decode()

    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(error_pages, "render", broken)
    plain = error_pages.server_error(request)
    assert plain.status_code == 500
    assert "Something went wrong on our side" in plain.content.decode()
