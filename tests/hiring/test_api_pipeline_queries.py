"""The requisition and application lists cost the same queries at 3 and at 30 rows."""

import pytest

from hiring.models import Requisition
from tests import bulk
from tests.hiring.factories import open_requisition

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/requisitions/", "/api/v1/applications/"])
def test_list_endpoints_run_a_fixed_number_of_queries(
    api, recruiter, hiring_manager, roles_data, django_assert_max_num_queries, url
):
    client = api(recruiter)
    client.get(url)  # warm the token/group caches of this connection
    first = open_requisition(actor=recruiter, hiring_manager=hiring_manager)
    aws = roles_data["certifications"]["aws"]
    counts = []
    # The applications list names candidates: one more query, the access event.
    most = 10 if url == "/api/v1/applications/" else 9
    for total in (3, 30):
        # One application per requisition, over the stages, each candidate certified.
        reqs = bulk.requisitions(total - Requisition.objects.count(), like=first)
        if not first.applications.exists():
            reqs.insert(0, first)
        people = bulk.candidates(len(reqs), certifications=[aws])
        bulk.applications(zip(reqs, people, strict=True), actor=recruiter)
        with django_assert_max_num_queries(most) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert response.json()["count"] == total
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
