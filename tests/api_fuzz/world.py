"""The rows the fuzzing finds behind the ids: one of each resource the API names by id.

Built once for the module (``tests.conftest.built_once``) through the services and the bulk
builders: the guide's role data, the cast, an L3 requisition with an application at offer
(with a draft offer and an interview whose panel holds the interviewer and a scorecard from
them), five more applications across the board (one at offer with no offer yet), a candidate
on no requisition, a résumé and a finished report run; and the rows a request body names.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from candidates.services import document_upload
from hiring.models import Stage
from reports import services as report_services
from roles.models import Certification, MarketFigure, Skill
from tests import bulk
from tests.candidates.conftest import MINIMAL_PDF
from tests.conftest import PASSWORD, make_cast
from tests.hiring.interview_world import InterviewFactory, ScorecardFactory
from tests.offers.test_offers_services import at_offer_stage, draft, start_and_expiry

IMPORT_CSV = b"full_name,email,years_experience\nIm Ported,imported@example.com,2\n"
#: The roles the fuzzing signs in as (an API token each).
ROLES = ("admin", "comp_admin", "recruiter", "hiring_manager", "interviewer")


def build() -> dict:
    """The cast and one row of each kind; returns the ids by path parameter and resource."""
    call_command("load_guide", verbosity=0)
    cast = make_cast()
    recruiter, manager = cast["recruiter"], cast["hiring_manager"]
    application = at_offer_stage(recruiter=recruiter, hiring_manager=manager)
    offer = draft(application, recruiter)
    interview = InterviewFactory(
        application=application, interviewers=[cast["interviewer"]], created_by=recruiter
    )
    scorecard = ScorecardFactory(interview=interview, interviewer=cast["interviewer"])
    *people, spare = bulk.candidates(6)
    others = bulk.applications(
        ((application.requisition, person) for person in people),
        actor=recruiter,
        stages=[Stage.APPLIED, Stage.SCREEN, Stage.INTERVIEW, Stage.REJECTED, Stage.OFFER],
    )
    document = document_upload(
        candidate=application.candidate,
        file=SimpleUploadedFile("cv.pdf", MINIMAL_PDF, content_type="application/pdf"),
        actor=recruiter,
    )
    run = report_services.report_request(actor=recruiter, kind="sources", fmt="csv")
    report_services.report_generate(run.pk)
    return {
        "cast": cast,
        "ids": {
            "applications": application.pk,
            "requisitions": application.requisition_id,
            "candidates": application.candidate_id,
            "offers": offer.pk,
            "interviews": interview.pk,
            "scorecards": scorecard.pk,
            "documents": document.pk,
            "reports": run.pk,
            "bands": application.requisition.band_id,
        },
        "keys": {
            "tracks": application.requisition.track.slug,
            "levels": application.requisition.level.code,
            "zones": application.requisition.zone.slug,
            "market-figures": MarketFigure.objects.order_by("key").values_list("key", flat=True)[0],
        },
        "applications": [application.pk, *(row.pk for row in others)],
        "references": _references(cast, application, interview, spare, free=others[-1]),
        # A file the operation reads by its content: a CSV with the template's header, a PDF.
        "files": {
            "/api/v1/candidates/import/": IMPORT_CSV,
            "/api/v1/candidates/{id}/documents/": MINIMAL_PDF,
        },
    }


def _references(cast, application, interview, spare, *, free) -> dict:
    """What a request body's field that names another row names: a row that exists and
    takes the request (``Fuzzer._aim_body``). ``free`` is at the offer stage with no offer
    yet (an offer may be drafted on it); ``spare`` is on no requisition yet."""
    requisition = application.requisition
    start, expiry = start_and_expiry()
    return {
        "candidate": spare.pk,
        "requisition": requisition.pk,
        "application": free.pk,
        "interview": interview.pk,
        "interviewers": [cast["interviewer"].pk],
        "hiring_manager": cast["hiring_manager"].pk,
        "recruiter": cast["recruiter"].pk,
        "track": requisition.track.slug,
        "level": requisition.level.code,
        "zone": requisition.zone.slug,
        # Credentials that exist: a made-up pair is schema-valid and rightly refused.
        "password": PASSWORD,
        # Dates the API measures against today (an offer's start and expiry, an interview's
        # start: from 2000 to two years ahead).
        "start_date": start.isoformat(),
        "expires_on": expiry.isoformat(),
        "starts_at": (timezone.now() + datetime.timedelta(days=3)).isoformat(),
        "skills": list(Skill.objects.order_by("slug").values_list("slug", flat=True)[:2]),
        "certifications": list(
            Certification.objects.order_by("slug").values_list("slug", flat=True)[:1]
        ),
    }
