"""A hiring manager sitting on another manager's panel sees that application and candidate."""

from django.urls import reverse

from candidates.selectors import candidates_visible_to
from hiring.permissions import applications_visible_to, requisitions_visible_to


def test_manager_on_another_managers_panel_sees_that_application_only(
    other_manager, client, interview_world
):
    world = interview_world
    world.interview.interviewers.add(other_manager)

    visible_apps = set(applications_visible_to(other_manager).values_list("pk", flat=True))
    assert visible_apps == {world.application.pk, world.other_application.pk}
    assert set(requisitions_visible_to(other_manager).values_list("pk", flat=True)) == {
        world.requisition.pk,
        world.other_requisition.pk,
    }
    assert set(candidates_visible_to(other_manager).values_list("pk", flat=True)) == {
        world.application.candidate_id,
        world.other_application.candidate_id,
    }

    client.force_login(other_manager)
    page = client.get(reverse("candidates:detail", args=[world.application.candidate_id]))
    assert page.status_code == 200


def test_manager_not_on_the_panel_does_not_see_another_managers_application(
    other_manager, client, interview_world
):
    world = interview_world
    assert list(applications_visible_to(other_manager).values_list("pk", flat=True)) == [
        world.other_application.pk
    ]
    client.force_login(other_manager)
    page = client.get(reverse("candidates:detail", args=[world.application.candidate_id]))
    assert page.status_code == 404
