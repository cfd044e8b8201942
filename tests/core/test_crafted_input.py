"""Crafted input and outages on the API: the JSON error shape, never an HTML page.

Every case answers ``{"detail", "code", "errors"}`` with a 4xx/5xx status and
saves nothing: deeply nested JSON (400), a body over the upload limit (413), a
database outage anywhere in handling (503), an unknown API URL (404) and an
unexpected bug (500, logged with its traceback). Pages keep Django's behaviour.
"""

from __future__ import annotations

import json
import logging
from unittest import mock

import pytest
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError, connections
from django.test import RequestFactory
from rest_framework.test import APIClient

from candidates.models import Candidate
from core.api import exception_handler
from core.middleware import ApiErrorMiddleware
from core.parsers import MAX_JSON_DEPTH
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db

CANDIDATES = "/api/v1/candidates/"
TOKEN = "/api/v1/auth/token/"
DB_DOWN = "The database is unavailable; try again shortly."


def error_body(response, status: int) -> dict:
    """The response is ``status`` in the API's JSON error shape; returns the body."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content)
    assert {"detail", "code", "errors"} <= set(body), body
    assert isinstance(body["detail"], str)
    assert body["detail"]
    assert isinstance(body["errors"], dict)
    return body


def payload(**extra) -> dict:
    return {
        "full_name": "Crafted",
        "email": "crafted@example.com",
        "years_experience": "3",
        **extra,
    }


@pytest.fixture
def db_down():
    """Every new cursor on the default database fails as in an outage."""

    def down(error=OperationalError):
        return mock.patch.object(
            connections["default"],
            "ensure_connection",
            side_effect=error("could not connect to server: Connection refused"),
        )

    return down


# Deeply nested JSON ------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000,
        '{"a": ' * 100_000,
        '{"full_name": "Deep", "tags": ' + "[" * 50_000 + "]" * 50_000 + "}",
    ],
    ids=["open-arrays", "open-objects", "balanced-in-a-field"],
)
@pytest.mark.parametrize("url", [CANDIDATES, TOKEN])
def test_deeply_nested_json_is_a_400_parse_error(api, recruiter, url, body):
    before = Candidate.objects.count()

    response = api(recruiter).post(url, body, content_type="application/json")

    answer = error_body(response, 400)
    assert answer["code"] == "parse_error"
    assert "nested" in answer["detail"]
    assert Candidate.objects.count() == before


def test_json_nested_past_the_depth_limit_is_refused_before_any_view_sees_it(api, recruiter):
    deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)

    response = api(recruiter).post(
        CANDIDATES, f'{{"full_name": "Deep", "tags": {deep}}}', content_type="application/json"
    )

    answer = error_body(response, 400)
    assert answer["code"] == "parse_error"
    assert str(MAX_JSON_DEPTH) in answer["detail"]
    assert Candidate.objects.count() == 0


# A body over the limit -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_a_body_over_the_upload_limit_is_a_413(api, recruiter, settings, fmt):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4_000

    response = api(recruiter).post(CANDIDATES, payload(notes="n" * 10_000), format=fmt)

    answer = error_body(response, 413)
    assert answer["code"] == "request_too_large"
    assert "4,000 bytes" in answer["detail"]
    assert Candidate.objects.count() == 0


def test_a_body_over_the_limit_on_an_unauthenticated_endpoint_is_a_413(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000

    response = APIClient().post(TOKEN, {"username": "u" * 2_000, "password": "p"}, format="json")

    assert error_body(response, 413)["code"] == "request_too_large"


# A database outage -----------------------------------------------------------------


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_database_outage_during_token_authentication_is_a_503(recruiter, db_down, error, method):
    client = api_client_for(recruiter)  # the token exists before the outage
    before = Candidate.objects.count()

    with db_down(error):
        response = getattr(client, method)(CANDIDATES, payload(), format="json")

    assert error_body(response, 503) == {
        "detail": DB_DOWN,
        "code": "database_unavailable",
        "errors": {},
    }
    assert Candidate.objects.count() == before


def test_a_database_outage_inside_a_view_is_a_503(api, recruiter):
    client = api(recruiter)
    with mock.patch(
        "candidates.api.candidate_create", side_effect=OperationalError("server closed")
    ):
        response = client.post(CANDIDATES, payload(), format="json")

    assert error_body(response, 503)["detail"] == DB_DOWN
    assert Candidate.objects.count() == 0


def test_a_database_outage_in_a_middleware_is_a_503_on_the_api_and_a_page_elsewhere(recruiter):
    client = api_client_for(recruiter)
    client.raise_request_exception = False
    with mock.patch.object(
        SessionMiddleware, "process_request", side_effect=OperationalError("connection lost")
    ):
        api_response = client.get(CANDIDATES)
        page_response = client.get("/candidates/")

    assert error_body(api_response, 503)["code"] == "database_unavailable"
    assert page_response.status_code == 503
    assert page_response["Content-Type"].startswith("text/html")
    assert "The service is briefly unavailable" in page_response.content.decode()
    assert page_response["Retry-After"] == "5"


def test_the_exception_handler_answers_503_and_413_in_the_error_shape():
    outage = exception_handler(OperationalError("down"), {})
    too_big = exception_handler(RequestDataTooBig("Request body exceeded"), {})

    assert (outage.status_code, outage.data) == (
        503,
        {"detail": DB_DOWN, "code": "database_unavailable", "errors": {}},
    )
    assert too_big.status_code == 413
    assert too_big.data["code"] == "request_too_large"
    # PostgreSQL's "program limit exceeded" (a tsvector over 1 MB) is a bug, not an outage.
    cause = Exception("string is too long for tsvector")
    cause.sqlstate = "54000"  # as psycopg's ProgramLimitExceeded
    limit_exceeded = OperationalError(str(cause))
    limit_exceeded.__cause__ = cause
    assert exception_handler(limit_exceeded, {}) is None


def test_the_middleware_answers_json_for_api_paths_only():
    middleware = ApiErrorMiddleware(lambda request: None)
    factory = RequestFactory()

    response = middleware.process_exception(factory.get("/api/v1/x/"), InterfaceError("gone"))

    assert error_body(response, 503)["detail"] == DB_DOWN
    assert middleware.process_exception(factory.get("/candidates/"), InterfaceError()) is None


# Anything else on /api/ ---------------------------------------------------------------


def test_an_unknown_api_url_is_a_json_404_and_an_unknown_page_stays_html(api, recruiter):
    client = api(recruiter)

    response = client.get("/api/v1/no-such-endpoint/")
    page = client.get("/no-such-page/")

    assert error_body(response, 404)["code"] == "not_found"
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_an_unexpected_api_error_is_a_logged_json_500_and_left_to_django_in_debug(
    api, recruiter, settings, caplog
):
    client = api(recruiter)
    with mock.patch("candidates.api.candidate_create", side_effect=RuntimeError("a bug")):
        with caplog.at_level(logging.ERROR):
            response = client.post(CANDIDATES, payload(), format="json")
        logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is RuntimeError]
        settings.DEBUG = True
        with pytest.raises(RuntimeError, match="a bug"):
            client.post(CANDIDATES, payload(), format="json")

    answer = error_body(response, 500)
    assert answer["code"] == "server_error"
    assert "a bug" not in answer["detail"]
    [record] = logged
    assert record.getMessage() == f"Internal Server Error: {CANDIDATES}"
    assert Candidate.objects.count() == 0
