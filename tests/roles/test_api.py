"""Role data API: every endpoint for every role, filters, versions and bad input."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from roles.api import SOURCE_FIELDS
from roles.models import Certification, Level, MarketFigure, SalaryBand, Source, Track, Zone
from roles.services import band_revise
from tests.conftest import built_once, make_cast

pytestmark = pytest.mark.django_db

READERS = ["admin", "comp_admin", "recruiter", "hiring_manager", "interviewer", "outsider"]
WRITERS = ["admin", "comp_admin"]
NON_WRITERS = ["recruiter", "hiring_manager", "interviewer", "outsider"]
ALL_ROLES = [*READERS, "anonymous"]
SOURCE = {"publisher": "MRJ Recruitment", "year": 2026, "detail": ""}

RESOURCES = {
    "tracks": {
        "detail": "ml-engineer",
        "model": Track,
        "base_count": 7,
        "lookup": "slug",
        "create": {
            "slug": "ml-ops",
            "name": "MLOps Engineer",
            "premium_low_pct": "1",
            "premium_high_pct": "3",
            "premium_default_pct": "2",
            "premium_source": SOURCE,
        },
        "patch": {"name": "Machine Learning Engineer"},
        "patched_field": ("name", "Machine Learning Engineer"),
        "disposable": lambda: Track.objects.create(slug="spare", name="Spare"),
    },
    "levels": {
        "detail": "L3",
        "model": Level,
        "base_count": 5,
        "lookup": "code",
        "create": {
            "code": "L6",
            "title": "Fellow",
            "min_years": "25",
            "summary": "Rare.",
            "expected_certifications": ["aws-ml-specialty"],
            "source": SOURCE,
        },
        "patch": {"summary": "Owns large AI systems."},
        "patched_field": ("summary", "Owns large AI systems."),
        "disposable": lambda: Level.objects.create(code="L9", title="x", min_years=40, summary="x"),
    },
    "zones": {
        "detail": "san-francisco",
        "model": Zone,
        "base_count": 4,
        "lookup": "slug",
        "create": {
            "slug": "seattle",
            "name": "Seattle",
            "premium_low_pct": "10",
            "premium_high_pct": "20",
            "premium_default_pct": "15",
            "source": SOURCE,
        },
        "patch": {"premium_default_pct": "40"},
        "patched_field": ("premium_default_pct", Decimal("40")),
        "disposable": lambda: Zone.objects.create(slug="spare", name="Spare"),
    },
    "market-figures": {
        "detail": "us-median-salary",
        "model": MarketFigure,
        "base_count": 21,
        "lookup": "key",
        "create": {
            "key": "new-figure",
            "label": "New",
            "value_low": "10",
            "unit": "percent",
            "source": SOURCE,
        },
        "patch": {"note": "Checked."},
        "patched_field": ("note", "Checked."),
        "disposable": lambda: MarketFigure.objects.filter(key="remote-share").first(),
    },
}


NO_PAY_ROLES = ("interviewer", "outsider")
# The guide's figures in dollars (a year or an hour): pay, per core.pay.
MONEY_FIGURES = 7


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The cast and the guide's role data, built once for this module's ~450 tests."""
    from django.core.management import call_command

    with built_once(django_db_blocker):
        cast = make_cast()
        call_command("load_guide", verbosity=0)
        yield cast


@pytest.fixture
def cast(module_world, db):
    return module_world


@pytest.fixture
def guide(module_world, db):
    """Already loaded for the module (each test's writes roll back)."""


@pytest.fixture
def comp_admin(cast):
    return cast["comp_admin"]


@pytest.fixture
def recruiter(cast):
    return cast["recruiter"]


def snapshot(model):
    return list(model.objects.order_by("pk").values())


def client_for(api, cast, role):
    return api(cast[role])


# --- reads -----------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", [*RESOURCES, "bands"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_list_is_open_to_every_signed_in_user(api, cast, guide, role, resource):
    """Except pay (core.pay): no bands, and no money figures, for those who never see pay."""
    response = client_for(api, cast, role).get(f"/api/v1/{resource}/")
    if role == "anonymous":
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        return
    sees_pay = role not in NO_PAY_ROLES
    if resource == "bands" and not sees_pay:
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        return
    assert response.status_code == 200
    figures = 21 if sees_pay else 21 - MONEY_FIGURES
    assert (
        response.json()["count"]
        == {"tracks": 7, "levels": 5, "zones": 4, "market-figures": figures, "bands": 5}[resource]
    )


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_detail_is_open_to_every_signed_in_user(api, cast, guide, role, resource):
    response = client_for(api, cast, role).get(
        f"/api/v1/{resource}/{RESOURCES[resource]['detail']}/"
    )
    # The median salary is a money figure: hidden (404) from those who never see pay.
    hidden = resource == "market-figures" and role in NO_PAY_ROLES
    assert response.status_code == (401 if role == "anonymous" else 404 if hidden else 200)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_band_detail_is_open_to_every_signed_in_user(api, cast, guide, role):
    band = SalaryBand.objects.get(level__code="L4")
    response = client_for(api, cast, role).get(f"/api/v1/bands/{band.pk}/")
    if role == "anonymous":
        assert response.status_code == 401
        return
    if role in NO_PAY_ROLES:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert response.json() | {"id": 0, "created_at": ""} == {
        "id": 0,
        "track": None,
        "level": "L4",
        "currency": "USD",
        "base_min": "200000.00",
        "base_max": "312000.00",
        "open_ended_top": True,
        "effective_from": "2026-01-01",
        "effective_to": None,
        "is_current": True,
        "source": SOURCE,
        "supersedes": None,
        "change_note": "Loaded from the career guide (load_guide)",
        "created_at": "",
        "created_by": None,
        "adjusted": None,
    }


def test_every_figure_response_cites_its_source(api, recruiter, guide):
    client = api(recruiter)
    tracks = {t["slug"]: t for t in client.get("/api/v1/tracks/").json()["results"]}
    assert tracks["ml-engineer"]["premium_source"] == {**SOURCE, "detail": "Jan 2026"}
    assert tracks["data-scientist"]["premium_source"] is None
    assert tracks["ml-engineer"]["premium_default_pct"] == "7.50"
    zones = client.get("/api/v1/zones/").json()["results"]
    assert all(z["source"]["publisher"] for z in zones)
    figures = client.get("/api/v1/market-figures/").json()["results"]
    median = next(f for f in figures if f["key"] == "us-median-salary")
    assert (median["value_low"], median["source"]) == (
        "160000.00",
        {"publisher": "Rise", "year": 2026, "detail": ""},
    )
    growth = next(f for f in figures if f["key"] == "job-growth")
    assert growth["source"]["year"] is None
    levels = client.get("/api/v1/levels/").json()["results"]
    assert levels[1]["expected_certifications"] == [
        "aws-ml-specialty",
        "azure-ai-engineer-associate",
    ]


# --- writes: every role ---------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_create_is_for_compensation_admins_only(api, cast, guide, role, resource):
    spec = RESOURCES[resource]
    before = snapshot(spec["model"])
    response = client_for(api, cast, role).post(
        f"/api/v1/{resource}/", spec["create"], format="json"
    )
    if role in WRITERS:
        assert response.status_code == 201, response.json()
        key = spec["create"][spec["lookup"]]
        created = spec["model"].objects.get(**{spec["lookup"]: key})
        assert created.history.first().history_user == cast[role]
        return
    assert response.status_code == (401 if role == "anonymous" else 403)
    assert snapshot(spec["model"]) == before


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_source_without_a_year_is_cited_without_one(api, cast, guide, resource):
    """The year is optional in the source; leaving it out was a 500 (found by tests/api_fuzz)."""
    spec = RESOURCES[resource]
    name = SOURCE_FIELDS[spec["model"]]
    body = {**spec["create"], name: {"publisher": "A new publisher", "detail": "p. 4"}}

    response = client_for(api, cast, "comp_admin").post(f"/api/v1/{resource}/", body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()[name] == {
        "publisher": "A new publisher",
        "year": None,
        "detail": "p. 4",
    }


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_patch_with_a_source_without_its_publisher_is_400(api, cast, guide, resource):
    """A partial update made the nested source partial too: a 500 (found by tests/api_fuzz)."""
    spec = RESOURCES[resource]
    name = SOURCE_FIELDS[spec["model"]]
    before = snapshot(spec["model"])

    response = client_for(api, cast, "comp_admin").patch(
        f"/api/v1/{resource}/{spec['detail']}/", {name: {"year": 2026}}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {f"{name}.publisher": ["This field is required."]}
    assert snapshot(spec["model"]) == before


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_update_is_for_compensation_admins_only(api, cast, guide, role, resource):
    spec = RESOURCES[resource]
    before = snapshot(spec["model"])
    url = f"/api/v1/{resource}/{spec['detail']}/"
    response = client_for(api, cast, role).patch(url, spec["patch"], format="json")
    field, value = spec["patched_field"]
    row = spec["model"].objects.get(**{spec["lookup"]: spec["detail"]})
    if role in WRITERS:
        assert response.status_code == 200, response.json()
        assert getattr(row, field) == value
        assert row.history.first().history_user == cast[role]
        return
    assert response.status_code == (401 if role == "anonymous" else 403)
    assert snapshot(spec["model"]) == before


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_delete_is_for_compensation_admins_only(api, cast, guide, role, resource):
    spec = RESOURCES[resource]
    row = spec["disposable"]()
    before = snapshot(spec["model"])
    url = f"/api/v1/{resource}/{getattr(row, spec['lookup'])}/"
    response = client_for(api, cast, role).delete(url)
    if role in WRITERS:
        assert response.status_code == 204
        assert not spec["model"].objects.filter(pk=row.pk).exists()
        return
    assert response.status_code == (401 if role == "anonymous" else 403)
    assert snapshot(spec["model"]) == before


def test_deleting_a_level_in_use_is_refused_with_409(api, comp_admin, guide):
    response = api(comp_admin).delete("/api/v1/levels/L1/")
    assert response.status_code == 409
    assert response.json()["code"] == "in_use"
    assert Level.objects.filter(code="L1").exists()


NEW_BAND = {
    "track": "ml-engineer",
    "level": "L3",
    "base_min": "170000",
    "base_max": "250000",
    "effective_from": "2026-03-01",
    "source": SOURCE,
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_band_create_is_for_compensation_admins_only(api, cast, guide, role):
    before = snapshot(SalaryBand)
    response = client_for(api, cast, role).post("/api/v1/bands/", NEW_BAND, format="json")
    if role in WRITERS:
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["track"], body["level"], body["base_min"], body["effective_to"]) == (
            "ml-engineer",
            "L3",
            "170000.00",
            None,
        )
        assert SalaryBand.objects.get(pk=body["id"]).created_by == cast[role]
        assert len(snapshot(SalaryBand)) == len(before) + 1
        return
    assert response.status_code == (401 if role == "anonymous" else 403)
    assert snapshot(SalaryBand) == before


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_band_revision_creates_a_new_version_and_keeps_the_old(api, cast, guide, role, method):
    old = SalaryBand.objects.get(track__isnull=True, level__code="L2")
    before = snapshot(SalaryBand)
    payload = {
        "base_min": "125000",
        "base_max": "165000",
        "open_ended_top": False,
        "effective_from": "2026-07-01",
        "source": SOURCE,
        "change_note": "Q3 review",
    }
    response = getattr(client_for(api, cast, role), method)(
        f"/api/v1/bands/{old.pk}/", payload, format="json"
    )
    if role not in WRITERS:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert snapshot(SalaryBand) == before
        return
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] != old.pk
    assert (body["base_min"], body["base_max"], body["supersedes"], body["change_note"]) == (
        "125000.00",
        "165000.00",
        old.pk,
        "Q3 review",
    )
    old.refresh_from_db()
    assert (old.base_min, old.base_max, old.effective_to) == (
        Decimal("120000"),
        Decimal("160000"),
        datetime.date(2026, 7, 1),
    )


def test_band_patch_carries_over_omitted_values(api, comp_admin, guide):
    old = SalaryBand.objects.get(track__isnull=True, level__code="L5")
    response = api(comp_admin).patch(
        f"/api/v1/bands/{old.pk}/",
        {"base_max": "360000", "effective_from": "2026-07-01"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["base_min"], body["base_max"], body["open_ended_top"], body["source"]) == (
        "250000.00",
        "360000.00",
        True,
        SOURCE,
    )


def test_band_patch_without_effective_date_is_refused(api, comp_admin, guide):
    old = SalaryBand.objects.get(track__isnull=True, level__code="L5")
    before = snapshot(SalaryBand)
    response = api(comp_admin).patch(
        f"/api/v1/bands/{old.pk}/", {"base_max": "360000"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["effective_from"]
    assert snapshot(SalaryBand) == before


def test_revising_a_closed_version_is_a_conflict(api, comp_admin, guide):
    old = SalaryBand.objects.get(track__isnull=True, level__code="L1")
    band_revise(
        band=old,
        base_min=Decimal("95000"),
        base_max=Decimal("125000"),
        open_ended_top=False,
        effective_from=datetime.date(2026, 5, 1),
        source=old.source,
        change_note="",
        actor=comp_admin,
    )
    before = snapshot(SalaryBand)
    response = api(comp_admin).patch(
        f"/api/v1/bands/{old.pk}/", {"base_max": "1", "effective_from": "2026-09-01"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "band_version_closed"
    assert snapshot(SalaryBand) == before


@pytest.mark.parametrize("role", ALL_ROLES)
def test_band_versions_cannot_be_deleted(api, cast, guide, role):
    band = SalaryBand.objects.get(track__isnull=True, level__code="L1")
    before = snapshot(SalaryBand)
    response = client_for(api, cast, role).delete(f"/api/v1/bands/{band.pk}/")
    expected = 405 if role in WRITERS else (401 if role == "anonymous" else 403)
    assert response.status_code == expected
    if role in WRITERS:
        assert "cannot be deleted" in response.json()["detail"]
    assert snapshot(SalaryBand) == before


# --- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"base_min": "300000", "base_max": "200000"}, "base_min"),
        ({"base_min": "-1"}, "base_min"),
        ({"base_max": "-100"}, "base_max"),
        ({"track": "no-such-track"}, "track"),
        ({"level": "L42"}, "level"),
        ({"currency": "us"}, "currency"),
    ],
)
def test_bad_band_is_refused_naming_the_field(api, comp_admin, guide, change, field):
    before = snapshot(SalaryBand)
    payload = {**NEW_BAND, "track": None, **change}
    response = api(comp_admin).post("/api/v1/bands/", payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert snapshot(SalaryBand) == before


def test_a_revision_not_after_the_current_version_is_a_409(api, comp_admin, guide):
    old = SalaryBand.objects.get(track__isnull=True, level__code="L2")
    before = snapshot(SalaryBand)
    payload = {"effective_from": "2025-12-01"}
    response = api(comp_admin).patch(f"/api/v1/bands/{old.pk}/", payload, format="json")
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "band_overlap"
    assert response.json()["errors"] == {
        "effective_from": [
            f"Must be after the current version's effective date ({old.effective_from})."
        ]
    }
    assert snapshot(SalaryBand) == before


def test_a_band_overlapping_a_stored_version_is_a_409(api, comp_admin, guide):
    before = snapshot(SalaryBand)
    payload = {**NEW_BAND, "track": None, "effective_from": "2026-06-01"}  # the guide's L3
    response = api(comp_admin).post("/api/v1/bands/", payload, format="json")
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == "band_overlap"
    assert response.json()["errors"]["effective_from"][0].startswith(
        "Overlaps the version valid from "
    )
    assert snapshot(SalaryBand) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"base_min": "400000"}, "base_min"),
        ({"base_max": "-1"}, "base_max"),
    ],
)
def test_bad_revision_is_refused_naming_the_field(api, comp_admin, guide, change, field):
    old = SalaryBand.objects.get(track__isnull=True, level__code="L2")
    before = snapshot(SalaryBand)
    payload = {"effective_from": "2026-07-01", **change}
    response = api(comp_admin).patch(f"/api/v1/bands/{old.pk}/", payload, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert snapshot(SalaryBand) == before


@pytest.mark.parametrize(
    ("resource", "payload", "field"),
    [
        ("tracks", {"premium_high_pct": "150"}, "premium_high_pct"),
        ("tracks", {"premium_low_pct": "-5"}, "premium_low_pct"),
        ("tracks", {"premium_default_pct": "12"}, "premium_default_pct"),  # above high (10)
        ("zones", {"premium_default_pct": "101"}, "premium_default_pct"),
        ("zones", {"premium_low_pct": "60"}, "premium_default_pct"),  # low above applied
        ("market-figures", {"value_low": "-3"}, "value_low"),
        ("levels", {"min_years": "-1"}, "min_years"),
    ],
)
def test_bad_role_data_is_refused_naming_the_field(
    api, comp_admin, guide, resource, payload, field
):
    spec = RESOURCES[resource]
    before = snapshot(spec["model"])
    response = api(comp_admin).patch(
        f"/api/v1/{resource}/{spec['detail']}/", payload, format="json"
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert snapshot(spec["model"]) == before


# --- filters ------------------------------------------------------------------------------------


def test_track_and_zone_filter_returns_adjusted_bands(api, recruiter, guide):
    response = api(recruiter).get(
        "/api/v1/bands/", {"track": "ml-engineer", "zone": "san-francisco", "as_of": "2026-06-01"}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [b["level"] for b in results] == ["L1", "L2", "L3", "L4", "L5"]
    assert results[0]["adjusted"] == {
        "min": "130613.00",  # 90,000 * 1.075 * 1.35 = 130,612.5, rounded half up
        "max": "174150.00",
        "open_ended_top": False,
        "track_premium_pct": "7.50",
        "zone_premium_pct": "35.00",
    }
    assert results[3]["adjusted"]["open_ended_top"] is True


def test_remote_zone_adds_no_location_premium(api, recruiter, guide):
    response = api(recruiter).get(
        "/api/v1/bands/", {"track": "ai-engineer", "zone": "remote", "level": "L3"}
    )
    [band] = response.json()["results"]
    assert band["adjusted"] == {
        "min": "155000.00",
        "max": "230000.00",
        "open_ended_top": False,
        "track_premium_pct": "0.00",
        "zone_premium_pct": "0.00",
    }


def test_track_without_guide_band_returns_no_bands(api, recruiter, guide):
    response = api(recruiter).get("/api/v1/bands/", {"track": "data-scientist", "zone": "national"})
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("value", ["ladder", ""])
def test_ladder_filter_returns_shared_ladder_only(api, recruiter, comp_admin, guide, value):
    api(comp_admin).post("/api/v1/bands/", NEW_BAND, format="json")
    response = api(recruiter).get("/api/v1/bands/", {"track": value})
    assert [b["track"] for b in response.json()["results"]] == [None] * 5


def test_track_own_band_takes_precedence_over_the_ladder(api, recruiter, comp_admin, guide):
    assert api(comp_admin).post("/api/v1/bands/", NEW_BAND, format="json").status_code == 201
    response = api(recruiter).get(
        "/api/v1/bands/", {"track": "ml-engineer", "zone": "national", "as_of": "2026-06-01"}
    )
    results = response.json()["results"]
    assert [(b["level"], b["track"]) for b in results] == [
        ("L1", None),
        ("L2", None),
        ("L3", "ml-engineer"),
        ("L4", None),
        ("L5", None),
    ]
    # the track's own band already prices the track: no premium on top
    assert results[2]["adjusted"]["track_premium_pct"] == "0.00"
    assert results[2]["adjusted"]["min"] == "170000.00"


def test_as_of_filter_picks_the_version_in_effect(api, recruiter, comp_admin, guide):
    old = SalaryBand.objects.get(track__isnull=True, level__code="L2")
    band_revise(
        band=old,
        base_min=Decimal("125000"),
        base_max=Decimal("165000"),
        open_ended_top=False,
        effective_from=datetime.date(2026, 7, 1),
        source=old.source,
        change_note="",
        actor=comp_admin,
    )
    client = api(recruiter)
    assert [
        b["base_min"] for b in client.get("/api/v1/bands/", {"level": "L2"}).json()["results"]
    ] == ["125000.00", "120000.00"]
    june = client.get("/api/v1/bands/", {"level": "L2", "as_of": "2026-06-30"}).json()["results"]
    july = client.get("/api/v1/bands/", {"level": "L2", "as_of": "2026-07-01"}).json()["results"]
    assert [b["base_min"] for b in june] == ["120000.00"]
    assert [b["base_min"] for b in july] == ["125000.00"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"track": "astronaut"}, "track"),
        ({"zone": "mars"}, "zone"),
        ({"level": "L9"}, "level"),
        ({"as_of": "yesterday"}, "as_of"),
    ],
)
def test_unknown_filter_value_is_a_400_naming_the_field(api, recruiter, guide, params, field):
    response = api(recruiter).get("/api/v1/bands/", params)
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["detail"].startswith(f"{field}: ")


def _add_versions(level, count, actor):
    band = SalaryBand.objects.get(track__isnull=True, level=level)
    for month in range(2, 2 + count):
        band = band_revise(
            band=band,
            base_min=band.base_min,
            base_max=band.base_max + 1,
            open_ended_top=band.open_ended_top,
            effective_from=datetime.date(2026, month, 1),
            source=band.source,
            change_note="",
            actor=actor,
        )


@pytest.mark.parametrize("extra_versions", [0, 10])
def test_band_list_query_count_is_fixed(
    api, recruiter, comp_admin, guide, extra_versions, django_assert_max_num_queries
):
    _add_versions(Level.objects.get(code="L3"), extra_versions, comp_admin)
    client = api(recruiter)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/bands/", {"track": "ml-engineer", "zone": "new-york"})
    assert response.json()["count"] == 5 + extra_versions


def _more_rows(resource: str, count: int) -> None:
    source = Source.objects.first()
    rows = {
        "tracks": lambda i: Track(slug=f"extra-{i}", name=f"Extra {i}", premium_source=source),
        "levels": lambda i: Level(
            code=f"X{i}", title="x", min_years=30 + i, summary="x", source=source
        ),
        "zones": lambda i: Zone(slug=f"extra-{i}", name=f"Extra {i}", source=source),
        "market-figures": lambda i: MarketFigure(
            key=f"extra-{i}", label="x", value_low=i, unit="count", source=source
        ),
    }
    model = RESOURCES[resource]["model"]
    model.objects.bulk_create(rows[resource](i) for i in range(count))
    if resource == "levels":
        cert = Certification.objects.first()
        for level in Level.objects.filter(code__startswith="X"):
            level.expected_certifications.add(cert)


@pytest.mark.parametrize("extra_rows", [0, 20])
@pytest.mark.parametrize("resource", RESOURCES)
def test_role_data_list_query_count_is_fixed(
    api, recruiter, guide, resource, extra_rows, django_assert_max_num_queries
):
    _more_rows(resource, extra_rows)
    client = api(recruiter)
    with django_assert_max_num_queries(4):
        response = client.get(f"/api/v1/{resource}/")
    assert response.status_code == 200
    assert len(response.json()["results"]) == RESOURCES[resource]["base_count"] + extra_rows
