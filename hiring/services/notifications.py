"""Emails hiring sends through the outbox (``core.mail``): interview invitations with an
``.ics`` attachment, scorecard reminders, and note mentions.

Rows are written in the caller's transaction (``email_enqueue``), so an interview that
rolls back sends nothing; the worker sends them after commit, once (a claimed status
row). Each email has a dedupe key, so the same logical email is never queued twice.
"""

from __future__ import annotations

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone

from core import mail
from core.models import OutboundEmail
from hiring import calendar
from hiring.models import Interview, Note, Scorecard
from hiring.selectors.interviews import user_label

# A reminder goes this long after the interview ends, if the scorecard is still missing.
REMINDER_AFTER = datetime.timedelta(hours=24)
# Older interviews are history: a new deployment does not remind about last year.
REMINDER_WINDOW = datetime.timedelta(days=14)


def interview_invitations_enqueue(*, interview: Interview, actor, sequence: int = 0) -> int:
    """Queue the invitation to each panel member and to the candidate; returns how many.

    The panel's calendar file lists the panel; the candidate's lists only the candidate.
    ``sequence`` grows with each reschedule, so calendars update the event in place.
    """
    application = interview.application
    candidate = application.candidate
    panel = [p for p in interview.interviewers.all() if p.email]
    panel_ics = _invitation_ics(interview, sequence, [(user_label(p), p.email) for p in panel])
    # (to, subject, body, calendar file, whom the dedupe key names)
    letters = [
        (
            person.email,
            f"Interview: {interview.round_name} with {candidate.full_name}",
            _panel_body(interview),
            panel_ics,
            f"user:{person.pk}",
        )
        for person in panel
    ]
    if candidate.email:
        own_ics = _invitation_ics(
            interview, sequence, [(candidate.full_name, candidate.email)], audience="candidate"
        )
        subject = f"Your interview for {application.requisition.title}"
        letters.append((candidate.email, subject, _candidate_body(interview), own_ics, "candidate"))
    for to, subject, body, ics_file, whom in letters:
        mail.email_enqueue(
            to=[to],
            subject=subject,
            body=body,
            attachments=[ics_file],
            actor=actor,
            dedupe_key=f"interview:{interview.pk}:invite:{sequence}:{whom}",
        )
    return len(letters)


def scorecard_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind each interviewer whose scorecard is missing a day after the interview.

    Run by beat; safe to run any number of times: the dedupe key (interview, person)
    queues each reminder once, ever. Returns how many were queued by this run.
    """
    now = now or timezone.now()
    due = _missing_scorecards(now)
    keys = {pair: _reminder_key(*pair) for pair in due}
    sent = set(
        OutboundEmail.objects.filter(dedupe_key__in=keys.values()).values_list(
            "dedupe_key", flat=True
        )
    )
    queued = 0
    for (interview, person), key in keys.items():
        if key in sent or not person.email:
            continue
        mail.email_enqueue(
            to=[person.email],
            subject=f"Scorecard missing: {interview.round_name} with "
            f"{interview.application.candidate.full_name}",
            body=_reminder_body(interview),
            dedupe_key=key,
        )
        queued += 1
    return queued


def note_mentions_notify(*, note: Note, people) -> int:
    """One email to each mentioned colleague (the caller checked they see the application)."""
    application = note.application
    queued = 0
    for person in people:
        if not person.email:
            continue
        mail.email_enqueue(
            to=[person.email],
            subject=f"{user_label(note.author)} mentioned you on "
            f"{application.candidate.full_name} ({application.requisition.title})",
            body=(
                f"{user_label(note.author)} wrote:\n\n{note.body}\n\n"
                f"Open the application: /hiring/applications/{application.pk}/#notes\n"
            ),
            actor=note.author,
            dedupe_key=f"note:{note.pk}:mention:{person.pk}",
        )
        queued += 1
    return queued


# -- helpers -------------------------------------------------------------------


def _invitation_ics(
    interview: Interview, sequence: int, attendees, *, audience: str = "panel"
) -> dict:
    text = calendar.ics(
        calendar.Event(
            uid=f"interview-{interview.pk}@hiring-pipeline",
            sequence=sequence,
            starts_at=interview.starts_at,
            duration_minutes=interview.duration_minutes,
            summary=f"{interview.round_name}: {interview.application.requisition.title}",
            description=_event_description(interview, audience),
            location=interview.location,
            organizer=parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "hiring@localhost",
            attendees=attendees,
            stamp=timezone.now(),
        )
    )
    return {"filename": "invite.ics", "content_type": calendar.CONTENT_TYPE, "content": text}


def _missing_scorecards(now: datetime.datetime) -> list[tuple[Interview, object]]:
    """(interview, interviewer) pairs a day past the interview's end with no scorecard."""
    recent = (
        Interview.objects.filter(
            starts_at__lte=now - REMINDER_AFTER,
            starts_at__gte=now - REMINDER_AFTER - REMINDER_WINDOW,
        )
        .select_related("application__candidate", "application__requisition")
        .prefetch_related("interviewers")
    )
    interviews = [
        i
        for i in recent
        if i.starts_at + datetime.timedelta(minutes=i.duration_minutes) <= now - REMINDER_AFTER
    ]
    scored = set(
        Scorecard.objects.filter(interview__in=[i.pk for i in interviews]).values_list(
            "interview_id", "interviewer_id"
        )
    )
    return [
        (interview, person)
        for interview in interviews
        for person in interview.interviewers.all()
        if person.is_active and (interview.pk, person.pk) not in scored
    ]


def _reminder_key(interview: Interview, person) -> str:
    return f"interview:{interview.pk}:scorecard-reminder:user:{person.pk}"


def _when(interview: Interview) -> str:
    return timezone.localtime(interview.starts_at).strftime("%A %d %B %Y, %H:%M %Z")


def _panel_body(interview: Interview) -> str:
    application = interview.application
    return (
        f"You are on the panel for {interview.round_name} with "
        f"{application.candidate.full_name} ({application.requisition.title}).\n"
        f"When: {_when(interview)}, {interview.duration_minutes} minutes.\n"
        f"Where: {interview.location or 'to be confirmed'}.\n\n"
        f"The interview page: /hiring/interviews/{interview.pk}/\n"
        "The calendar invitation is attached.\n"
    )


def _candidate_body(interview: Interview) -> str:
    application = interview.application
    return (
        f"Dear {application.candidate.full_name},\n\n"
        f"You are invited to an interview ({interview.round_name}) for "
        f"{application.requisition.title}.\n"
        f"When: {_when(interview)}, {interview.duration_minutes} minutes.\n"
        f"Where: {interview.location or 'we will send the details shortly'}.\n\n"
        "The calendar invitation is attached.\n"
    )


def _event_description(interview: Interview, audience: str) -> str:
    if audience == "panel":
        return f"{interview.round_name} with {interview.application.candidate.full_name}."
    return f"{interview.round_name} for {interview.application.requisition.title}."


def _reminder_body(interview: Interview) -> str:
    application = interview.application
    return (
        f"Your scorecard for {interview.round_name} with {application.candidate.full_name} "
        f"({application.requisition.title}, {_when(interview)}) is still missing.\n"
        f"Submit it here: /hiring/interviews/{interview.pk}/#scorecard-form-title\n"
    )
