"""The one pay policy, walked: no amount reaches those who may not see pay.

Every page and endpoint the URL configuration has is requested (GET) as an
interviewer, as a signed-in user in no group, and as a hiring manager who only
sits on another manager's interview panel (for that manager's objects). The
responses are searched for every amount the database holds: band figures (raw
and priced for every track and zone), posted ranges, candidates' pay and the
guide's money figures, in each way the product writes numbers.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from candidates.models import Candidate
from hiring.models import Interview
from hiring.services.applications import application_move
from offers.models import Offer
from offers.services import offer_create
from roles.models import MarketFigure, SalaryBand, Track, Zone
from roles.selectors import price_version
from tests.conftest import api_client_for, built_once, make_cast
from tests.hiring.factories import apply_candidate, open_requisition
from tests.hiring.interview_world import InterviewFactory, ScorecardFactory

pytestmark = pytest.mark.django_db

# Routes that a GET cannot show data through, with the reason; every other named route is walked.
NOT_WALKED = {
    "logout": "POST only; signs the user out",
    "account-token-revoke": "POST only; revokes one of the user's API tokens",
    "account-tokens-revoke-all": "POST only; revokes the user's API tokens",
    # Pay transparency: open requisitions' posted ranges are public by design (core.pay.
    # posted_range_is_public); tests/hiring/test_careers.py checks nothing else shows.
    "careers:list": "public posted ranges",
    "careers:position": "public posted ranges",
    "careers:thanks": "public page, no figures",
}


def _named_routes(patterns=None, namespace=None) -> set[str]:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            names |= _named_routes(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """Built once: the walks only read (GET), and each test rolls back its own writes."""
    from django.core.management import call_command

    with built_once(django_db_blocker):
        cast = make_cast()
        call_command("load_guide", verbosity=0)
        yield (
            cast,
            _build_world(
                recruiter=cast["recruiter"],
                hiring_manager=cast["hiring_manager"],
                other_manager=cast["other_manager"],
                interviewer=cast["interviewer"],
            ),
        )


@pytest.fixture
def world(module_world, db):
    return module_world[1]


@pytest.fixture
def recruiter(module_world):
    return module_world[0]["recruiter"]


@pytest.fixture
def hiring_manager(module_world):
    return module_world[0]["hiring_manager"]


@pytest.fixture
def interviewer(module_world):
    return module_world[0]["interviewer"]


@pytest.fixture
def outsider(module_world):
    return module_world[0]["outsider"]


def _build_world(*, recruiter, hiring_manager, other_manager, interviewer):
    """other_manager's open ML requisition in New York, with a candidate who has pay,
    interviewed by the interviewer and by hiring_manager (who does not manage it)."""
    requisition = open_requisition(
        actor=recruiter,
        hiring_manager=other_manager,
        track="ml-engineer",
        level="L3",
        zone="new-york",
        title="Senior ML engineer",
    )
    application = apply_candidate(
        requisition=requisition,
        actor=recruiter,
        full_name="Paula Paid",
        email="paula@example.com",
        expected_base=Decimal("187654"),
        current_base=Decimal("176543"),
    )
    application_move(
        application=application, to_stage="interview", expected_stage="applied", actor=recruiter
    )
    interview = InterviewFactory(
        application=application,
        round_name="System design",
        interviewers=[interviewer, hiring_manager],
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        created_by=recruiter,
    )
    scorecard = ScorecardFactory(interview=interview, interviewer=interviewer)
    application_move(
        application=application, to_stage="offer", expected_stage="interview", actor=recruiter
    )
    offer = offer_create(
        application=application,
        actor=recruiter,
        sign_on_bonus=Decimal("25432"),
        equity=Decimal("61234"),
        start_date=timezone.localdate() + datetime.timedelta(days=40),
        expires_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    return {
        "offer": offer,
        "requisition": requisition,
        "application": application,
        "candidate": application.candidate,
        "interview": interview,
        "scorecard": scorecard,
        "band": SalaryBand.objects.filter(track__isnull=True).first(),
    }


def _urls(world) -> dict[str, list[str]]:
    """Each named route, as URLs with real ids (and the filters that price bands)."""
    r, a, c = world["requisition"], world["application"], world["candidate"]
    i, s, b = world["interview"], world["scorecard"], world["band"]
    o = world["offer"]
    offer_actions = ("submit", "approve", "reject", "send", "accept", "decline", "rescind")
    document = c.documents.first()
    doc_id = document.pk if document else 999999
    return {
        "home": [reverse("home")],
        "healthz": [],  # public service status; answers no data (and pings the broker)
        "csp-report": [],  # POST only: takes browsers' CSP violation reports, answers no data
        "login": [reverse("login")],
        "sign-in-code": [reverse("sign-in-code")],
        "accounts:account": [reverse("accounts:account")],
        "accounts:two-factor": [reverse("accounts:two-factor")],
        "accounts:password-change": [reverse("accounts:password-change")],
        "access-log": [reverse("access-log")],  # paths and row counts, never amounts
        "roles:levels": [
            reverse("roles:levels") + f"?track={t}&zone={z}"
            for t, z in (("ai-engineer", "national"), ("ml-engineer", "new-york"))
        ],
        "candidates:list": [reverse("candidates:list"), reverse("candidates:list") + "?q=paula"],
        "candidates:create": [reverse("candidates:create")],
        "candidates:import": [reverse("candidates:import")],
        "candidates:import-template": [reverse("candidates:import-template")],
        "candidates:detail": [reverse("candidates:detail", args=[c.pk])],
        "candidates:edit": [reverse("candidates:edit", args=[c.pk])],
        "candidates:document-upload": [reverse("candidates:document-upload", args=[c.pk])],
        "candidates:document-download": [reverse("candidates:document-download", args=[doc_id])],
        "candidates:document-delete": [],  # POST only; answers a redirect
        "candidate-document": [],  # DELETE only; answers 204
        "candidates:erase": [reverse("candidates:erase", args=[c.pk])],
        "candidates:retention": [reverse("candidates:retention")],
        "candidates:retention-extend": [],  # POST only; answers a redirect
        "hiring:dashboard": [reverse("hiring:dashboard")],
        "reports:index": [reverse("reports:index")],
        "reports:download": [reverse("reports:download", args=[999999])],
        "reports:retry": [],  # POST only; answers a redirect
        "api-report-list": [reverse("api-report-list")],
        "api-report-detail": [reverse("api-report-detail", args=[999999])],
        "api-report-download": [reverse("api-report-download", args=[999999])],
        "hiring:requisition-list": [reverse("hiring:requisition-list")],
        "hiring:requisition-create": [reverse("hiring:requisition-create")],
        "hiring:requisition-detail": [reverse("hiring:requisition-detail", args=[r.pk])],
        "hiring:requisition-edit": [reverse("hiring:requisition-edit", args=[r.pk])],
        "hiring:requisition-jd": [reverse("hiring:requisition-jd", args=[r.pk])],
        "hiring:board-column": [
            reverse("hiring:board-column", args=[r.pk, a.stage]) + "?after=0.0"
        ],
        "hiring:board-move": [reverse("hiring:board-move", args=[r.pk])],
        "hiring:application-create": [reverse("hiring:application-create")],
        "hiring:application-move": [reverse("hiring:application-move", args=[a.pk])],
        "hiring:interview-create": [reverse("hiring:interview-create", args=[a.pk])],
        "hiring:interview-detail": [reverse("hiring:interview-detail", args=[i.pk])],
        "hiring:interview-edit": [reverse("hiring:interview-edit", args=[i.pk])],
        "hiring:interview-cancel": [reverse("hiring:interview-cancel", args=[i.pk])],
        "hiring:scorecard-create": [reverse("hiring:scorecard-create", args=[i.pk])],
        "hiring:my-interviews": [reverse("hiring:my-interviews")],
        "hiring:scorecards-due": [reverse("hiring:scorecards-due")],
        "hiring:application-note-create": [reverse("hiring:application-note-create", args=[a.pk])],
        "hiring:candidate-add": [
            reverse("hiring:candidate-add", args=[c.pk]),
            reverse("hiring:candidate-add", args=[c.pk]) + "?q=engineer",
        ],
        "hiring:requisition-open": [reverse("hiring:requisition-open", args=[r.pk])],
        "candidate-suggest": [reverse("candidate-suggest") + "?q=pa"],
        "api-token": [reverse("api-token")],
        "account-tokens": [reverse("account-tokens")],
        "api-tokens": [reverse("api-tokens")],
        "api-token-detail": [reverse("api-token-detail", args=["0123456789abcdef"])],
        "api-logout": [reverse("api-logout")],
        "api-logoutall": [reverse("api-logoutall")],
        "api-me": [reverse("api-me")],
        "track-list": [reverse("track-list")],
        "track-detail": [reverse("track-detail", args=[t.slug]) for t in Track.objects.all()],
        "level-list": [reverse("level-list")],
        "level-detail": [reverse("level-detail", args=["L3"])],
        "band-list": [
            reverse("band-list"),
            reverse("band-list") + "?track=ml-engineer&zone=new-york",
        ],
        "band-detail": [reverse("band-detail", args=[b.pk])],
        "zone-list": [reverse("zone-list")],
        "zone-detail": [reverse("zone-detail", args=[z.slug]) for z in Zone.objects.all()],
        "market-figure-list": [reverse("market-figure-list")],
        "market-figure-detail": [
            reverse("market-figure-detail", args=[f.key]) for f in MarketFigure.objects.all()
        ],
        "candidate-document-download": [reverse("candidate-document-download", args=[doc_id])],
        "candidate-list": [reverse("candidate-list"), reverse("candidate-list") + "?search=paula"],
        "candidate-import-csv": [reverse("candidate-import-csv")],
        "candidate-detail": [reverse("candidate-detail", args=[c.pk])],
        "candidate-documents": [reverse("candidate-documents", args=[c.pk])],
        "requisition-list": [reverse("requisition-list")],
        "requisition-detail": [reverse("requisition-detail", args=[r.pk])],
        "requisition-job-description": [reverse("requisition-job-description", args=[r.pk])],
        "application-list": [reverse("application-list")],
        "application-detail": [reverse("application-detail", args=[a.pk])],
        "application-move": [reverse("application-move", args=[a.pk])],
        "application-stage-changes": [reverse("application-stage-changes", args=[a.pk])],
        "interview-list": [reverse("interview-list")],
        "interview-detail": [reverse("interview-detail", args=[i.pk])],
        "scorecard-list": [reverse("scorecard-list")],
        "scorecard-detail": [reverse("scorecard-detail", args=[s.pk])],
        "hiring:application-detail": [reverse("hiring:application-detail", args=[a.pk])],
        "offers:list": [reverse("offers:list"), reverse("offers:list") + "?waiting=on"],
        "offers:create": [reverse("offers:create")],
        "offers:detail": [reverse("offers:detail", args=[o.pk])],
        "offers:edit": [reverse("offers:edit", args=[o.pk])],
        "offers:letter": [reverse("offers:letter", args=[o.pk])],
        "offers:letter-pdf": [reverse("offers:letter-pdf", args=[o.pk])],
        "offers:action": [reverse("offers:action", args=[o.pk, act]) for act in offer_actions],
        "api-recommendations": [reverse("api-recommendations")],
        "offer-list": [reverse("offer-list")],
        "offer-detail": [reverse("offer-detail", args=[o.pk])],
        "offer-letter": [reverse("offer-letter", args=[o.pk])],
        **{f"offer-{act}": [reverse(f"offer-{act}", args=[o.pk])] for act in offer_actions},
        "schema": [reverse("schema")],
        "api-docs": [reverse("api-docs")],
    }


def _amounts(world) -> set[int]:
    """Every money figure the database holds, whole units, as the product could show it."""
    figures: set[Decimal] = set()
    for band in SalaryBand.objects.select_related("track", "level"):
        figures |= {band.base_min, band.base_max}
        for track in Track.objects.all():
            for zone in Zone.objects.all():
                priced = price_version(band=band, track=track, zone=zone)
                figures |= {priced.adjusted.low, priced.adjusted.high}
    for candidate in Candidate.objects.all():
        figures |= {candidate.expected_base, candidate.current_base}
    requisition = world["requisition"]
    figures |= {requisition.posted_min, requisition.posted_max}
    for offer in Offer.objects.all():
        figures |= {offer.base_salary, offer.sign_on_bonus, offer.equity}
        figures |= {offer.adjusted_min, offer.adjusted_max}
    money = MarketFigure.objects.filter(unit__in=MarketFigure.MONEY_UNITS)
    for figure in money:
        figures |= {figure.value_low, figure.value_high}
    return {int(f) for f in figures if f is not None and f >= 100}


#: A whole number as a page could print it: not part of a longer number or a decimal.
NUMBER = re.compile(r"(?<![\d,.])\d[\d,]*")


def _leaks(body: str, amounts: set[int]) -> list[str]:
    """The amounts in ``body``, plain (160000) or grouped (160,000), and any figure after a
    currency sign. One pass over the body, whatever the number of amounts."""
    # Small figures (hourly rates) are caught by their currency sign below; as bare
    # numbers they would match field lengths and the like.
    large = {a for a in amounts if a >= 1000}
    found = []
    for match in NUMBER.finditer(body):
        text = match.group().rstrip(",")
        digits = text.replace(",", "")
        if int(digits) in large and text in (digits, f"{int(digits):,}"):
            found.append(text)
    found += re.findall(r"[$€£]\s?\d[\d,]*", body)
    return found


def test_the_leak_check_finds_plain_grouped_and_currency_figures():
    amounts = {160000, 216000, 55}
    body = "a 160000 b 216,000.00 c 1160000 d 160000.5 e $55 f 2160000 g 160,000,"

    assert sorted(set(_leaks(body, amounts))) == ["$55", "160,000", "160000", "216,000"]


def _walk(user, urls, amounts) -> dict[str, list[str]]:
    page, api = api_client_for(user, token=False), api_client_for(user)
    leaks = {}
    for name, targets in urls.items():
        for url in targets:
            client = api if url.startswith("/api/v1/") else page
            response = client.get(url, HTTP_ACCEPT="text/html,application/json")
            body = b"".join(response) if response.streaming else response.content
            found = _leaks(body.decode("utf-8", "replace"), amounts)
            if found:
                leaks[f"{name} {url} ({response.status_code})"] = sorted(set(found))
    return leaks


def test_the_walk_covers_every_named_route(world):
    assert _named_routes() - set(_urls(world)) - set(NOT_WALKED) == set()


#: Where a recruiter sees pay: the walk's check must find the figures on each of them.
PAY_SHOWN_TO_RECRUITERS = (
    "band-list",
    "candidates:detail",
    "requisition-detail",
    "roles:levels",
    "offer-detail",
    "offers:detail",
    "hiring:application-detail",
)


def test_the_walk_finds_the_amounts_where_pay_is_allowed(world, recruiter):
    """The check itself works: a recruiter's walk of the pages that show pay finds the
    figures on every one of them."""
    urls = {name: _urls(world)[name] for name in PAY_SHOWN_TO_RECRUITERS}
    leaks = _walk(recruiter, urls, _amounts(world))
    for name in PAY_SHOWN_TO_RECRUITERS:
        assert any(key.startswith(f"{name} ") for key in leaks), name


@pytest.mark.parametrize("who", ["interviewer", "outsider"])
def test_no_amount_anywhere_for_those_who_never_see_pay(world, who, request):
    user = request.getfixturevalue(who)
    assert _walk(user, _urls(world), _amounts(world)) == {}


def test_a_manager_on_another_managers_panel_sees_no_pay_of_it(world, hiring_manager):
    assert Interview.objects.filter(interviewers=hiring_manager).exists()
    urls = {
        name: targets
        for name, targets in _urls(world).items()
        if not name.startswith(("roles:", "band-", "track-", "zone-", "market-figure-"))
    }
    # Role data (the guide's published bands) stays visible to managers; nothing else of
    # that requisition does: its posted range equals the priced band, so leave those out.
    requisition, candidate, offer = world["requisition"], world["candidate"], world["offer"]
    amounts = {
        int(requisition.posted_min),
        int(requisition.posted_max),
        int(candidate.expected_base),
        int(candidate.current_base),
        int(offer.base_salary),
        int(offer.sign_on_bonus),
        int(offer.equity),
    }
    assert _walk(hiring_manager, urls, amounts) == {}
