"""The sign-in backend reads the user's group names with the user (decision 102)."""

import pytest
from django.contrib.auth.models import Group

from accounts.backends import ModelBackend
from core import access

pytestmark = pytest.mark.django_db


def test_the_signed_in_user_comes_with_its_group_names(
    recruiter, comp_admin, django_assert_num_queries
):
    recruiter.groups.add(Group.objects.get(name=access.HIRING_MANAGERS))
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(recruiter.pk)
        names = access.group_names(user)
        admin = access.is_compensation_admin(user)
    assert (user, names, admin) == (
        recruiter,
        frozenset({access.RECRUITERS, access.HIRING_MANAGERS}),
        False,
    )
    assert access.group_names(ModelBackend().get_user(comp_admin.pk)) == frozenset(
        {access.COMPENSATION_ADMINS}
    )


def test_a_user_without_groups_has_none(outsider):
    assert access.group_names(ModelBackend().get_user(outsider.pk)) == frozenset()


def test_an_unknown_or_inactive_user_is_nobody(outsider):
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    assert (ModelBackend().get_user(outsider.pk), ModelBackend().get_user(0)) == (None, None)
