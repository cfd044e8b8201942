"""Erasure: end to end (no table, no file keeps the person; the pipeline counts stay), the
typed-name confirmation, who may erase, and deleting a document deletes its file."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from urllib.parse import quote, quote_plus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, Document
from candidates.services import candidate_create, document_upload
from core import audit
from core.errors import Conflict
from core.mail import email_enqueue
from core.models import AccessEvent
from hiring.models import Application, DispositionReason, Note, StageChange
from hiring.services.applications import application_move
from hiring.services.careers import careers_apply
from hiring.services.interviews import interview_schedule, scorecard_submit
from hiring.services.notes import note_add
from offers import services as offer_services
from offers.models import Offer
from reports import services as report_services
from reports.filters import Scope
from reports.models import ReportRun
from reports.selectors.pipeline import stage_stats
from tests.candidates.conftest import MINIMAL_PDF
from tests.candidates.factories import CandidateFactory
from tests.candidates.scan import files_mentioning, rows_mentioning, text_columns
from tests.conftest import make_user
from tests.hiring.factories import RequisitionFactory, apply_candidate, open_requisition, walk

pytestmark = pytest.mark.django_db

NAME = "Zelda Quimby-Erasure"
EMAIL = "zelda.quimby@erasure.example.org"
PHONE = "+15550100987"
# As typed, and as a query string carries them (the access log stores the path asked for).
NEEDLES = [NAME, EMAIL, PHONE, quote_plus(NAME), quote(NAME), quote(EMAIL)]


def resume(text: str = NAME) -> SimpleUploadedFile:
    # A real PDF head, with the person's name in a trailing comment: the file scan sees it.
    body = MINIMAL_PDF + f"%{text}\n".encode()
    return SimpleUploadedFile("cv.pdf", body, content_type="application/pdf")


def build_person(*, recruiter, hiring_manager, interviewer, comp_admin) -> dict:
    """The person and everything that may name them, through the services."""
    person = candidate_create(
        actor=recruiter,
        full_name=NAME,
        email=EMAIL,
        phone="+1 555 0100 987",
        years_experience=D("7.5"),
        city="Zurich",
        github_url="https://github.com/zelda-quimby",
        notes=f"Met {NAME} at a meetup; call {PHONE}.",
        resume=resume(),
    )
    senior = open_requisition(actor=recruiter, hiring_manager=hiring_manager, level="L3")
    junior = open_requisition(actor=recruiter, hiring_manager=hiring_manager, level="L2")
    careers = open_requisition(actor=recruiter, hiring_manager=hiring_manager, level="L1")
    hired_elsewhere = apply_candidate(requisition=senior, actor=recruiter, full_name="Other One")
    walk(hired_elsewhere, ["screen"], actor=recruiter)
    offered = apply_candidate(requisition=senior, actor=recruiter, candidate=person)
    walk(offered, ["screen", "interview"], actor=recruiter)
    rejected = apply_candidate(requisition=junior, actor=recruiter, candidate=person)
    application_move(
        application=rejected,
        to_stage="rejected",
        expected_stage="applied",
        actor=recruiter,
        reason=DispositionReason.objects.filter(applies_to="rejected").first(),
        note=f"{NAME} asked us to stop ({EMAIL}).",
    )
    note_add(application=offered, body=f"{NAME} prefers mornings.", actor=recruiter)
    note_add(application=hired_elsewhere, body=f"Knows {NAME} from school.", actor=recruiter)
    interview = interview_schedule(
        application=offered,
        round_name="Technical",
        interviewers=[interviewer],
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        location=f"Call {PHONE}",
        actor=recruiter,
    )
    scorecard_submit(
        interview=interview,
        interviewer=interviewer,
        model_development=3,
        data_engineering=3,
        collaboration=4,
        research_infrastructure=2,
        recommendation="yes",
        comments=f"{NAME} explained RAG well.",
        actor=interviewer,
    )
    walk(offered, ["offer"], actor=recruiter)
    today = timezone.localdate()
    offer = offer_services.offer_create(
        application=offered,
        actor=recruiter,
        start_date=today + datetime.timedelta(days=45),
        expires_on=today + datetime.timedelta(days=10),
        justification=f"{NAME} holds a competing offer.",
    )
    offer_services._send_letter(offer.pk, recruiter.pk)  # the letter: a PDF and an email
    careers_apply(
        requisition=careers,
        full_name=NAME,
        email=EMAIL,
        years_experience=D("7.5"),
        resume=resume(),
        consent_version="2026-11",
    )
    email_enqueue(to=[EMAIL], subject=f"Hello {NAME}", body="See you soon.", actor=recruiter)
    audit.record(
        audit.Action.SEARCH,
        "candidate",
        query="/candidates/?q=Zelda+Quimby-Erasure",
        actor=recruiter,
    )
    return {"person": person, "offer": offer, "reports": _report_files(comp_admin, person)}


def _report_files(comp_admin, person) -> dict[str, ReportRun]:
    runs = {}
    for kind, filters in (("pipeline", {}), ("candidate-export", {"candidate": person.pk})):
        run = report_services.report_request(
            actor=comp_admin, kind=kind, fmt="csv", filters=filters
        )
        assert report_services.report_generate(run.pk) == "succeeded"
        runs[kind] = ReportRun.objects.get(pk=run.pk)
    return runs


def pipeline_counts(user) -> tuple:
    stats = stage_stats(Scope(user=user, filters={}), stream=False)
    return stats.applications, dict(stats.reached), dict(stats.current), dict(stats.to_hire)


def test_erasure_leaves_the_person_in_no_table_and_no_file_and_keeps_the_counts(
    guide,
    client,
    comp_admin,
    recruiter,
    hiring_manager,
    interviewer,
    private_storage,
    django_capture_on_commit_callbacks,
):
    built = build_person(
        recruiter=recruiter,
        hiring_manager=hiring_manager,
        interviewer=interviewer,
        comp_admin=comp_admin,
    )
    person, pipeline = built["person"], built["reports"]["pipeline"]
    counts = pipeline_counts(comp_admin)
    kept = {"applications": 3, "changes": StageChange.objects.filter(application__candidate=person)}
    kept["changes"] = kept["changes"].count()
    # The scanners see the person before: in history, notes, emails, the log, the files.
    columns = text_columns()
    assert {"candidates_historicalcandidate", "core_accessevent"} <= set(columns)
    before = rows_mentioning(NEEDLES, columns)
    assert {"candidates_historicalcandidate.full_name", "hiring_note.body"} <= set(before)
    assert {"core_outboundemail.to", "core_accessevent.query"} <= set(before)
    files_before = files_mentioning([private_storage], NEEDLES)
    assert len(files_before) >= 3  # two résumés and the candidate export (and the letter)

    client.force_login(comp_admin)
    url = reverse("candidates:erase", args=[person.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"typed_name": "  zelda   QUIMBY-erasure "})

    assert response.status_code == 302
    assert rows_mentioning(NEEDLES, columns) == {}
    assert files_mentioning([private_storage], NEEDLES) == []
    assert pipeline_counts(comp_admin) == counts
    person.refresh_from_db()
    assert person.erased_at is not None
    assert person.full_name == f"Erased candidate {person.pk}"
    assert Application.objects.filter(candidate=person).count() == kept["applications"]
    assert StageChange.objects.filter(application__candidate=person).count() == kept["changes"]
    assert Offer.objects.get(pk=built["offer"].pk).base_salary == built["offer"].base_salary
    assert not Document.objects.filter(candidate=person).exists()
    assert Note.objects.filter(application__candidate=person).get().body == "[erased]"
    export = ReportRun.objects.get(pk=built["reports"]["candidate-export"].pk)
    assert (export.file_erased, export.storage_name) == (True, "")
    pipeline.refresh_from_db()
    assert (pipeline.file_erased, bool(pipeline.storage_name)) == (False, True)
    event = AccessEvent.objects.get(action="erase")
    assert (event.object_type, event.object_id, event.actor) == (
        "candidate",
        str(person.pk),
        comp_admin,
    )


@pytest.fixture
def superuser(db):
    return make_user("root", superuser=True)


@pytest.fixture
def person(recruiter, private_storage):
    person = CandidateFactory(full_name="Ada Example", email="ada@erasure.example.org")
    document = document_upload(candidate=person, file=resume("Ada Example"), actor=recruiter)
    person.document = document
    return person


def test_a_wrong_name_erases_nothing_and_says_so(client, comp_admin, person, private_storage):
    client.force_login(comp_admin)

    response = client.post(
        reverse("candidates:erase", args=[person.pk]), {"typed_name": "Ada Exampel"}
    )

    assert response.status_code == 400
    assert "does not match the candidate&#x27;s full name; nothing was erased" in (
        response.content.decode()
    )
    person.refresh_from_db()
    assert (person.full_name, person.erased_at) == ("Ada Example", None)
    assert (private_storage / person.document.file.name).exists()
    assert not AccessEvent.objects.filter(action="erase").exists()


@pytest.mark.parametrize("role", ["recruiter", "hiring_manager", "interviewer", "outsider"])
def test_only_compensation_admins_may_erase(client, request, role, person, private_storage):
    client.force_login(request.getfixturevalue(role))
    url = reverse("candidates:erase", args=[person.pk])

    answers = {
        client.get(url).status_code,
        client.post(url, {"typed_name": "Ada Example"}).status_code,
    }

    assert answers == ({403} if role == "recruiter" else {404})  # hidden candidates are 404
    person.refresh_from_db()
    assert (person.full_name, person.erased_at) == ("Ada Example", None)
    assert (private_storage / person.document.file.name).exists()


def test_a_superuser_erases_and_a_second_erasure_is_refused(
    client, superuser, person, private_storage, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    url = reverse("candidates:erase", args=[person.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"typed_name": "Ada Example"}).status_code == 302

    again = client.post(url, {"typed_name": f"Erased candidate {person.pk}"})

    assert again.status_code == 400
    assert "already been erased" in again.content.decode()
    assert not (private_storage / person.document.file.name).exists()
    assert AccessEvent.objects.filter(action="erase").count() == 1
    person.refresh_from_db()
    with pytest.raises(Conflict, match="erased"):  # nobody applies an erased person again
        apply_candidate(
            requisition=RequisitionFactory(hiring_manager=superuser),
            actor=superuser,
            candidate=person,
        )


def test_deleting_a_document_deletes_its_file_on_the_page_the_api_and_the_admin(
    client, api, recruiter, superuser, person, private_storage, django_capture_on_commit_callbacks
):
    second = document_upload(candidate=person, file=resume("Ada Example"), actor=recruiter)
    third = document_upload(candidate=person, file=resume("Ada Example"), actor=recruiter)
    client.force_login(recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("candidates:document-delete", args=[person.document.pk]))
        answer = api(recruiter).delete(f"/api/v1/documents/{second.pk}/")
        client.force_login(superuser)
        admin_url = reverse("admin:candidates_document_delete", args=[third.pk])
        removed = client.post(admin_url, {"post": "yes"})

    assert (page.status_code, answer.status_code, removed.status_code) == (302, 204, 302)
    assert not Document.objects.filter(candidate=person).exists()
    assert (
        list(private_storage.rglob("*.pdf"))
        + [p for p in private_storage.rglob("*") if p.is_file()]
        == []
    )


def test_an_interviewer_cannot_delete_a_document_and_the_admin_cannot_delete_a_candidate(
    client, api, interviewer, superuser, person, private_storage
):
    answer = api(interviewer).delete(f"/api/v1/documents/{person.document.pk}/")
    client.force_login(superuser)
    admin_delete = client.get(reverse("admin:candidates_candidate_delete", args=[person.pk]))

    assert (answer.status_code, admin_delete.status_code) == (404, 403)
    assert Candidate.objects.filter(pk=person.pk).exists()
    assert (private_storage / person.document.file.name).exists()
