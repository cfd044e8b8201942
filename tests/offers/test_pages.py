"""The offer pages: the workflow end to end through the pages, every role's access to each
page, the letter and its PDF, and nothing changed when an action is refused."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import Interview, Requisition
from hiring.stages import Stage
from offers.models import Offer, OfferApproval, OfferEvent
from offers.services import offer_create, offer_send, offer_submit
from roles.models import SalaryBand, Track
from roles.services import band_revise
from tests.access_events import logged, one_event
from tests.conftest import shared_world
from tests.hiring.factories import (
    ApplicationFactory,
    RequisitionFactory,
    apply_candidate,
    open_requisition,
    walk,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
#: The worked example: ai-engineer, L3, national, 7.5 years → 193,000 in 155,000 to 230,000.
RECOMMENDED = "193,000"


def _build(cast) -> dict:
    recruiter, hiring_manager = cast["recruiter"], cast["hiring_manager"]
    other_manager, interviewer = cast["other_manager"], cast["interviewer"]
    mine = open_requisition(
        actor=recruiter, hiring_manager=hiring_manager, level="L3", title="Senior AI"
    )
    theirs = open_requisition(actor=recruiter, hiring_manager=other_manager, level="L3")
    application = apply_candidate(
        requisition=mine,
        actor=recruiter,
        full_name="Ada Lovelace",
        years_experience=Decimal("7.5"),
        current_base=Decimal("111111"),
    )
    walk(application, [Stage.SCREEN, Stage.INTERVIEW, Stage.OFFER], actor=recruiter)
    # The interviewer and another manager sit on its panel: an interviewer's view, no pay.
    interview = Interview.objects.create(
        application=application, round_name="Technical", starts_at=timezone.now()
    )
    interview.interviewers.add(interviewer, other_manager)
    return {"mine": mine, "theirs": theirs, "application": application}


globals().update(shared_world(_build, role_data="guide"))


def signed_in(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def terms(application, **overrides) -> dict:
    data = {
        "application": application.pk,
        "base_salary": "193000",
        "sign_on_bonus": "10000",
        "equity": "20000",
        "start_date": (TODAY() + datetime.timedelta(days=30)).isoformat(),
        "expires_on": (TODAY() + datetime.timedelta(days=7)).isoformat(),
        "justification": "",
    }
    data.update(overrides)
    return data


def act(client, offer, action, **data):
    return client.post(reverse("offers:action", args=[offer.pk, action]), data)


def detail(offer) -> str:
    return reverse("offers:detail", args=[offer.pk])


def app_page(application) -> str:
    return reverse("hiring:application-detail", args=[application.pk])


def draft(application, actor, **kw) -> Offer:
    return offer_create(
        application=application,
        actor=actor,
        start_date=TODAY() + datetime.timedelta(days=30),
        expires_on=TODAY() + datetime.timedelta(days=7),
        **kw,
    )


def state(offer) -> tuple:
    """What a refused request must leave alone."""
    offer.refresh_from_db()
    return (
        offer.status,
        offer.base_salary,
        offer.round,
        OfferEvent.objects.filter(offer=offer).count(),
        OfferApproval.objects.filter(offer=offer).count(),
    )


# --- the workflow --------------------------------------------------------------------


def test_inside_the_band_recruiter_creates_manager_approves_and_acceptance_hires(
    client, recruiter, hiring_manager, world
):
    application = world["application"]
    page = signed_in(client, recruiter).get(app_page(application))
    body = page.content.decode()
    assert "Recommendation and offer" in body
    assert f"${RECOMMENDED}" in body
    assert "Create offer from this recommendation" in body
    assert 'name="base_salary" value="193000"' in body
    assert "current_base" not in body and "111,111" not in body

    created = client.post(reverse("offers:create"), terms(application))
    offer = Offer.objects.get(application=application)
    assert created.status_code == 302 and created["Location"] == detail(offer)
    assert (offer.status, offer.base_salary, offer.created_by) == (
        "draft",
        Decimal("193000.00"),
        recruiter,
    )
    assert act(client, offer, "submit").status_code == 302
    assert state(offer)[0] == "pending_approval"

    manager = signed_in(client, hiring_manager)
    dashboard = manager.get(reverse("hiring:dashboard")).content.decode()
    assert "Waiting for my approval" in dashboard and detail(offer) in dashboard
    assert f'action="/offers/{offer.pk}/approve/"' in manager.get(detail(offer)).content.decode()
    assert act(manager, offer, "approve", note="Good hire").status_code == 302
    assert state(offer)[0] == "approved"
    assert detail(offer) not in manager.get(reverse("hiring:dashboard")).content.decode()

    signed_in(client, recruiter)
    assert act(client, offer, "send").status_code == 302
    assert state(offer)[0] == "sent"
    assert act(client, offer, "accept", note="Signed").status_code == 302
    assert state(offer)[0] == "accepted"
    application.refresh_from_db()
    world["mine"].refresh_from_db()
    assert application.stage == Stage.HIRED
    assert world["mine"].status == Requisition.Status.FILLED

    timeline = client.get(detail(offer))
    kinds = [event.kind for event in timeline.context["events"]]
    assert kinds == ["created", "submitted", "approved", "sent", "accepted"]
    body = timeline.content.decode()
    assert "Good hire" in body and "Hiring Manager" in body
    assert timeline.context["actions"] == []


def test_outside_the_band_needs_a_justification_and_a_compensation_admin(
    client, recruiter, hiring_manager, comp_admin, world
):
    application = world["application"]
    c = signed_in(client, recruiter)
    assert (
        c.post(reverse("offers:create"), terms(application, base_salary="260000")).status_code
        == 302
    )
    offer = Offer.objects.get(application=application)
    assert not offer.inside_band

    before = state(offer)
    refused = act(c, offer, "submit")
    assert refused.status_code == 400
    assert "write a justification" in refused.content.decode()
    assert state(offer) == before

    edit = reverse("offers:edit", args=[offer.pk])
    saved = c.post(
        edit,
        {
            **terms(application, base_salary="260000"),
            "justification": "Competing offer at 255k.",
        },
    )
    assert saved.status_code == 302
    assert act(c, offer, "submit").status_code == 302

    manager = signed_in(client, hiring_manager)
    assert act(manager, offer, "approve").status_code == 302
    assert state(offer)[0] == "pending_approval"

    admin = signed_in(client, comp_admin)
    listed = admin.get(reverse("offers:list"), {"waiting": "on"})
    assert [o.pk for o in listed.context["page"].object_list] == [offer.pk]
    assert act(admin, offer, "approve", note="Justified").status_code == 302
    assert state(offer)[0] == "approved"
    roles = sorted(OfferApproval.objects.filter(offer=offer).values_list("role", flat=True))
    assert roles == ["compensation_admin", "hiring_manager"]


def test_decline_asks_for_a_reason_from_the_catalogue(client, recruiter, hiring_manager, world):
    offer = sent_offer(world["application"], recruiter, hiring_manager)
    c = signed_in(client, recruiter)
    page = c.get(detail(offer)).content.decode()
    assert 'value="compensation"' in page and "Accepted another offer" in page

    before = state(offer)
    missing = act(c, offer, "decline", reason="")
    assert missing.status_code == 400
    assert "This field is required." in missing.content.decode()
    unknown = act(c, offer, "decline", reason="bored")
    assert unknown.status_code == 400
    assert state(offer) == before

    assert act(c, offer, "decline", reason="compensation", note="Went elsewhere").status_code == 302
    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason.code) == ("declined", "compensation")
    world["application"].refresh_from_db()
    assert world["application"].stage == Stage.OFFER
    assert "Declined because" in c.get(detail(offer)).content.decode()


def test_rescind_needs_a_note_and_is_final(client, recruiter, hiring_manager, world):
    offer = sent_offer(world["application"], recruiter, hiring_manager)
    c = signed_in(client, recruiter)
    before = state(offer)
    refused = act(c, offer, "rescind", note="  ")
    assert refused.status_code == 400
    assert "Say why in a note." in refused.content.decode()
    assert state(offer) == before
    assert act(c, offer, "rescind", note="Headcount frozen").status_code == 302
    assert state(offer)[0] == "rescinded"
    again = act(c, offer, "send")
    assert again.status_code == 400
    assert "nothing more can happen to it" in again.content.decode()


def test_action_not_allowed_in_the_state_names_the_state_and_changes_nothing(
    client, recruiter, world
):
    offer = draft(world["application"], recruiter)
    c = signed_in(client, recruiter)
    before = state(offer)
    response = act(c, offer, "send")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Cannot send an offer that is draft. Allowed now: update, submit, rescind." in body
    assert "Nothing was changed." in body
    assert state(offer) == before


def test_nobody_approves_an_offer_they_drafted(client, comp_admin, hiring_manager, world):
    offer = draft(
        world["application"], comp_admin, base_salary=Decimal("260000"), justification="Market"
    )
    c = signed_in(client, comp_admin)
    assert act(c, offer, "submit").status_code == 302
    page = c.get(detail(offer)).content.decode()
    assert f'action="/offers/{offer.pk}/approve/"' not in page
    before = state(offer)
    refused = act(c, offer, "approve")
    assert refused.status_code == 403
    assert "Nobody approves an offer they drafted" in refused.content.decode()
    assert state(offer) == before


def test_hiring_manager_may_not_draft_or_send(client, recruiter, hiring_manager, world):
    application = world["application"]
    c = signed_in(client, hiring_manager)
    assert c.post(reverse("offers:create"), terms(application)).status_code == 403
    assert not Offer.objects.exists()
    page = c.get(app_page(application)).content.decode()
    assert f"${RECOMMENDED}" in page
    assert "Create offer from this recommendation" not in page

    offer = draft(application, recruiter)
    before = state(offer)
    refused = act(c, offer, "submit")
    assert refused.status_code == 403
    assert "Only recruiters and compensation admins" in refused.content.decode()
    assert state(offer) == before


def test_bad_input_re_renders_next_to_the_field_and_saves_nothing(client, recruiter, world):
    application = world["application"]
    c = signed_in(client, recruiter)
    cases = [
        ({"base_salary": "lots"}, "base_salary", "Enter a number."),
        ({"base_salary": "-5"}, "base_salary", "greater than or equal to 0"),
        ({"base_salary": "0"}, "base_salary", "The base salary must be more than zero."),
        ({"base_salary": "99999999"}, "base_salary", "must not exceed"),
        ({"start_date": "soon"}, "start_date", "Enter a valid date."),
        (
            {"expires_on": (TODAY() + datetime.timedelta(days=60)).isoformat()},
            "expires_on",
            "The offer must expire on or before the start date.",
        ),
        (
            {"expires_on": (TODAY() - datetime.timedelta(days=1)).isoformat()},
            "expires_on",
            "The expiry date must not be in the past.",
        ),
    ]
    for override, field, message in cases:
        response = c.post(reverse("offers:create"), terms(application, **override))
        assert response.status_code == 400, override
        errors = response.context["form"].errors
        assert any(message in e for e in errors[field]), (override, errors)
        assert 'class="field-error"' in response.content.decode()
    assert not Offer.objects.exists()


def test_application_not_at_offer_stage_gets_the_services_message(client, recruiter, world):
    other = apply_candidate(requisition=world["mine"], actor=recruiter, full_name="Bo Early")
    c = signed_in(client, recruiter)
    page = c.get(app_page(other)).content.decode()
    assert "Create offer from this recommendation" not in page
    assert "this one is at applied" in page
    response = c.post(reverse("offers:create"), terms(other))
    assert response.status_code == 400
    assert "Move it to Offer first." in response.content.decode()
    assert not Offer.objects.exists()


def test_second_open_offer_is_refused(client, recruiter, world):
    draft(world["application"], recruiter)
    c = signed_in(client, recruiter)
    page = c.get(app_page(world["application"])).content.decode()
    assert "Create offer from this recommendation" not in page
    assert "Draft" in page
    response = c.post(reverse("offers:create"), terms(world["application"]))
    assert response.status_code == 400
    assert "already has an open offer" in response.content.decode()
    assert Offer.objects.count() == 1


def test_track_without_a_band_says_so_and_offers_no_form(client, recruiter, hiring_manager, world):
    requisition = RequisitionFactory(
        hiring_manager=hiring_manager,
        track=Track.objects.get(slug="research-scientist"),
        level=world["mine"].level,
        zone=world["mine"].zone,
    )
    application = ApplicationFactory(requisition=requisition, stage=Stage.OFFER)
    body = signed_in(client, recruiter).get(app_page(application)).content.decode()
    assert "gives no band for Research Scientist at L3; a compensation admin can add one" in body
    assert "Create offer" not in body


# --- who sees what ------------------------------------------------------------------


PAGES = ("detail", "letter", "letter-pdf")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("comp_admin", 200),
        ("recruiter", 200),
        ("hiring_manager", 200),
        ("interviewer", 404),
        ("outsider", 404),
    ],
)
def test_offer_pages_by_role(client, cast, recruiter, world, role, status):
    offer = draft(world["application"], recruiter)
    c = signed_in(client, cast[role])
    for name in PAGES:
        response = c.get(reverse(f"offers:{name}", args=[offer.pk]))
        assert response.status_code == status, name
        if status != 200:
            assert RECOMMENDED not in response.content.decode(errors="replace")
    listed = c.get(reverse("offers:list"))
    if role in ("interviewer", "outsider"):
        assert listed.status_code == 403
        assert RECOMMENDED not in listed.content.decode()
    else:
        assert [o.pk for o in listed.context["page"].object_list] == [offer.pk]


@pytest.mark.parametrize("role", ["interviewer", "outsider", "other_manager", "anonymous"])
def test_no_amount_reaches_those_who_may_not_see_the_offer(
    client, cast, recruiter, other_manager, world, role
):
    offer = draft(world["application"], recruiter)
    user = other_manager if role == "other_manager" else cast[role]
    c = signed_in(client, user)
    before = state(offer)
    responses = [
        c.get(reverse("offers:list")),
        c.get(detail(offer)),
        c.get(reverse("offers:edit", args=[offer.pk])),
        c.get(reverse("offers:letter", args=[offer.pk])),
        c.get(reverse("offers:letter-pdf", args=[offer.pk])),
        act(c, offer, "submit"),
        act(c, offer, "approve"),
        c.post(reverse("offers:create"), terms(world["application"])),
    ]
    if user is not None:
        responses.append(c.get(app_page(world["application"])))
        responses.append(c.get(reverse("hiring:dashboard")))
    for response in responses:
        assert response.status_code in (200, 302, 403, 404)
        body = response.content.decode(errors="replace")
        assert RECOMMENDED not in body and "193000" not in body
        assert "Recommendation and offer" not in body
    statuses = [r.status_code for r in responses[1:8]]
    expected = 302 if user is None else 404
    assert statuses == [expected] * 7
    assert state(offer) == before
    assert Offer.objects.count() == 1


def test_offers_link_in_the_navigation_follows_the_pay_policy(client, cast, world):
    shown = {}
    for role in ("recruiter", "hiring_manager", "comp_admin", "interviewer", "outsider"):
        body = signed_in(client, cast[role]).get(reverse("roles:levels")).content.decode()
        shown[role] = f'href="{reverse("offers:list")}"' in body
    assert shown == {
        "recruiter": True,
        "hiring_manager": True,
        "comp_admin": True,
        "interviewer": False,
        "outsider": False,
    }


# --- the letter ----------------------------------------------------------------------


def test_letter_page_and_pdf(client, recruiter, world):
    offer = draft(world["application"], recruiter, sign_on_bonus=Decimal("10000"))
    c = signed_in(client, recruiter)
    page = c.get(reverse("offers:letter", args=[offer.pk]))
    body = page.content.decode()
    assert "Offer of employment" in body and "Ada Lovelace" in body and f"${RECOMMENDED}" in body
    assert reverse("offers:letter-pdf", args=[offer.pk]) in body
    pdf = c.get(reverse("offers:letter-pdf", args=[offer.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    assert pdf.content.startswith(b"%PDF")
    # The PDF leaves the site with the person's name and pay: logged under the candidate.
    path, candidate = reverse("offers:letter-pdf", args=[offer.pk]), offer.application.candidate_id
    assert logged() == one_event(recruiter, "download", "page", "candidate", candidate, path)


# --- lists, filters, flags -----------------------------------------------------------


def test_list_filters_by_status(client, recruiter, world):
    offer = draft(world["application"], recruiter)
    c = signed_in(client, recruiter)
    drafts = c.get(reverse("offers:list"), {"status": "draft"})
    sent = c.get(reverse("offers:list"), {"status": "sent"})
    assert [o.pk for o in drafts.context["page"].object_list] == [offer.pk]
    assert list(sent.context["page"].object_list) == []
    assert c.get(reverse("offers:list"), {"status": "nonsense"}).status_code == 200


def test_offer_page_flags_a_newer_band_version(client, recruiter, comp_admin, world):
    offer = draft(world["application"], recruiter)
    old = SalaryBand.objects.get(pk=offer.band_id)
    band_revise(
        band=old,
        base_min=Decimal("160000"),
        base_max=Decimal("240000"),
        open_ended_top=False,
        effective_from=TODAY(),
        source=old.source,
        change_note="Market moved",
        actor=comp_admin,
    )
    response = signed_in(client, recruiter).get(detail(offer))
    change = response.context["band_change"]
    assert (change.old_band.base_min, change.new_band.base_min) == (
        Decimal("155000.00"),
        Decimal("160000.00"),
    )
    body = response.content.decode()
    assert 'id="band-change"' in body
    assert "$155,000" in body and "$230,000" in body
    assert "$160,000" in body and "$240,000" in body


def sent_offer(application, recruiter, hiring_manager) -> Offer:
    from offers.services import offer_approve

    offer = draft(application, recruiter)
    offer_submit(offer=offer, actor=recruiter)
    offer_approve(offer=offer, actor=hiring_manager)
    return offer_send(offer=offer, actor=recruiter)


def test_offer_list_and_dashboard_run_a_fixed_number_of_queries(
    client, recruiter, comp_admin, world, django_assert_max_num_queries
):
    from tests import bulk

    c = signed_in(client, comp_admin)
    counts = []
    for total in (3, 30):
        have = Offer.objects.count()
        people = bulk.candidates(total - have, years_experience=Decimal("7.5"))
        apps = bulk.applications(
            ((world["mine"], p) for p in people), actor=recruiter, stages=(Stage.OFFER,)
        )
        for application in apps:
            offer = draft(application, recruiter, base_salary=Decimal("250000"), justification="x")
            offer_submit(offer=offer, actor=recruiter)
        with django_assert_max_num_queries(20) as ctx:
            listed = c.get(reverse("offers:list"), {"waiting": "on"})
            dashboard = c.get(reverse("hiring:dashboard"))
        assert len(listed.context["page"].object_list) == min(total, 25)
        assert dashboard.content.decode().count('href="/offers/') == total + 2
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
