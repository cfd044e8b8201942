"""The "Levels & bands" page: every signed-in user, ladder per track and zone, fixed queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from roles.models import Level, MarketFigure, SalaryBand, Source
from roles.services import band_revise
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/roles/levels/"


def page(client, user, **params):
    if user is not None:
        client.login(username=user.username, password=PASSWORD)
    return client.get(URL, params)


def test_url_name_is_roles_levels():
    assert reverse("roles:levels") == URL


@pytest.mark.parametrize(
    "role", ["admin", "comp_admin", "recruiter", "hiring_manager", "interviewer", "outsider"]
)
def test_every_signed_in_user_sees_the_ladder(client, cast, guide, role):
    """Levels and years for everyone; the bands only for those who may see pay (core.pay)."""
    response = page(client, cast[role])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Junior AI Engineer / ML Engineer I" in html
    assert "Zone 3" in html
    assert [r.level.code for r in response.context["rows"]] == ["L1", "L2", "L3", "L4", "L5"]
    sees_pay = role not in ("interviewer", "outsider")
    assert ("$90,000\u2013$120,000" in html) is sees_pay
    assert ("$250,000\u2013$350,000+" in html) is sees_pay
    assert ("$" in html) is sees_pay


def test_anonymous_is_sent_to_login(client, guide):
    response = page(client, None)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_track_and_zone_premiums_are_applied_and_cited(client, recruiter, guide):
    response = page(client, recruiter, track="ml-engineer", zone="san-francisco")
    html = response.content.decode()
    first = response.context["rows"][0].priced
    assert (first.track_pct, first.zone_pct) == (Decimal("7.50"), Decimal("35.00"))
    assert (first.adjusted.low, first.adjusted.high) == (Decimal("130613"), Decimal("174150"))
    assert "$130,613\u2013$174,150" in html
    assert "MRJ Recruitment, 2026, Jan 2026" in html
    assert "Salary-history ban" in html
    assert "The product&#x27;s choice: the midpoint of the guide&#x27;s 20\u201350 % range" in html


def test_track_without_a_band_says_so_plainly(client, recruiter, guide):
    response = page(client, recruiter, track="data-scientist", zone="national")
    html = response.content.decode()
    assert "The guide gives no band for this track" in html
    assert html.count("The guide gives no band for this track at this level.") == 5
    assert all(row.priced is None for row in response.context["rows"])
    assert "$90,000" not in html.split("Market figures")[0]


def test_unknown_selector_value_is_reported_inline_and_defaults_are_shown(client, recruiter, guide):
    response = page(client, recruiter, track="astronaut", zone="mars")
    assert response.status_code == 200
    assert response.context["form_errors"] == {
        "track": "Unknown track 'astronaut': showing the default instead.",
        "zone": "Unknown zone 'mars': showing the default instead.",
    }
    assert (response.context["track"].slug, response.context["zone"].slug) == (
        "ai-engineer",
        "national",
    )


def test_market_figures_are_listed_with_sources(client, recruiter, guide):
    html = page(client, recruiter).content.decode()
    assert "US median AI engineer salary" in html
    assert "$160,000 a year" in html
    assert "$120\u2013$150+ an hour" in html
    assert "40\u201350 %" in html
    assert "26 % growth" in html
    assert "IntuitionLabs, 2025" in html
    assert "U.S. Bureau of Labor Statistics (BLS), Projection 2023\u20132033" in html


def test_page_shows_the_version_in_effect_today(client, recruiter, comp_admin, guide):
    old = SalaryBand.objects.get(track__isnull=True, level__code="L1")
    band_revise(
        band=old,
        base_min=Decimal("91000"),
        base_max=Decimal("121000"),
        open_ended_top=False,
        effective_from=datetime.date.today(),
        source=old.source,
        change_note="",
        actor=comp_admin,
    )
    html = page(client, recruiter).content.decode()
    assert "$91,000\u2013$121,000" in html
    assert "$90,000\u2013$120,000" not in html


def _grow(actor):
    """Many band versions and figures: the query count must not change."""
    for level in Level.objects.all():
        band = SalaryBand.objects.get(track__isnull=True, level=level)
        for month in (2, 3, 4):
            band = band_revise(
                band=band,
                base_min=band.base_min,
                base_max=band.base_max + 1,
                open_ended_top=band.open_ended_top,
                effective_from=datetime.date(2025, month, 1) + datetime.timedelta(days=400),
                source=band.source,
                change_note="",
                actor=actor,
            )
    source = Source.objects.first()
    MarketFigure.objects.bulk_create(
        MarketFigure(key=f"extra-{i}", label=f"Extra {i}", value_low=i, unit="count", source=source)
        for i in range(30)
    )


@pytest.mark.parametrize("grow", [False, True])
def test_query_count_is_fixed(
    client, recruiter, comp_admin, guide, grow, django_assert_max_num_queries
):
    if grow:
        _grow(comp_admin)
    client.login(username=recruiter.username, password=PASSWORD)
    with django_assert_max_num_queries(9):
        response = client.get(URL, {"track": "ml-engineer", "zone": "new-york"})
    assert response.status_code == 200
