"""Role data in the admin goes through ``roles.services``: same checks, history and refusals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from roles import services
from roles.admin import ZoneAdmin
from roles.models import Certification, Level, Skill, Zone
from tests.candidates.factories import CandidateFactory
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
EDITORS = ["admin", "comp_admin"]


def signed_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def admin_url(model: str, action: str, *args) -> str:
    return reverse(f"admin:roles_{model}_{action}", args=args)


def form_data(client, url: str, **overrides) -> dict:
    """What the admin page would post back unchanged, with ``overrides`` applied."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool) or value is None:
            value = "on" if value else ""
        elif isinstance(value, list | tuple):
            value = [str(v) for v in value]
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    data.update(overrides)
    return {name: value for name, value in data.items() if value != ""}


@pytest.fixture
def spy(monkeypatch):
    """``spy("record_update")``: the calls the admin made to that service."""

    def watch(name: str) -> list[dict]:
        calls: list[dict] = []
        real = getattr(services, name)

        def recorded(**kwargs):
            calls.append(kwargs)
            return real(**kwargs)

        monkeypatch.setattr(services, name, recorded)
        return calls

    return watch


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("role", EDITORS)
def test_zone_premium_change_goes_through_the_service_with_the_user(client, cast, guide, spy, role):
    user = cast[role]
    zone = Zone.objects.get(slug="san-francisco")
    calls = spy("record_update")
    url = admin_url("zone", "change", zone.pk)
    client = signed_in(client, user)
    response = client.post(url, form_data(client, url, premium_default_pct="40"))
    assert response.status_code == 302
    assert [c["actor"] for c in calls] == [user]
    zone.refresh_from_db()
    assert zone.premium_default_pct == Decimal("40")
    latest = zone.history.first()
    assert (latest.history_type, latest.history_user, latest.premium_default_pct) == (
        "~",
        user,
        Decimal("40"),
    )


def test_out_of_order_premium_shows_on_the_applied_premium_and_saves_nothing(
    client, comp_admin, guide
):
    zone = Zone.objects.get(slug="san-francisco")
    history = zone.history.count()
    url = admin_url("zone", "change", zone.pk)
    client = signed_in(client, comp_admin)
    response = client.post(url, form_data(client, url, premium_default_pct="60"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["premium_default_pct"][0] == (
        "The applied premium (60 %) must lie between low (20.00 %) and high (50.00 %)."
    )
    assert "__all__" not in errors
    zone.refresh_from_db()
    assert zone.premium_default_pct == Decimal("35")
    assert zone.history.count() == history


def test_admin_and_api_name_the_same_field_with_the_same_message(client, api, comp_admin, guide):
    zone = Zone.objects.get(slug="san-francisco")
    url = admin_url("zone", "change", zone.pk)
    client = signed_in(client, comp_admin)
    admin_errors = (
        client.post(url, form_data(client, url, premium_low_pct="45.00"))
        .context["adminform"]
        .form.errors
    )
    api_errors = (
        api(comp_admin)
        .patch(f"/api/v1/zones/{zone.slug}/", {"premium_low_pct": "45.00"}, format="json")
        .json()["errors"]
    )
    assert admin_errors["premium_default_pct"] == api_errors["premium_default_pct"]


def test_level_years_out_of_order_show_on_max_years(client, admin_user, guide):
    level = Level.objects.get(code="L2")
    url = admin_url("level", "change", level.pk)
    client = signed_in(client, admin_user)
    response = client.post(url, form_data(client, url, min_years="6", max_years="4"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["max_years"] == ["Maximum years must be above minimum years."]
    level.refresh_from_db()
    assert level.min_years == Decimal("2")


def test_level_add_sets_certifications_through_the_service(client, comp_admin, guide, spy):
    calls = spy("record_create")
    aws = Certification.objects.get(slug="aws-ml-specialty")
    url = admin_url("level", "add")
    client = signed_in(client, comp_admin)
    data = form_data(
        client,
        url,
        code="L6",
        title="Distinguished AI Engineer",
        min_years="15",
        summary="Sets direction across the company.",
        expected_certifications=[str(aws.pk)],
    )
    response = client.post(url, data)
    assert response.status_code == 302
    assert [c["model"] for c in calls] == [Level]
    level = Level.objects.get(code="L6")
    assert list(level.expected_certifications.all()) == [aws]
    # As through the API: the row, then its certifications, both by the admin user.
    assert [(h.history_type, h.history_user) for h in level.history.all()] == [
        ("~", comp_admin),
        ("+", comp_admin),
    ]


def test_duplicate_slug_is_refused_on_the_field(client, comp_admin, guide):
    url = admin_url("skill", "add")
    client = signed_in(client, comp_admin)
    response = client.post(
        url, form_data(client, url, slug="python", name="Python again", category="language")
    )
    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Skill.objects.filter(slug="python").count() == 1


def test_deleting_a_zone_in_use_is_refused_and_deletes_nothing(client, comp_admin, guide):
    zone = Zone.objects.get(slug="san-francisco")
    CandidateFactory(zone=zone)
    url = admin_url("zone", "delete", zone.pk)
    response = signed_in(client, comp_admin).post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "Cannot delete" in response.content.decode()
    assert Zone.objects.filter(pk=zone.pk).exists()


def test_a_zone_that_came_into_use_is_refused_by_the_service_with_a_message(
    client, comp_admin, guide, monkeypatch
):
    # The admin checks for protected rows before deleting; the service has the last word.
    zone = Zone.objects.get(slug="san-francisco")
    CandidateFactory(zone=zone)
    monkeypatch.setattr(
        ZoneAdmin,
        "get_deleted_objects",
        lambda self, objs, request: ([str(o) for o in objs], {}, set(), []),
    )
    url = admin_url("zone", "delete", zone.pk)
    response = signed_in(client, comp_admin).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert messages_of(response) == ["This zone is in use (candidates) and cannot be deleted."]
    assert Zone.objects.filter(pk=zone.pk).exists()
    assert not zone.history.filter(history_type="-").exists()


def test_deleting_an_unused_zone_goes_through_the_service_with_the_user(
    client, comp_admin, guide, spy
):
    calls = spy("record_delete")
    zone = Zone.objects.create(slug="nowhere", name="Nowhere")
    response = signed_in(client, comp_admin).post(
        admin_url("zone", "delete", zone.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert [c["actor"] for c in calls] == [comp_admin]
    assert not Zone.objects.filter(pk=zone.pk).exists()
    assert zone.history.first().history_user == comp_admin


def test_bulk_delete_goes_through_the_service_and_a_refusal_keeps_everything(
    client, comp_admin, guide, spy, monkeypatch
):
    calls = spy("record_delete")
    spare = Zone.objects.create(slug="spare", name="Spare")
    used = Zone.objects.get(slug="san-francisco")
    CandidateFactory(zone=used)
    monkeypatch.setattr(
        ZoneAdmin,
        "get_deleted_objects",
        lambda self, objs, request: ([str(o) for o in objs], {}, set(), []),
    )
    response = signed_in(client, comp_admin).post(
        admin_url("zone", "changelist"),
        {"action": "delete_selected", "_selected_action": [spare.pk, used.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert "in use" in " ".join(messages_of(response))
    assert len(calls) == 2
    assert Zone.objects.filter(pk__in=[spare.pk, used.pk]).count() == 2


def test_bulk_delete_of_unused_rows_records_the_user(client, comp_admin, guide, spy):
    calls = spy("record_delete")
    skills = [
        Skill.objects.create(slug=f"spare-{n}", name=f"Spare {n}", category="practice")
        for n in range(2)
    ]
    response = signed_in(client, comp_admin).post(
        admin_url("skill", "changelist"),
        {"action": "delete_selected", "_selected_action": [s.pk for s in skills], "post": "yes"},
    )
    assert response.status_code == 302
    assert len(calls) == 2
    assert not Skill.objects.filter(slug__startswith="spare-").exists()
    deleted = Skill.history.filter(history_type="-", slug__startswith="spare-")
    assert {h.history_user for h in deleted} == {comp_admin}


def test_revert_from_history_stays_disabled(client, comp_admin, guide):
    zone = Zone.objects.get(slug="national")
    version = zone.history.first()
    response = signed_in(client, comp_admin).get(
        admin_url("zone", "simple_history", zone.pk, version.history_id)
    )
    assert response.status_code == 200
    assert response.context["revert_disabled"] is True
