"""Security headers under production settings, the API docs and the admin under the CSP, and
the endpoint that receives the browsers' violation reports."""

from __future__ import annotations

import json
import logging
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.candidates.factories import CandidateFactory
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "report-uri": "/csp-report/",
}
SWITCHED_OFF = ("camera", "microphone", "geolocation", "payment", "usb")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.I)
REPORT = "/csp-report/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the report endpoint counts posts per address in the cache
    yield
    cache.clear()


@pytest.fixture
def production(settings):
    """What `check --deploy` asks for, as DJANGO_ENV=production sets it."""
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    return settings


def policy_of(response) -> dict:
    directives = (
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return {name: value for name, value in directives}


@pytest.mark.parametrize(
    ("who", "path", "status"),
    [
        ("recruiter", "/candidates/", 200),
        ("recruiter", "/api/v1/candidates/", 200),
        ("recruiter-token", "/api/v1/candidates/", 200),
        ("recruiter", "/candidates/987654321/", 404),
        (None, "/login/", 200),
        (None, "/careers/", 200),
    ],
)
def test_every_answer_carries_the_policy_no_store_and_permissions_policy(
    production, client, recruiter, who, path, status
):
    if who == "recruiter-token":
        client = api_client_for(recruiter)
    elif who:
        client.force_login(recruiter)

    response = client.get(path, secure=True)

    assert response.status_code == status
    assert policy_of(response) == POLICY
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    permissions = dict(
        item.strip().split("=") for item in response["Permissions-Policy"].split(",")
    )
    assert {feature: permissions[feature] for feature in SWITCHED_OFF} == dict.fromkeys(
        SWITCHED_OFF, "()"
    )
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert (response["X-Frame-Options"], response["X-Content-Type-Options"]) == ("DENY", "nosniff")


def test_plain_http_is_redirected_to_https_in_production(production, client):
    response = client.get("/login/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/"


def test_the_api_docs_load_their_start_up_script_from_our_own_address(client, recruiter):
    client.force_login(recruiter)

    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")

    html = page.content.decode()
    assert page.status_code == 200
    assert INLINE_SCRIPT.findall(html) == [] and INLINE_STYLE.findall(html) == []
    assert '<script src="/api/docs/?script="></script>' in html
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_admin_change_page_needs_nothing_inline(client, admin_user):
    candidate = CandidateFactory()
    client.force_login(admin_user)

    response = client.get(reverse("admin:candidates_candidate_change", args=[candidate.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert INLINE_SCRIPT.findall(html) == [] and INLINE_STYLE.findall(html) == []
    scripts = re.findall(r'<script[^>]*\bsrc="([^"]+)"', html)
    assert "/static/admin/js/change_form.js" in scripts
    assert all(src.startswith("/") and not src.startswith("//") for src in scripts)  # ours


# -- the report endpoint -------------------------------------------------------

CSP_REPORT = {
    "csp-report": {
        "document-uri": "https://hiring.example.com/candidates/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "source-file": "https://hiring.example.com/candidates/",
        "line-number": 12,
        "script-sample": "alert(1)\u202e",
    }
}
REPORTS_JSON = [
    {
        "type": "csp-violation",
        "url": "https://hiring.example.com/hiring/",
        "body": {
            "documentURL": "https://hiring.example.com/hiring/",
            "effectiveDirective": "img-src",
            "blockedURL": "https://tracker.example.net/p.gif",
            "lineNumber": 3,
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


@pytest.mark.parametrize(
    ("content_type", "body", "logged"),
    [
        (
            "application/csp-report",
            CSP_REPORT,
            "CSP violation: script-src-elem blocked inline on https://hiring.example.com/"
            "candidates/ at https://hiring.example.com/candidates/:12 sample alert(1)?",
        ),
        (
            "application/reports+json",
            REPORTS_JSON,
            "CSP violation: img-src blocked https://tracker.example.net/p.gif on "
            "https://hiring.example.com/hiring/ at https://hiring.example.com/hiring/:3",
        ),
    ],
)
def test_a_violation_report_is_logged_at_warning_without_a_csrf_token(
    caplog, content_type, body, logged
):
    client = Client(enforce_csrf_checks=True)

    with caplog.at_level(logging.WARNING, logger="csp.violations"):
        response = client.post(REPORT, json.dumps(body), content_type=content_type)

    assert response.status_code == 204
    violations = [r for r in caplog.records if r.name == "csp.violations"]
    assert [(r.levelname, r.getMessage()) for r in violations] == [("WARNING", logged)]


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        ("application/csp-report", b"{not json", 400),
        ("application/csp-report", b"\xff\xfe\x00garbage", 400),
        ("application/csp-report", b'{"csp-report": "nope"}', 400),
        ("application/csp-report", b"[" * 100_000, 413),
        ("application/reports+json", b"[" * 5_000 + b"]" * 5_000, 400),
        ("application/reports+json", b'[{"type": "deprecation", "body": {}}]', 400),
        ("application/reports+json", b"[]", 400),
        ("text/plain", b"hello", 415),
    ],
)
def test_garbage_is_refused_plainly_and_logs_no_violation(caplog, content_type, body, status):
    with caplog.at_level(logging.WARNING, logger="csp.violations"):
        response = Client().post(REPORT, body, content_type=content_type)

    assert response.status_code == status
    assert [r for r in caplog.records if r.name == "csp.violations"] == []


def test_one_address_cannot_flood_the_log(settings, caplog):
    settings.CSP_REPORTS_PER_MINUTE = 2
    body = json.dumps(CSP_REPORT)

    with caplog.at_level(logging.WARNING, logger="csp.violations"):
        answers = [
            Client().post(REPORT, body, content_type="application/csp-report").status_code
            for _ in range(3)
        ]

    assert answers == [204, 204, 429]
    assert len([r for r in caplog.records if r.name == "csp.violations"]) == 2


def test_the_report_endpoint_takes_only_posts(client):
    assert client.get(REPORT).status_code == 405
