"""The band admin's revision date and title after a failed save; each reason once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.forms.pipeline import reason_choices
from roles.models import SalaryBand

pytestmark = pytest.mark.django_db


@pytest.fixture
def band(comp_admin):
    from tests.hiring.factories import build_role_data

    build_role_data()
    return SalaryBand.objects.select_related("level").get(track__isnull=True, level__code="L2")


def test_the_revision_form_defaults_to_a_valid_date(band, comp_admin, client):
    client.force_login(comp_admin)

    response = client.get(reverse("admin:roles_salaryband_change", args=[band.pk]))

    default = max(timezone.localdate(), band.effective_from + datetime.timedelta(days=1))
    assert response.context["adminform"].form.initial["effective_from"] == default


def test_a_failed_revision_never_shows_the_rejected_figures_as_saved(band, comp_admin, client):
    client.force_login(comp_admin)
    url = reverse("admin:roles_salaryband_change", args=[band.pk])

    response = client.post(
        url,
        {
            "base_min": "999000",
            "base_max": "111000",
            "effective_from": str(band.effective_from),
            "source": str(band.source_id),
            "change_note": "typo",
        },
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "999,000" not in html.split("<form")[0]
    assert str(band) in html.split("<form")[0]
    assert response.context["original"].base_min == band.base_min
    band.refresh_from_db()
    assert SalaryBand.objects.filter(level=band.level, track__isnull=True).count() == 1


def test_each_reason_appears_once_in_the_list():
    labels = [label for _, label in reason_choices()]

    assert len(labels) == len(set(labels))
    assert labels.count("Declined: compensation") == 1
    assert labels.count("Other") == 1
