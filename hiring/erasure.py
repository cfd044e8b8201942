"""What hiring erases for a candidate (registered with ``candidates.erasure`` in ready()).

The rows reports count stay: applications, stage changes (stages, dates, reasons),
interviews and scorecards (their ratings). Their free text goes: notes on the person's
applications (body replaced, mentions cleared), stage-change notes, scorecard
comments (live and history), interview locations (live and history), and the careers
submissions. Notes on other people's applications that name them are redacted.
"""

from __future__ import annotations

from hiring.models import Application, Interview, Note, PublicSubmission, Scorecard, StageChange
from hiring.stages import Stage

ERASED_NOTE = "[erased]"


def erase_candidate(context) -> None:
    applications = Application.objects.select_for_update().filter(candidate_id=context.candidate_id)
    ids = list(applications.values_list("pk", flat=True))
    own_notes = Note.objects.filter(application_id__in=ids)
    Note.mentioned.through.objects.filter(note__in=own_notes).delete()
    own_notes.update(body=ERASED_NOTE)
    for note in Note.objects.filter(context.mentions("body")).only("pk", "body"):
        Note.objects.filter(pk=note.pk).update(body=context.redact(note.body) or ERASED_NOTE)
    StageChange.objects.filter(application_id__in=ids).exclude(note="").update(note="")
    interviews = Interview.objects.filter(application_id__in=ids)
    interviews.update(location="")
    Interview.history.filter(application_id__in=ids).update(location="")
    interview_ids = list(interviews.values_list("pk", flat=True))
    Scorecard.objects.filter(interview_id__in=interview_ids).update(comments="")
    Scorecard.history.filter(interview_id__in=interview_ids).update(comments="")
    PublicSubmission.objects.filter(application_id__in=ids).delete()


def hired_candidates():
    """The retention sweep keeps anyone hired."""
    return Application.objects.filter(stage=Stage.HIRED).values("candidate_id")
