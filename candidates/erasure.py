"""Erasure: a candidate's personal data removed for good, the rows reports count kept.

``candidate_erase`` is the page's and the admin's entry (a compensation admin, who typed
the candidate's full name); ``erase_candidate`` is the shared core, also run by the
nightly retention task with no actor. In one transaction, with the candidate's row
locked (``select_for_update``):

- every registered eraser runs (higher apps register theirs in ``AppConfig.ready``:
  hiring clears notes, stage-change notes, scorecard comments and careers submissions;
  offers clears justifications, approval and event notes; reports deletes the stored
  files that may name the person) — this app never imports them;
- the documents' rows go, their files after commit;
- outbound emails addressed to or about the person go, their attachment files after
  commit; access-log queries that name them are redacted; admin log entries naming
  them are blanked;
- the live row and every history row are anonymised (name, email, phone, links,
  notes, pay, search text), and ``erased_at`` is set;
- one access event (action ``erase``) records who, when and which id: never the name.

Files are deleted only after commit (``transaction.on_commit``): a rollback keeps both.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus

from django.contrib.admin.models import LogEntry
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from candidates.models import Candidate, Document, RetentionExtension
from core import access, audit
from core.errors import Conflict, DomainError, NotFound, PermissionDenied
from core.models import AccessEvent, OutboundEmail

logger = logging.getLogger(__name__)

ERASED_TEXT = "[erased]"
# Shorter identifiers would match unrelated text (a phone of 3 digits, a one-letter name).
MIN_IDENTIFIER_LENGTH = 5


@dataclass
class ErasureContext:
    """What an eraser needs: the person's id and identifiers (as they were), and a bin for
    storage names to delete once the transaction commits."""

    candidate_id: int
    identifiers: tuple[str, ...]
    at: object
    files: list[str] = field(default_factory=list)

    def mentions(self, field_name: str) -> Q:
        """Rows whose ``field_name`` contains any identifier (case-insensitive)."""
        query = Q(pk__in=[])
        for identifier in self.identifiers:
            query |= Q(**{f"{field_name}__icontains": identifier})
        return query

    def redact(self, text: str) -> str:
        """``text`` with every identifier replaced by ``[erased]``."""
        for identifier in self.identifiers:
            text = re.sub(re.escape(identifier), ERASED_TEXT, text, flags=re.IGNORECASE)
        return text


Eraser = Callable[[ErasureContext], None]
KeepProvider = Callable[[], object]


@dataclass
class _Registry:
    erasers: list[Eraser] = field(default_factory=list)
    keep: list[KeepProvider] = field(default_factory=list)


registry = _Registry()


def register(*, eraser: Eraser | None = None, keep: KeepProvider | None = None) -> None:
    """Add an eraser (runs inside the erasure's transaction) or a keep provider (a
    queryset of candidate ids the retention task never erases, e.g. the hired)."""
    for bucket, provider in ((registry.erasers, eraser), (registry.keep, keep)):
        if provider is not None and provider not in bucket:
            bucket.append(provider)


def may_erase(user) -> bool:
    return access.is_compensation_admin(user)


def names_match(typed: str, full_name: str) -> bool:
    """The typed confirmation: the same words, ignoring case and extra spaces."""
    return " ".join((typed or "").split()).casefold() == " ".join(full_name.split()).casefold()


def candidate_erase(*, candidate: Candidate, actor, typed_name: str, request=None) -> Candidate:
    """A compensation admin erases a candidate after typing their full name.

    Raises ``PermissionDenied`` for anyone else, ``DomainError`` on ``typed_name`` when
    the name does not match, ``Conflict`` when already erased; nothing changes then.
    """
    if not may_erase(actor):
        raise PermissionDenied("Only compensation admins may erase a candidate.")
    return erase_candidate(
        candidate_id=candidate.pk, actor=actor, request=request, typed_name=typed_name
    )


def erase_candidate(
    *, candidate_id: int, actor=None, request=None, typed_name: str | None = None
) -> Candidate:
    """Erase one candidate in one transaction (see the module). ``typed_name`` None: the
    system (the retention task), which confirms nothing."""
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().filter(pk=candidate_id).first()
        if candidate is None:
            raise NotFound("No such candidate.")
        if candidate.erased_at is not None:
            raise Conflict("This candidate has already been erased.", code="already_erased")
        if typed_name is not None and not names_match(typed_name, candidate.full_name):
            raise DomainError.for_field(
                "typed_name",
                "The name you typed does not match the candidate's full name; nothing was erased.",
                code="name_mismatch",
            )
        context = ErasureContext(
            candidate_id=candidate.pk, identifiers=identifiers_of(candidate), at=timezone.now()
        )
        for eraser in registry.erasers:
            eraser(context)
        _erase_own(candidate, context)
        audit.record(
            audit.Action.ERASE, "candidate", candidate.pk, request=request, actor=actor, query=""
        )
        files = list(context.files)
        transaction.on_commit(lambda: delete_files(files))
    return Candidate.objects.get(pk=candidate_id)


def identifiers_of(candidate: Candidate) -> tuple[str, ...]:
    """Name, email and phone, with the forms a URL gives them (for query strings)."""
    raw = [candidate.full_name.strip(), candidate.email.strip(), candidate.phone.strip()]
    forms: list[str] = []
    for value in raw:
        for form in (value, quote_plus(value), quote(value)):
            if len(form) >= MIN_IDENTIFIER_LENGTH and form not in forms:
                forms.append(form)
    return tuple(forms)


def anonymised_fields(candidate_id: int) -> dict:
    """What the live row and every history row of the candidate become."""
    return {
        "full_name": f"Erased candidate {candidate_id}",
        "email": f"erased-{candidate_id}@erased.invalid",
        "phone": "",
        "city": "",
        "github_url": "",
        "kaggle_url": "",
        "portfolio_url": "",
        "degree_field": "",
        "expected_base": None,
        "current_base": None,
        "tags": [],
        "notes": "",
    }


def delete_files(names) -> None:
    """After commit: delete each stored file; a missing one is already gone."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # logged, never raised: the rows are already erased
            logger.exception("Could not delete stored file %s after an erasure", name)


def _erase_own(candidate: Candidate, context: ErasureContext) -> None:
    pk = candidate.pk
    documents = Document.objects.filter(candidate_id=pk)
    context.files.extend(name for name in documents.values_list("file", flat=True) if name)
    documents.delete()
    _erase_outbound_emails(context)
    _redact_access_queries(context)
    _blank_admin_log(context)
    RetentionExtension.objects.filter(candidate_id=pk).update(reason=ERASED_TEXT)
    fields = anonymised_fields(pk)
    # A referral keeps its source (the sources report counts it) but not the referrer.
    referrer = {"referrer": ERASED_TEXT if candidate.source == "referral" else ""}
    Candidate.history.filter(id=pk).update(
        **fields, **referrer, history_change_reason=None, erased_at=context.at
    )
    Candidate.objects.filter(pk=pk).update(
        **fields, **referrer, search_document="", erased_at=context.at
    )


def _erase_outbound_emails(context: ErasureContext) -> None:
    emails = OutboundEmail.objects.filter(
        context.mentions("to")
        | context.mentions("subject")
        | context.mentions("body")
        | context.mentions("html")
        | context.mentions("attachments")
    )
    for attachments in emails.values_list("attachments", flat=True):
        context.files.extend(
            item["storage_name"] for item in attachments or [] if item.get("storage_name")
        )
    emails.delete()


def _redact_access_queries(context: ErasureContext) -> None:
    AccessEvent.objects.filter(context.mentions("query")).update(query=ERASED_TEXT)


def _blank_admin_log(context: ErasureContext) -> None:
    LogEntry.objects.filter(
        context.mentions("object_repr") | context.mentions("change_message")
    ).update(object_repr=ERASED_TEXT, change_message="")
