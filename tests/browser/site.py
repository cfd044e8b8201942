"""A small site for the page walks: the cast, one requisition with a pipeline, an interview
with a scorecard due, and the pages each role reaches from the navigation."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import bulk
from tests.conftest import built_once, make_cast
from tests.hiring.factories import apply_candidate, build_role_data, open_requisition, walk
from tests.hiring.interview_world import InterviewFactory

#: Every page a role reaches, by name: (url name, which object's pk, roles that see it).
ALL = ("recruiter", "hiring_manager", "interviewer", "comp_admin")
PIPELINE = ("recruiter", "hiring_manager", "comp_admin")
EDITORS = ("recruiter", "comp_admin")
PAGES = {
    "dashboard": ("hiring:dashboard", None, ALL),
    "requisitions": ("hiring:requisition-list", None, ALL),
    "requisition-new": ("hiring:requisition-create", None, PIPELINE),
    "board": ("hiring:requisition-detail", "requisition", ALL),
    "job-description": ("hiring:requisition-jd", "requisition", ALL),
    "application": ("hiring:application-detail", "application", ALL),
    "candidates": ("candidates:list", None, ALL),
    "candidate": ("candidates:detail", "candidate", ALL),
    "candidate-new": ("candidates:create", None, EDITORS),
    "candidate-import": ("candidates:import", None, EDITORS),
    "interview": ("hiring:interview-detail", "interview", ALL),
    "interview-new": ("hiring:interview-create", "application", PIPELINE),
    "levels": ("roles:levels", None, ALL),
    "offers": ("offers:list", None, PIPELINE),
    "my-interviews": ("hiring:my-interviews", None, ALL),
    "scorecards-due": ("hiring:scorecards-due", None, ALL),
    "candidate-add": ("hiring:candidate-add", "candidate", EDITORS),
    "reports": ("reports:index", None, PIPELINE),
    "access-log": ("access-log", None, ("comp_admin",)),
    "retention": ("candidates:retention", None, EDITORS),
    "erase": ("candidates:erase", "candidate", ("comp_admin",)),
    "careers": ("careers:list", None, ALL),
    # The same page for everyone: one role walks it.
    "api-tokens": ("account-tokens", None, ("recruiter",)),
    "account": ("accounts:account", None, ("interviewer",)),
    "two-factor": ("accounts:two-factor", None, ("hiring_manager",)),
    "password": ("accounts:password-change", None, ("interviewer",)),
    "not-found": (None, None, ALL),
}


def build_site() -> dict:
    build_role_data()
    cast = make_cast()
    recruiter, manager = cast["recruiter"], cast["hiring_manager"]
    requisition = open_requisition(
        actor=recruiter, hiring_manager=manager, recruiter=recruiter, title="ML platform engineer"
    )
    application = apply_candidate(
        requisition=requisition, actor=recruiter, full_name="Ada Lovelace"
    )
    walk(application, ["screen", "interview"], actor=recruiter)
    bulk.applications(((requisition, c) for c in bulk.candidates(6)), actor=recruiter)
    interview = InterviewFactory(
        application=application,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        interviewers=[cast["interviewer"], manager],
        created_by=recruiter,
    )
    return {
        **cast,
        "requisition": requisition,
        "application": application,
        "candidate": application.candidate,
        "interview": interview,
    }


def page_urls(site: dict, role: str) -> list[tuple[str, str]]:
    urls = []
    for name, (route, obj, roles) in PAGES.items():
        if role not in roles:
            continue
        if route is None:
            urls.append((name, "/hiring/no-such-page/"))
            continue
        args = [site[obj].pk] if obj else []
        urls.append((name, reverse(route, args=args)))
    return urls


def site_fixture():
    """A module-scoped fixture building the site once, rolled back at the module's end."""

    @pytest.fixture(scope="module")
    def site(django_db_setup, django_db_blocker):
        with built_once(django_db_blocker):
            yield build_site()

    return site


def walk_pages(open_page, check_page, site: dict, role: str) -> list[str]:
    """Every page of ``role``, each through the page check at 1366x900 and then at 390x844;
    the names visited.

    Each page loads once, at 1366 px, and is checked; the viewport then narrows to 390 px
    and the same page is checked again (the layout is CSS media queries only, no script
    reads the width, so a narrowed page is laid out as one loaded at 390 px). axe runs at
    1366 px on every page and at 390 px on the board (the one page whose markup changes
    with the width: its columns become a scrolled region); its colour-contrast rule runs
    on the recruiter's walk at 1366 px, who reaches every page: the colours come from one
    stylesheet, and contrast is most of axe's time. A screenshot at 390 px (see
    ``check_page``) is the first screen (what a phone shows; a 390 px full page is several
    screens tall and costs twice as much), while the overflow check measures the whole page.
    """
    from tests.browser.conftest import DESKTOP, PHONE

    page = open_page(site[role], "desktop")
    visited = []
    for name, url in page_urls(site, role):
        page.set_viewport_size(DESKTOP)
        response = page.goto(url)
        expected = 404 if name == "not-found" else 200
        assert response.status == expected, f"{role} {name} {url}: {response.status}"
        if name == "not-found":  # the browser logs the 404 it was sent to on purpose
            page.problems[:] = [p for p in page.problems if "404 (Not Found)" not in p]
        check_page(page, f"{role}-{name}-desktop", contrast=role == "recruiter")
        page.set_viewport_size(PHONE)
        check_page(
            page, f"{role}-{name}-phone", axe=name == "board", contrast=False, full_page=False
        )
        visited.append(name)
    return visited
