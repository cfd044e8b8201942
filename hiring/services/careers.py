"""Candidates apply on the public careers page.

``careers_apply`` creates the candidate (or matches one by email), stores the résumé,
and creates an application in "applied" with its first stage change, in one
transaction. The stage change and history name the careers site's system user
(``careers_site_user``: inactive, no password, so nobody signs in as it); the
``PublicSubmission`` row keeps the consent the candidate gave, by text version.

The outcome is never told to the visitor: a new candidate, a known one, and one who
already applied all get the same confirmation (no one learns whose email is known).
"""

from __future__ import annotations

import enum

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.models import Candidate
from candidates.services import candidate_create, candidate_record_consent, document_upload
from core.errors import DomainError
from hiring.models import Application, PublicSubmission, Requisition
from hiring.services.applications import application_from_careers

SITE_USERNAME = "careers-site"
CONSENT_VERSION = "2026-11"
CONSENT_TEXT = (
    "I agree that the company stores my application (my name, email and résumé) and "
    "shares it with the people who hire for this position, to consider me for it and for "
    "similar positions, for up to two years. I can ask for my data to be deleted at any "
    "time by replying to the confirmation email."
)


class Outcome(enum.StrEnum):
    NEW_CANDIDATE = "new_candidate"
    KNOWN_CANDIDATE = "known_candidate"
    ALREADY_APPLIED = "already_applied"


def careers_apply(
    *,
    requisition: Requisition,
    full_name: str,
    email: str,
    years_experience,
    resume: UploadedFile,
    consent_version: str,
) -> Outcome:
    """Record a public application; the outcome is for logs and tests, never the visitor."""
    if consent_version != CONSENT_VERSION:
        raise DomainError.for_field(
            "consent", "The consent text has changed: read it again and tick the box."
        )
    site = careers_site_user()
    today = timezone.localdate()
    with transaction.atomic():
        requisition = Requisition.objects.select_for_update().get(pk=requisition.pk)
        candidate = Candidate.objects.filter(email__iexact=email.strip()).first()
        outcome = Outcome.KNOWN_CANDIDATE
        if candidate is None:
            candidate = _new_candidate(
                site,
                today,
                full_name=full_name,
                email=email,
                years_experience=years_experience,
                resume=resume,
            )
            outcome = Outcome.NEW_CANDIDATE
        elif Application.objects.filter(candidate=candidate, requisition=requisition).exists():
            return Outcome.ALREADY_APPLIED
        else:
            _attach_resume(candidate, resume, site)
            # Applying again is consent again, to the text shown now.
            candidate_record_consent(candidate=candidate, version=CONSENT_VERSION, actor=site)
        application = application_from_careers(
            candidate=candidate, requisition=requisition, site_user=site
        )
        PublicSubmission.objects.create(
            application=application, consent_version=CONSENT_VERSION, consent_text=CONSENT_TEXT
        )
    return outcome


def careers_site_user():
    """The system user that public applications are recorded under (created once)."""
    users = get_user_model()
    try:
        with transaction.atomic():
            user, created = users.objects.get_or_create(
                username=SITE_USERNAME,
                defaults={"first_name": "Careers", "last_name": "site", "is_active": False},
            )
    except IntegrityError:  # created concurrently
        return users.objects.get(username=SITE_USERNAME)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _attach_resume(candidate: Candidate, resume: UploadedFile, site) -> None:
    try:
        document_upload(candidate=candidate, file=resume, actor=site)
    except DomainError as exc:
        problems = exc.errors.get("file") or [exc.message]
        raise DomainError(problems[0], code=exc.code, errors={"resume": problems}) from exc


def _new_candidate(site, today, **fields) -> Candidate:
    return candidate_create(
        actor=site,
        # Look-alikes are for recruiters to merge; a visitor is never asked to confirm.
        confirm_duplicate=True,
        **fields,
        source=Candidate.SourceChannel.CAREERS_SITE,
        consent_at=today,
        consent_version=CONSENT_VERSION,
    )
