"""CSV import of candidates: every row validated first, then all or nothing.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first
candidate row 2. Rows use the same checks as the form and the API
(``services.candidate_field_errors``, duplicate email refused, possible
duplicates reported unless confirmed), plus duplicates within the file, and
no NUL character anywhere (PostgreSQL cannot store one).

The rows are written in bulk, ``CHUNK_SIZE`` at a time: the candidates, their
skill and certification links, and their history (one "+" record each, by the
importing user, with its many-to-many history rows), a fixed number of inserts
per chunk however many rows.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.models import Candidate
from candidates.retention import default_retain_until
from candidates.services import (
    DUPLICATE_EMAIL_MESSAGE,
    M2M_FIELDS,
    PROFILE_FIELDS,
    apply_fields,
    build_search_document,
    candidate_field_errors,
    existing_ids_by_email,
    possible_duplicates,
)
from core.errors import DomainError
from core.history import HistoricalRecords
from roles.models import Certification, Skill, Zone

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
CHUNK_SIZE = 1000
NUL_MESSAGE = "It contains a NUL character (byte 0), which cannot be stored; remove it."
COLUMNS = PROFILE_FIELDS
REQUIRED_COLUMNS = ("full_name", "email", "years_experience")
EXAMPLE_ROW = {
    "full_name": "Ada Example",
    "email": "ada.example@example.com",
    "phone": "+1 512 555 0100",
    "city": "Austin",
    "zone": "national",
    "open_to_remote": "yes",
    "years_experience": "4.5",
    "highest_degree": "master",
    "degree_field": "Computer science",
    "skills": "python;pytorch",
    "certifications": "",
    "github_url": "https://github.com/ada-example",
    "kaggle_url": "",
    "portfolio_url": "",
    "source": "referral",
    "referrer": "Grace Hopper",
    "expected_base": "165000",
    "current_base": "",
    "consent_at": "2026-01-15",
    "consent_version": "2026-01",
    "retain_until": "2028-01-15",
    "tags": "llm;rag",
    "notes": "Met at the Austin ML meetup.",
}
TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}


@dataclass
class ParsedRow:
    number: int
    fields: dict
    skills: list = field(default_factory=list)
    certifications: list = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    candidate: Candidate | None = None

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def template_csv() -> str:
    """The header with every importable column, and one example row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(EXAMPLE_ROW)
    return out.getvalue()


def candidates_import(*, file, actor, confirm_duplicates: bool = False) -> list[Candidate]:
    """Validate every row, then create all candidates in one transaction, or none."""
    rows = _parse(_read_text(file))
    _check_rows(rows, confirm_duplicates=confirm_duplicates)
    failing = [row for row in rows if row.errors]
    if failing:
        raise _rows_error(failing)
    try:
        with transaction.atomic():
            return _create_all(rows, actor)
    except IntegrityError as exc:
        raise DomainError(
            "The import conflicted with a change made meanwhile; nothing was imported. Try again.",
            code="conflict",
        ) from exc


def _read_text(file) -> str:
    size = getattr(file, "size", None)
    if size is None:
        raw = file.read(MAX_BYTES + 1)
        size = len(raw)
    else:
        raw = b"" if size > MAX_BYTES else file.read()
    if size > MAX_BYTES:
        raise DomainError.for_field(
            "file", f"The file is larger than {MAX_BYTES // 1024 // 1024} MB.", code="invalid_file"
        )
    if not raw.strip():
        raise DomainError.for_field("file", "The file is empty.", code="invalid_file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError.for_field(
            "file",
            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read). "
            "Save it as “CSV UTF-8” and try again.",
            code="invalid_file",
        ) from exc


def _parse(text: str) -> list[ParsedRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader)]
        _check_header(header)
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise DomainError.for_field(
                    "file",
                    f"The file has more than {MAX_ROWS} rows; split it.",
                    code="invalid_file",
                )
            rows.append(_row(reader.line_num, header, values))
    except csv.Error as exc:
        raise DomainError.for_field(
            "file",
            f"The CSV cannot be read near line {reader.line_num}: {exc}.",
            code="invalid_file",
        ) from exc
    if not rows:
        raise DomainError.for_field("file", "The file has no candidate rows.", code="invalid_file")
    return rows


def _check_header(header: list[str]) -> None:
    unknown = [name.replace("\x00", "\\0") for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    repeated = sorted({name for name in header if header.count(name) > 1})
    problems = []
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)}")
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if repeated:
        problems.append(f"repeated columns: {', '.join(repeated)}")
    if problems:
        raise DomainError.for_field(
            "file",
            f"The header row is not right ({'; '.join(problems)}). Download the template.",
            code="invalid_file",
        )


def _row(number: int, header: list[str], values: list[str]) -> ParsedRow:
    row = ParsedRow(number=number, fields={})
    if len(values) > len(header):
        row.error("row", f"It has {len(values)} values but the header has {len(header)} columns.")
    raw = dict(zip(header, (v.strip() for v in values), strict=False))
    row.fields = {name: raw.get(name, "") for name in COLUMNS if name in header}
    for name, value in row.fields.items():
        if "\x00" in value:
            row.error(name, NUL_MESSAGE)
            # Checked without it, so no other message and no query carries the NUL.
            row.fields[name] = value.replace("\x00", "").strip()
    return row


def _check_rows(rows: list[ParsedRow], *, confirm_duplicates: bool) -> None:
    catalogues = _catalogues()
    for row in rows:
        _convert(row, catalogues)
        candidate = Candidate()
        apply_fields(candidate, row.fields)
        if candidate.retain_until is None:
            candidate.retain_until = default_retain_until()
        for name, messages in _field_errors(candidate).items():
            if name in row.errors:  # already explained by the conversion
                continue
            for message in messages:
                row.error(name, message)
        row.candidate = candidate
    _check_duplicate_emails(rows)
    if not confirm_duplicates:
        _check_possible_duplicates(rows)


def _field_errors(candidate: Candidate) -> dict[str, list[str]]:
    """``candidate_field_errors`` without the query per row that model validation
    makes to check the zone exists: the zone was just read from the catalogue."""
    zone = candidate.zone
    candidate.zone = None
    try:
        return candidate_field_errors(candidate)
    finally:
        candidate.zone = zone


def _catalogues() -> dict[str, dict]:
    return {
        "zone": {z.slug: z for z in Zone.objects.all()},
        "skills": {s.slug: s for s in Skill.objects.all()},
        "certifications": {c.slug: c for c in Certification.objects.all()},
    }


def _convert(row: ParsedRow, catalogues: dict) -> None:
    values = row.fields
    if "zone" in values:
        slug = values["zone"]
        values["zone"] = catalogues["zone"].get(slug) if slug else None
        if slug and values["zone"] is None:
            row.error("zone", f"Unknown zone “{slug}”. Known: {', '.join(catalogues['zone'])}.")
    for name in ("skills", "certifications"):
        slugs = [s.strip() for s in values.pop(name, "").split(";") if s.strip()]
        unknown = [s for s in slugs if s not in catalogues[name]]
        if unknown:
            row.error(name, f"Unknown {name}: {', '.join(unknown)} (use slugs, separated by ';').")
        setattr(row, name, [catalogues[name][s] for s in slugs if s in catalogues[name]])
    if "open_to_remote" in values:
        word = values["open_to_remote"].lower()
        values["open_to_remote"] = word in TRUE_WORDS
        if word not in TRUE_WORDS | FALSE_WORDS:
            row.error("open_to_remote", "Use yes or no.")
    for name in ("years_experience", "expected_base", "current_base"):
        if name in values:
            values[name] = _decimal(row, name, values[name])
    for name in ("consent_at", "retain_until"):
        if name in values:
            values[name] = _date(row, name, values[name])
    if "tags" in values:
        values["tags"] = [t for t in values["tags"].split(";") if t.strip()]
    if "source" in values and not values["source"]:
        values["source"] = Candidate.SourceChannel.OTHER


def _decimal(row: ParsedRow, name: str, text: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        row.error(name, f"“{text}” is not a number.")
        return None
    if not value.is_finite():
        row.error(name, f"“{text}” is not a number.")
        return None
    return value


def _date(row: ParsedRow, name: str, text: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        row.error(name, f"“{text}” is not a date; use YYYY-MM-DD.")
        return None


def _check_duplicate_emails(rows: list[ParsedRow]) -> None:
    first_row: dict[str, int] = {}
    for row in rows:
        email = (row.candidate.email or "").lower()
        if not email or "email" in row.errors:
            continue
        if email in first_row:
            row.error("email", f"The same email is on row {first_row[email]}.")
        else:
            first_row[email] = row.number
    taken = existing_ids_by_email(first_row)
    for row in rows:
        existing = taken.get((row.candidate.email or "").lower())
        if existing and "email" not in row.errors:
            row.error("email", f"{DUPLICATE_EMAIL_MESSAGE} (candidate #{existing})")


def _check_possible_duplicates(rows: list[ParsedRow]) -> None:
    people = [(r.candidate.full_name, r.candidate.email, r.candidate.phone) for r in rows]
    for row, found in zip(rows, possible_duplicates(people), strict=True):
        for duplicate in found:
            row.error(duplicate.field, f"{duplicate.reason} (candidate #{duplicate.candidate_id})")
    first_row: dict[str, int] = {}
    for row in rows:
        phone = row.candidate.phone
        if phone and phone in first_row:
            row.error("phone", f"The same phone is on row {first_row[phone]}.")
        elif phone:
            first_row[phone] = row.number


def _rows_error(failing: list[ParsedRow]) -> DomainError:
    errors = {
        f"row {row.number}": [
            f"{name}: {message}" for name, messages in row.errors.items() for message in messages
        ]
        for row in failing
    }
    return DomainError(
        f"{len(failing)} row(s) have errors; nothing was imported.",
        code="invalid_rows",
        errors=errors,
        extra={"rows": [{"row": row.number, "errors": row.errors} for row in failing]},
    )


def _create_all(rows: list[ParsedRow], actor) -> list[Candidate]:
    """Insert the checked rows in bulk, ``CHUNK_SIZE`` at a time (inside the caller's
    transaction): what ``save()`` and ``set()`` per row did, in six queries a chunk."""
    created: list[Candidate] = []
    now = timezone.now()
    for start in range(0, len(rows), CHUNK_SIZE):
        chunk = rows[start : start + CHUNK_SIZE]
        for row in chunk:
            candidate = row.candidate
            candidate.created_by = actor
            candidate.search_document = build_search_document(
                candidate, row.skills, row.certifications
            )
        candidates = Candidate.objects.bulk_create([row.candidate for row in chunk])
        links = {name: _bulk_link(chunk, name) for name in M2M_FIELDS}
        records = Candidate.history.bulk_history_create(
            candidates, default_user=actor, default_date=now, default_change_reason=None
        )
        if records:
            _bulk_m2m_history(records, links)
        created += candidates
    return created


def _bulk_link(chunk: list[ParsedRow], name: str) -> list:
    """The through rows of one many-to-many field (each item once, as ``set()`` does)."""
    field = Candidate._meta.get_field(name)
    through = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    links = []
    for row in chunk:
        for pk in dict.fromkeys(item.pk for item in getattr(row, name)):
            links.append(through(**{source: row.candidate.pk, target: pk}))
    return through.objects.bulk_create(links)


def _bulk_m2m_history(records: list, links: dict[str, list]) -> None:
    """What simple-history stores with each record: a copy of its through rows."""
    record_of = {record.id: record.pk for record in records}
    for m2m_field in Candidate.history.model._history_m2m_fields:
        m2m_model = HistoricalRecords.m2m_models[m2m_field]
        source = f"{m2m_field.m2m_field_name()}_id"
        copies = []
        for link in links.get(m2m_field.name, []):
            values = {f.attname: getattr(link, f.attname) for f in link._meta.concrete_fields}
            copies.append(m2m_model(history_id=record_of[getattr(link, source)], **values))
        m2m_model.objects.bulk_create(copies)
