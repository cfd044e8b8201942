"""Notes on an application, with @mentions.

Recruiters, compensation admins and the requisition's hiring manager write notes;
whoever sees the application reads them (notes follow its visibility). ``@username``
mentions a colleague: a mentioned person who may see the application gets one email;
one who may not is named back to the author and gets nothing (no leak).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from candidates.retention import retention_touch
from core.errors import DomainError, PermissionDenied
from hiring import permissions
from hiring.models import Application, Note
from hiring.services.notifications import note_mentions_notify

NOTE_MAX_LENGTH = 5000
MAX_MENTIONS = 20
MENTION = re.compile(r"(?<![\w@.])@([\w.+-]+\w)")


@dataclass
class NoteResult:
    note: Note
    notified: list = field(default_factory=list)
    not_notified: list[str] = field(default_factory=list)  # mentioned names nobody told


@transaction.atomic
def note_add(*, application: Application, body: str, actor) -> NoteResult:
    """Add a note; email each mentioned colleague who may see the application, once."""
    if not may_write_notes(actor, application):
        raise PermissionDenied(
            "Only recruiters, compensation admins and the requisition's hiring manager write notes."
        )
    text = (body or "").strip()
    if not text:
        raise DomainError.for_field("body", "Write something in the note.")
    if len(text) > NOTE_MAX_LENGTH:
        raise DomainError.for_field(
            "body", f"A note is at most {NOTE_MAX_LENGTH:,} characters; this one is {len(text):,}."
        )
    note = Note.objects.create(
        application=application, author=actor, body=text, created_at=timezone.now()
    )
    retention_touch([application.candidate_id])
    notified, not_notified = _mentioned(text, application, actor)
    note.mentioned.set(notified)
    note_mentions_notify(note=note, people=notified)
    return NoteResult(note=note, notified=notified, not_notified=not_notified)


def may_write_notes(user, application: Application) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and permissions.can_move_application(user, application)
    )


def mentioned_names(text: str) -> list[str]:
    """The ``@name`` handles in a note, in order, each once (case-insensitive)."""
    seen: dict[str, str] = {}
    for name in MENTION.findall(text):
        seen.setdefault(name.lower(), name)
    return list(seen.values())


def _mentioned(text: str, application: Application, actor) -> tuple[list, list[str]]:
    names = mentioned_names(text)
    if not names:
        return [], []
    names = names[:MAX_MENTIONS]
    wanted = reduce(operator.or_, (Q(username__iexact=name) for name in names))
    found = {u.username.lower(): u for u in get_user_model().objects.filter(wanted, is_active=True)}
    notified, not_notified = [], []
    for name in names:
        person = found.get(name.lower())
        if person is None:
            not_notified.append(name)
        elif person.pk != actor.pk and _sees(person, application):
            notified.append(person)
        elif person.pk != actor.pk:
            not_notified.append(name)
    return notified, not_notified


def _sees(person, application: Application) -> bool:
    return permissions.applications_visible_to(person).filter(pk=application.pk).exists()
