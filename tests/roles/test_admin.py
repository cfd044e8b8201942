"""Role data in the Django admin: comp admins edit, staff view, bands open new versions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from roles.models import SalaryBand, Track
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_viewer(db):
    user = make_user("staff_viewer")
    user.is_staff = True
    user.save()
    return user


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def ladder_band(code="L2") -> SalaryBand:
    return SalaryBand.objects.select_related("source").get(track__isnull=True, level__code=code)


def revision_form(band, **overrides):
    return {
        "base_min": "125000",
        "base_max": "165000",
        "open_ended_top": "",
        "effective_from": "2026-07-01",
        "source": str(band.source_id),
        "change_note": "Q3 review",
        **overrides,
    }


def change_url(band):
    return reverse("admin:roles_salaryband_change", args=[band.pk])


def test_comp_admin_editing_a_band_creates_a_new_version_and_keeps_the_old(
    client, comp_admin, guide
):
    old = ladder_band()
    response = signed_in(client, comp_admin).post(change_url(old), revision_form(old))
    assert response.status_code == 302
    new = SalaryBand.objects.get(track__isnull=True, level__code="L2", effective_to__isnull=True)
    assert new.pk != old.pk
    assert (new.base_min, new.base_max, new.supersedes_id, new.created_by) == (
        Decimal("125000"),
        Decimal("165000"),
        old.pk,
        comp_admin,
    )
    old.refresh_from_db()
    assert (old.base_min, old.base_max, old.effective_to) == (
        Decimal("120000"),
        Decimal("160000"),
        datetime.date(2026, 7, 1),
    )
    assert new.history.first().history_user == comp_admin


def test_comp_admin_adds_a_band_through_the_service(client, comp_admin, guide):
    track = Track.objects.get(slug="ml-engineer")
    band = ladder_band("L4")
    response = signed_in(client, comp_admin).post(
        reverse("admin:roles_salaryband_add"),
        {
            "track": str(track.pk),
            "level": str(band.level_id),
            "currency": "USD",
            "base_min": "215000",
            "base_max": "335000",
            "open_ended_top": "on",
            "effective_from": "2026-02-01",
            "source": str(band.source_id),
            "change_note": "",
        },
    )
    assert response.status_code == 302
    created = SalaryBand.objects.get(track=track)
    assert (created.base_min, created.open_ended_top, created.created_by) == (
        Decimal("215000"),
        True,
        comp_admin,
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"base_min": "200000", "base_max": "100000"}, "base_min", "must not exceed base maximum"),
        ({"base_min": "-5"}, "base_min", "Amounts cannot be negative."),
        ({"effective_from": "2025-12-01"}, "effective_from", "pick a later date"),
    ],
)
def test_bad_band_edit_shows_the_error_on_the_field_and_saves_nothing(
    client, comp_admin, guide, overrides, field, message
):
    old = ladder_band()
    before = list(SalaryBand.objects.values())
    response = signed_in(client, comp_admin).post(change_url(old), revision_form(old, **overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    assert list(SalaryBand.objects.values()) == before


def test_overlapping_band_add_is_refused_on_effective_from(client, comp_admin, guide):
    band = ladder_band("L3")
    before = SalaryBand.objects.count()
    response = signed_in(client, comp_admin).post(
        reverse("admin:roles_salaryband_add"),
        {
            "track": "",
            "level": str(band.level_id),
            "currency": "USD",
            "base_min": "1",
            "base_max": "2",
            "effective_from": "2026-03-01",
            "source": str(band.source_id),
            "change_note": "",
        },
    )
    assert response.status_code == 200
    assert "Overlaps the version" in " ".join(
        response.context["adminform"].form.errors["effective_from"]
    )
    assert SalaryBand.objects.count() == before


def test_premium_outside_0_to_100_is_refused_on_the_field(client, comp_admin, guide):
    track = Track.objects.get(slug="ml-engineer")
    response = signed_in(client, comp_admin).post(
        reverse("admin:roles_track_change", args=[track.pk]),
        {
            "slug": track.slug,
            "name": track.name,
            "description": track.description,
            "premium_low_pct": "5",
            "premium_high_pct": "120",
            "premium_default_pct": "7.5",
            "premium_default_note": "",
            "premium_source": str(track.premium_source_id),
            "display_order": "2",
        },
    )
    assert response.status_code == 200
    assert "premium_high_pct" in response.context["adminform"].form.errors
    track.refresh_from_db()
    assert track.premium_high_pct == Decimal("10")


def test_closed_versions_are_read_only(client, comp_admin, guide):
    old = ladder_band()
    signed_in(client, comp_admin).post(change_url(old), revision_form(old))
    old.refresh_from_db()
    response = client.post(change_url(old), revision_form(old, effective_from="2026-09-01"))
    assert response.status_code == 403
    assert SalaryBand.objects.filter(level__code="L2", track__isnull=True).count() == 2


def test_staff_without_the_group_may_view_but_not_edit(client, staff_viewer, guide):
    old = ladder_band()
    signed_in(client, staff_viewer)
    assert client.get(reverse("admin:roles_salaryband_changelist")).status_code == 200
    assert client.get(change_url(old)).status_code == 200
    assert client.get(reverse("admin:roles_salaryband_history", args=[old.pk])).status_code == 200
    before = list(SalaryBand.objects.values())
    response = client.post(change_url(old), revision_form(old))
    assert response.status_code == 403
    assert list(SalaryBand.objects.values()) == before
    assert client.get(reverse("admin:roles_track_add")).status_code == 403


@pytest.mark.parametrize("role", ["recruiter", "hiring_manager", "interviewer", "outsider"])
def test_non_staff_cannot_enter_the_admin_or_edit(client, cast, guide, role):
    old = ladder_band()
    before = list(SalaryBand.objects.values())
    signed_in(client, cast[role])
    response = client.post(change_url(old), revision_form(old))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert list(SalaryBand.objects.values()) == before


def test_anonymous_is_sent_to_the_admin_login(client, guide):
    response = client.get(reverse("admin:roles_level_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ["admin", "comp_admin"])
@pytest.mark.parametrize(
    "model",
    ["track", "level", "salaryband", "zone", "marketfigure", "skill", "certification", "source"],
)
def test_every_role_model_is_listed_and_searchable(client, cast, guide, role, model):
    signed_in(client, cast[role])
    response = client.get(reverse(f"admin:roles_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200
    assert response.context["has_add_permission"] is True


def test_level_page_lists_band_versions_inline(client, comp_admin, guide):
    level = ladder_band("L3").level
    response = signed_in(client, comp_admin).get(
        reverse("admin:roles_level_change", args=[level.pk])
    )
    assert response.status_code == 200
    assert "Band versions" in response.content.decode()
    assert "155000" in response.content.decode().replace(",", "")


def test_band_history_shows_who_changed_it(client, comp_admin, guide):
    old = ladder_band()
    signed_in(client, comp_admin).post(change_url(old), revision_form(old))
    response = client.get(reverse("admin:roles_salaryband_history", args=[old.pk]))
    assert response.status_code == 200
    assert "comp_admin" in response.content.decode()
    assert [h.history_type for h in old.history.all()] == ["~", "+"]
