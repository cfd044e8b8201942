"""Admin for the pipeline: read-mostly, stage changes only through the service."""

import pytest
from django.urls import reverse

from hiring.models import DispositionReason, StageChange
from tests.hiring.factories import apply_candidate, open_requisition

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(roles_data, recruiter, hiring_manager):
    req = open_requisition(actor=recruiter, hiring_manager=hiring_manager)
    return apply_candidate(requisition=req, actor=recruiter)


@pytest.mark.parametrize(
    "name",
    [
        "admin:hiring_requisition_changelist",
        "admin:hiring_application_changelist",
        "admin:hiring_stagechange_changelist",
        "admin:hiring_dispositionreason_changelist",
    ],
)
def test_admin_lists_load_for_a_superuser(client, admin_user, application, name):
    client.force_login(admin_user)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("role", ["recruiter", "hiring_manager", "interviewer", "outsider"])
def test_admin_is_closed_to_non_staff(client, cast, application, role):
    client.force_login(cast[role])
    response = client.get(reverse("admin:hiring_application_changelist"))
    assert response.status_code == 302


def test_application_stage_is_read_only_in_admin(client, admin_user, application):
    client.force_login(admin_user)
    change_url = reverse("admin:hiring_application_change", args=[application.pk])
    page = client.get(change_url)
    assert 'name="stage"' not in page.content.decode()
    assert client.get(reverse("admin:hiring_stagechange_add")).status_code == 403
    assert client.get(reverse("admin:hiring_application_add")).status_code == 403
    application.refresh_from_db()
    assert application.stage == "applied"
    assert StageChange.objects.count() == 1


def test_disposition_catalogue_is_seeded():
    assert sorted(
        DispositionReason.objects.filter(applies_to="withdrawn").values_list("code", flat=True)
    ) == [
        "accepted-another-offer",
        "declined-compensation",
        "no-response",
        "other",
        "personal-reasons",
    ]
    assert sorted(
        DispositionReason.objects.filter(applies_to="rejected").values_list("code", flat=True)
    ) == [
        "declined-compensation",
        "failed-interview",
        "not-enough-experience",
        "other",
        "position-filled",
        "skills-gap",
    ]
