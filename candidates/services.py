"""Writes on candidates and their documents.

Every write goes through here: the form, the API and the CSV import share the
same validation (``candidate_field_errors``), the same duplicate rules and the
same search document, so none of them can drift.

Duplicate rules
- Same email, case-insensitive: refused (``DomainError`` on ``email``, with
  ``existing_id``).
- Possible duplicates, which the user must confirm (``confirm_duplicate``):
  the same phone (compared as ``+`` and digits; phones are stored that way), or
  a very similar name and email: an existing candidate whose normalized name
  equals this one and whose email local part is at least 80 % similar
  (difflib ratio), or whose email local part equals this one (another domain)
  and whose normalized name is at least 85 % similar. Normalized means
  lower-cased, accents removed, punctuation dropped, spaces collapsed.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Left, Lower, StrIndex
from django.utils import timezone

from candidates.documents import DocumentRejected, inspect_upload
from candidates.models import Candidate, Document, document_path
from candidates.retention import default_retain_until
from core import access
from core.errors import Conflict, DomainError, PermissionDenied
from core.limits import DOCUMENT_MAX_BYTES
from core.money import DEFAULT_CURRENCY
from core.text import clean_name

# Every field of a candidate's profile, in the order people read it (the CSV
# template's columns, the API's fields, the form's fields).
PROFILE_FIELDS = (
    "full_name",
    "email",
    "phone",
    "city",
    "zone",
    "open_to_remote",
    "years_experience",
    "highest_degree",
    "degree_field",
    "skills",
    "certifications",
    "github_url",
    "kaggle_url",
    "portfolio_url",
    "source",
    "referrer",
    "expected_base",
    "current_base",
    "pay_currency",
    "consent_at",
    "consent_version",
    "retain_until",
    "tags",
    "notes",
)
M2M_FIELDS = ("skills", "certifications")
EDITABLE_FIELDS = tuple(f for f in PROFILE_FIELDS if f not in M2M_FIELDS)
COMPENSATION_FIELDS = ("expected_base", "current_base", "pay_currency")
# Fields whose change can create a new possible duplicate.
IDENTITY_FIELDS = ("full_name", "email", "phone")
NULLABLE_FIELDS = frozenset(
    {"zone", "expected_base", "current_base", "consent_at", "retain_until", "years_experience"}
)

NAME_SIMILARITY = 0.85
EMAIL_LOCAL_SIMILARITY = 0.80
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9 ._+-]{0,39}$")
PHONE_ALLOWED = re.compile(r"^\+?[0-9 ().\-/]+$")
DUPLICATE_EMAIL_MESSAGE = "A candidate with this email already exists."
# Recruiter notes: pages of text, not documents (those are uploads).
NOTES_MAX_LENGTH = 20_000
# PostgreSQL refuses a tsvector over 1 MB, and the GIN index builds one from the
# search document on every save. 50,000 characters is under 650 kB of tsvector
# in the worst case (distinct one-character words of 4 UTF-8 bytes each) and
# leaves room for notes at their limit plus every other field.
SEARCH_DOCUMENT_MAX_LENGTH = 50_000


@dataclass(frozen=True)
class PossibleDuplicate:
    candidate_id: int
    full_name: str
    field: str
    reason: str

    def as_dict(self) -> dict:
        return {"id": self.candidate_id, "full_name": self.full_name, "reason": self.reason}


def candidate_create(
    *,
    actor,
    confirm_duplicate: bool = False,
    skills: Iterable = (),
    certifications: Iterable = (),
    resume: UploadedFile | None = None,
    **fields,
) -> Candidate:
    """Create a candidate; refuses a duplicate email, asks to confirm a possible duplicate.

    With a ``resume`` (PDF or DOCX, the document limit), the file is checked before
    anything is written and stored in the same transaction: both or neither.
    """
    _check_keys(fields)
    skills, certifications = list(skills), list(certifications)
    candidate = Candidate(created_by=actor)
    apply_fields(candidate, fields)
    if candidate.retain_until is None:
        candidate.retain_until = default_retain_until()
    errors = _resume_errors(resume)
    try:
        _validate(candidate)
    except DomainError as exc:
        merged = {**exc.errors, **errors}
        raise DomainError(exc.message, code=exc.code, errors=merged, extra=exc.extra) from exc
    if errors:
        raise DomainError(errors["resume"][0], code="invalid_document", errors=errors)
    if not confirm_duplicate:
        _refuse_possible_duplicates(candidate)
    candidate.search_document = build_search_document(candidate, skills, certifications)
    candidate._history_user = actor
    with transaction.atomic():
        _save(candidate)
        if skills:
            candidate.skills.set(skills)
        if certifications:
            candidate.certifications.set(certifications)
        if resume is not None:
            document_upload(candidate=candidate, file=resume, actor=actor)
    return candidate


def candidate_update(
    *, candidate: Candidate, actor, confirm_duplicate: bool = False, **changes
) -> Candidate:
    """Apply ``changes`` (model fields, ``skills``, ``certifications``) and record who did it."""
    skills = changes.pop("skills", None)
    certifications = changes.pop("certifications", None)
    _check_keys(changes)
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.erased_at is not None:
            raise Conflict("This candidate has been erased.", code="already_erased")
        before = {name: getattr(locked, name) for name in IDENTITY_FIELDS}
        apply_fields(locked, changes)
        # A profile change is activity: keep the data at least RETENTION_MONTHS from today.
        locked.retain_until = max(filter(None, [locked.retain_until, default_retain_until()]))
        _validate(locked)
        identity_changed = any(getattr(locked, n) != before[n] for n in IDENTITY_FIELDS)
        if identity_changed and not confirm_duplicate:
            _refuse_possible_duplicates(locked)
        skills = list(locked.skills.all()) if skills is None else list(skills)
        certifications = (
            list(locked.certifications.all()) if certifications is None else list(certifications)
        )
        locked.search_document = build_search_document(locked, skills, certifications)
        locked._history_user = actor
        _save(locked)
        locked.skills.set(skills)
        locked.certifications.set(certifications)
    return locked


def candidate_record_consent(*, candidate: Candidate, version: str, actor, on=None) -> None:
    """The candidate consented (again) to the text ``version`` on ``on`` (today)."""
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if locked.erased_at is not None:
            raise Conflict("This candidate has been erased.", code="already_erased")
        locked.consent_at = on or timezone.localdate()
        locked.consent_version = version
        locked._history_user = actor
        locked.save(update_fields=["consent_at", "consent_version", "updated_at"])


def document_upload(
    *, candidate: Candidate, file: UploadedFile, actor, kind: str = Document.Kind.RESUME
) -> Document:
    """Check the file by content, store it under a random name, then write the row.

    The stored file is deleted again if the row cannot be written, so a failed
    upload leaves nothing behind.
    """
    if kind not in Document.Kind.values:
        raise DomainError.for_field("kind", f"Choose one of: {', '.join(Document.Kind.values)}.")
    try:
        checked = inspect_upload(file, max_bytes=DOCUMENT_MAX_BYTES)
    except DocumentRejected as exc:
        raise DomainError.for_field("file", str(exc), code="invalid_document") from exc
    file.seek(0)
    name = default_storage.save(document_path(None, checked.original_name), file)
    try:
        with transaction.atomic():
            document = Document.objects.create(
                candidate=candidate,
                kind=kind,
                file=name,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=actor,
            )
    except Exception:
        default_storage.delete(name)
        raise
    return document


def document_delete(*, document: Document, actor) -> None:
    """Delete a document's row, and its stored file once the transaction commits."""
    if not access.sees_all_candidates(actor):
        raise PermissionDenied("Only compensation admins and recruiters may delete documents.")
    name = document.file.name
    with transaction.atomic():
        deleted, _ = Document.objects.filter(pk=document.pk).delete()
        if deleted and name:
            transaction.on_commit(lambda: default_storage.delete(name))


def _resume_errors(resume: UploadedFile | None) -> dict[str, list[str]]:
    if resume is None:
        return {}
    try:
        inspect_upload(resume, max_bytes=DOCUMENT_MAX_BYTES)
    except DocumentRejected as exc:
        return {"resume": [f"Résumé: {exc}"]}
    finally:
        resume.seek(0)
    return {}


def candidate_field_errors(candidate: Candidate) -> dict[str, list[str]]:
    """Every field error on an unsaved or changed candidate, without the database."""
    errors: dict[str, list[str]] = {}
    try:
        candidate.full_clean(exclude=["created_by"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if candidate.source == Candidate.SourceChannel.REFERRAL and not candidate.referrer:
        errors.setdefault("referrer", []).append("A referral needs the referrer's name.")
    if candidate.phone and not PHONE_ALLOWED.match(candidate.phone):
        errors.setdefault("phone", []).append(
            "Use digits, spaces, dashes, dots, parentheses and an optional leading +."
        )
    elif candidate.phone and not 7 <= len(re.sub(r"\D", "", candidate.phone)) <= 15:
        errors.setdefault("phone", []).append("A phone number has 7 to 15 digits.")
    if (
        candidate.consent_at
        and candidate.retain_until
        and (candidate.retain_until < candidate.consent_at)
    ):
        errors.setdefault("retain_until", []).append(
            "The retain-until date must not be before the consent date."
        )
    if len(candidate.notes or "") > NOTES_MAX_LENGTH:
        errors.setdefault("notes", []).append(
            f"Notes are limited to {NOTES_MAX_LENGTH:,} characters "
            f"(these have {len(candidate.notes):,}); attach longer text as a document."
        )
    tag_errors = [tag for tag in candidate.tags if not TAG_PATTERN.match(str(tag))]
    if not isinstance(candidate.tags, list) or tag_errors:
        errors.setdefault("tags", []).append(
            "Tags are up to 40 characters: letters a-z, digits, spaces, '.', '_', '+', '-'."
        )
    return errors


def existing_ids_by_email(emails: Iterable[str], *, exclude_pk: int | None = None) -> dict:
    """``{lower-cased email: candidate id}`` for emails already taken (uses the unique index)."""
    lowered = sorted({e.strip().lower() for e in emails if e})
    found: dict[str, int] = {}
    for start in range(0, len(lowered), 500):
        chunk = lowered[start : start + 500]
        rows = (
            Candidate.objects.annotate(email_lower=Lower("email"))
            .filter(email_lower__in=chunk)
            .exclude(pk=exclude_pk)
            .values_list("email_lower", "pk")
        )
        found.update(rows)
    return found


def possible_duplicates(
    people: Sequence[tuple[str, str, str]], *, exclude_pk: int | None = None
) -> list[list[PossibleDuplicate]]:
    """For each ``(full_name, email, phone)``, the existing candidates it may duplicate.

    Three queries per 500 people, whatever the table size.
    """
    result: list[list[PossibleDuplicate]] = [[] for _ in people]
    for start in range(0, len(people), 500):
        chunk = people[start : start + 500]
        existing = _duplicate_suspects(chunk, exclude_pk)
        for offset, person in enumerate(chunk):
            result[start + offset] = _match(person, existing)
    return result


def normalize_phone(phone: str) -> str:
    phone = (phone or "").strip()
    if not phone or not PHONE_ALLOWED.match(phone):
        return phone
    digits = re.sub(r"\D", "", phone)
    return f"+{digits}" if phone.startswith("+") else digits


def normalize_tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = re.split(r"[;,]", tags)
    if not isinstance(tags, list | tuple):
        return tags
    cleaned: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).lower().split())
        if tag and tag not in cleaned:
            cleaned.append(tag)
    return cleaned


def normalize_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name or "")
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", ascii_only.lower()).split())


def search_words(text: str) -> list[str]:
    """The words the search document and the search box are both cut into."""
    return re.sub(r"[\W_]+", " ", (text or "").lower()).split()


def build_search_document(candidate: Candidate, skills: Iterable, certifications: Iterable) -> str:
    """Lower-cased words of name, email, city, skills, certifications, tags and notes.

    Punctuation becomes spaces, so PostgreSQL's parser and SQLite's LIKE see the
    same words (``jane.doe@x.com`` → ``jane doe x com``). Whatever the input, the
    result is at most ``SEARCH_DOCUMENT_MAX_LENGTH`` characters, cut after a
    whole word, so its tsvector always fits; notes come last, so they are cut first.
    """
    parts = [candidate.full_name, candidate.email, candidate.city]
    for item in [*skills, *certifications]:
        parts += [item.name, item.slug]
    parts += [str(tag) for tag in candidate.tags or []]
    parts.append(candidate.notes)
    document = " ".join(search_words(" ".join(p for p in parts if p)))
    if len(document) <= SEARCH_DOCUMENT_MAX_LENGTH:
        return document
    head = document[: SEARCH_DOCUMENT_MAX_LENGTH + 1]
    return head.rpartition(" ")[0] or head[:SEARCH_DOCUMENT_MAX_LENGTH]


def _check_keys(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable candidate fields: {', '.join(sorted(unknown))}")


def apply_fields(candidate: Candidate, fields: dict) -> None:
    """Set normalized values (trimmed text, phone as + and digits, tags as a list).

    The name loses control and bidirectional characters (display spoofing), whatever the
    way in: the pages, the API, the CSV import, the careers form and the admin all save here.
    """
    for name, value in fields.items():
        if isinstance(value, str) and name not in ("notes",):
            value = value.strip()
        if name == "full_name":
            value = clean_name(value)
        elif name == "phone":
            value = normalize_phone(value)
        elif name == "tags":
            value = normalize_tags(value if value is not None else [])
        elif name == "pay_currency":
            value = (value or DEFAULT_CURRENCY).upper()
        elif value is None and name not in NULLABLE_FIELDS:
            value = ""
        setattr(candidate, name, value)


def _validate(candidate: Candidate) -> None:
    errors = candidate_field_errors(candidate)
    extra: dict = {}
    if "email" not in errors and candidate.email:
        taken = existing_ids_by_email([candidate.email], exclude_pk=candidate.pk)
        if taken:
            errors["email"] = [DUPLICATE_EMAIL_MESSAGE]
            extra["existing_id"] = next(iter(taken.values()))
    if errors:
        first = next(iter(errors))
        code = "duplicate_email" if extra else "invalid"
        raise DomainError(f"{first}: {errors[first][0]}", code=code, errors=errors, extra=extra)


def _refuse_possible_duplicates(candidate: Candidate) -> None:
    person = (candidate.full_name, candidate.email, candidate.phone)
    found = possible_duplicates([person], exclude_pk=candidate.pk)[0]
    if not found:
        return
    errors: dict[str, list[str]] = {}
    for duplicate in found:
        errors.setdefault(duplicate.field, []).append(duplicate.reason)
    raise DomainError(
        "This may be a candidate we already have. Check, then confirm to save anyway.",
        code="possible_duplicate",
        errors=errors,
        extra={"duplicates": [d.as_dict() for d in found]},
    )


def _save(candidate: Candidate) -> None:
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:
        # A concurrent insert won the race for the email: same answer as the check.
        taken = existing_ids_by_email([candidate.email], exclude_pk=candidate.pk)
        if not taken:
            raise
        raise DomainError(
            f"email: {DUPLICATE_EMAIL_MESSAGE}",
            code="duplicate_email",
            errors={"email": [DUPLICATE_EMAIL_MESSAGE]},
            extra={"existing_id": next(iter(taken.values()))},
        ) from exc


def _local_part(email: str) -> str:
    return (email or "").lower().split("@", 1)[0]


def _duplicate_suspects(people: Sequence[tuple[str, str, str]], exclude_pk) -> list[tuple]:
    phones = {p for _, _, p in people if p}
    names = {" ".join((n or "").lower().split()) for n, _, _ in people if n}
    locals_ = {f"{_local_part(e)}@" for _, e, _ in people if e}
    condition = Q(phone__in=phones) | Q(name_lower__in=names) | Q(local_at__in=locals_)
    return list(
        Candidate.objects.annotate(
            name_lower=Lower("full_name"),
            local_at=Lower(Left("email", StrIndex("email", Value("@")))),
        )
        .filter(condition)
        .exclude(pk=exclude_pk)
        .values_list("pk", "full_name", "email", "phone")
    )


def _match(person: tuple[str, str, str], existing: list[tuple]) -> list[PossibleDuplicate]:
    name, email, phone = person
    found = []
    for pk, other_name, other_email, other_phone in existing:
        if phone and phone == other_phone:
            found.append(
                PossibleDuplicate(pk, other_name, "phone", f"{other_name} has the same phone.")
            )
        elif _similar_identity(name, email, other_name, other_email):
            found.append(
                PossibleDuplicate(
                    pk,
                    other_name,
                    "full_name",
                    f"{other_name} <{other_email}> has a very similar name and email.",
                )
            )
    return found


def _similar_identity(name: str, email: str, other_name: str, other_email: str) -> bool:
    name_a, name_b = normalize_name(name), normalize_name(other_name)
    local_a = re.sub(r"[\W_]+", "", _local_part(email))
    local_b = re.sub(r"[\W_]+", "", _local_part(other_email))
    name_ratio = difflib.SequenceMatcher(None, name_a, name_b).ratio()
    local_ratio = difflib.SequenceMatcher(None, local_a, local_b).ratio()
    same_name = bool(name_a) and name_a == name_b
    same_local = bool(local_a) and local_a == local_b
    return (same_name and local_ratio >= EMAIL_LOCAL_SIMILARITY) or (
        same_local and name_ratio >= NAME_SIMILARITY
    )


def candidate_write_error(
    *, candidate: Candidate | None = None, confirm_duplicate: bool = False, **fields
) -> DomainError | None:
    """The refusal ``candidate_create`` (no ``candidate``) or ``candidate_update`` would raise.

    None when the write would pass; saves nothing. For a form that shows the
    service's errors on its own fields before it saves (the admin): the same
    checks, the same duplicate rules, asked about possible duplicates only when
    name, email or phone change, as ``candidate_update`` does. ``skills`` and
    ``certifications`` may be given; no rule reads them.
    """
    fields = {name: value for name, value in fields.items() if name not in M2M_FIELDS}
    _check_keys(fields)
    if candidate is None:
        target, before = Candidate(), None
    else:
        target = Candidate.objects.get(pk=candidate.pk)
        before = {name: getattr(target, name) for name in IDENTITY_FIELDS}
    apply_fields(target, fields)
    try:
        _validate(target)
        identity_changed = before is None or any(
            getattr(target, name) != before[name] for name in IDENTITY_FIELDS
        )
        if identity_changed and not confirm_duplicate:
            _refuse_possible_duplicates(target)
    except DomainError as error:
        return error
    return None
