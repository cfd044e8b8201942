"""Reads on candidates: who sees whom, search, filters, the change timeline.

Visibility and pay that depend on applications come from the providers that
higher apps register in ``candidates.scopes``: this app never imports ``hiring``
nor names its models, in code, ORM lookups or templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import OuterRef, Q, QuerySet
from django.db.models.functions import JSONArray

from candidates import scopes
from candidates.models import Candidate, Document
from candidates.services import COMPENSATION_FIELDS, search_words
from core import access, pay
from core.history import HistoricalRecords

# The GIN index in migration 0002 is built on exactly this expression.
SEARCH_CONFIG = "simple"
HISTORY_LIMIT = 100
# History rows written by one save (the row, then each many-to-many field) are one change.
HISTORY_GROUP_WINDOW = timedelta(seconds=2)


def candidates_visible_to(user) -> QuerySet[Candidate]:
    """Everyone the user may see: all for compensation admins and recruiters; for
    anyone else, what the higher apps registered in ``candidates.scopes`` grant
    (hiring: candidates on requisitions they manage or interviews they sit on)."""
    if user is None or not user.is_authenticated:
        return Candidate.objects.none()
    if access.sees_all_candidates(user):
        return Candidate.objects.all()
    return _granted(user, scopes.registry.visible)


def candidates_with_visible_pay(user) -> QuerySet[Candidate]:
    """The candidates whose expected and current base the user may see (``core.pay``)."""
    if pay.sees_all_pay(user):
        return Candidate.objects.all()
    if not pay.may_ever_see_pay(user):
        return Candidate.objects.none()
    return _granted(user, scopes.registry.pay_visible)


def sees_pay_of(user, candidate: Candidate) -> bool:
    """The pay policy's answer for one candidate (one query at most)."""
    if pay.sees_all_pay(user):
        return True
    if not pay.may_ever_see_pay(user):
        return False
    managed = candidates_with_visible_pay(user).filter(pk=candidate.pk).exists()
    return pay.sees_candidate_pay(user, on_managed_requisition=managed)


def pay_visible_ids(user, ids) -> set[int]:
    """Of ``ids``, those whose pay the user may see: for a list page, one query."""
    ids = list(ids)
    if pay.sees_all_pay(user):
        return set(ids)
    if not ids or not pay.may_ever_see_pay(user):
        return set()
    return set(candidates_with_visible_pay(user).filter(pk__in=ids).values_list("pk", flat=True))


def page_sections(candidate: Candidate, user, request=None) -> list[scopes.PageSection]:
    """The blocks that higher apps add to the candidate page, in registration order.

    ``request`` lets a block hold a form (its CSRF token).
    """
    sections = (provider(candidate, user, request) for provider in scopes.registry.sections)
    return [section for section in sections if section is not None]


def may_edit_candidates(user) -> bool:
    """Create, edit, upload documents, import: compensation admins and recruiters."""
    return bool(user and user.is_authenticated and access.sees_all_candidates(user))


def candidate_list(user, *, filters: dict | None = None) -> QuerySet[Candidate]:
    """The visible candidates, filtered and ready for a page: a fixed number of queries."""
    queryset = candidates_visible_to(user)
    queryset = apply_filters(queryset, filters or {})
    return queryset.select_related("zone").prefetch_related("skills", "certifications")


def apply_filters(queryset: QuerySet[Candidate], filters: dict) -> QuerySet[Candidate]:
    """Filters by name: q, zone (slug), source, skill (slug), min_years, max_years, tag."""
    if filters.get("q"):
        queryset = search(queryset, filters["q"])
    if filters.get("zone"):
        queryset = queryset.filter(zone__slug=filters["zone"])
    if filters.get("source"):
        queryset = queryset.filter(source=filters["source"])
    if filters.get("skill"):
        queryset = filter_skill(queryset, filters["skill"])
    if filters.get("min_years") not in (None, ""):
        queryset = queryset.filter(years_experience__gte=Decimal(filters["min_years"]))
    if filters.get("max_years") not in (None, ""):
        queryset = queryset.filter(years_experience__lte=Decimal(filters["max_years"]))
    if filters.get("tag"):
        queryset = filter_tag(queryset, filters["tag"])
    return queryset


def search(queryset: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    """Every word of ``text`` must start a word of the candidate's search document.

    PostgreSQL: full-text match on the GIN-indexed ``to_tsvector('simple', ...)``.
    Elsewhere: one ``icontains`` per word over the same document.
    """
    words = search_words(text)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        raw = " & ".join(f"'{word}':*" for word in words)
        return queryset.annotate(
            search_vector=SearchVector("search_document", config=SEARCH_CONFIG)
        ).filter(search_vector=SearchQuery(raw, config=SEARCH_CONFIG, search_type="raw"))
    for word in words:
        queryset = queryset.filter(search_document__icontains=word)
    return queryset


def suggestions(user, text: str, *, limit: int = 8) -> list[Candidate]:
    """Visible candidates matching ``text`` (search words, or an email's beginning)."""
    visible = candidates_visible_to(user).only("id", "full_name", "email")
    by_email = visible.filter(email__istartswith=text)
    found = list(by_email.order_by("full_name", "id")[:limit])
    if len(found) < limit:
        seen = [c.pk for c in found]
        more = search(visible, text).exclude(pk__in=seen).order_by("full_name", "id")
        found += list(more[: limit - len(found)])
    return found


def filter_skill(queryset: QuerySet[Candidate], slug: str) -> QuerySet[Candidate]:
    through = Candidate.skills.through.objects.filter(skill__slug=slug)
    return queryset.filter(pk__in=through.values("candidate_id"))


def filter_tag(queryset: QuerySet[Candidate], tag: str) -> QuerySet[Candidate]:
    # Tags are stored normalized (lower-case ASCII, no quotes), so the quoted
    # tag matches one whole list element in the JSON text on every database.
    tag = " ".join(tag.lower().split()).replace('"', "")
    return queryset.filter(tags__icontains=f'"{tag}"')


def candidate_documents(candidate: Candidate) -> QuerySet[Document]:
    return candidate.documents.select_related("uploaded_by")


def documents_visible_to(user) -> QuerySet[Document]:
    return Document.objects.filter(candidate__in=candidates_visible_to(user).values("pk"))


@dataclass
class HistoryEntry:
    at: datetime
    who: str
    kind: str
    fields: list[str] = field(default_factory=list)


def candidate_history(
    candidate: Candidate, *, user, sees_pay: bool | None = None
) -> list[HistoryEntry]:
    """The candidate's own changes, newest first: who, when, which fields (no values).

    Users who may not see pay do not see that pay fields changed either
    (``sees_pay``; when None, the pay policy is asked for this candidate). A fixed number of
    queries however long the history: the newest ``HISTORY_LIMIT`` records with
    their users and, on PostgreSQL, each record's many-to-many history rows (elsewhere one
    query per many-to-many field); the diff is made in Python.
    """
    newest = candidate.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )
    records = list(_with_m2m_rows(newest)[:HISTORY_LIMIT])[::-1]
    if sees_pay is None:
        sees_pay = sees_pay_of(user, candidate)
    hidden = set() if sees_pay else set(COMPENSATION_FIELDS)
    compared = _compared_fields(hidden)
    m2m_rows = _m2m_rows(records, hidden)
    labels = {
        f.name: str(f.verbose_name)
        for f in Candidate._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        changed = _changed_fields(record, previous, compared, m2m_rows)
        previous = record
        who = _who(record)
        last = entries[-1] if entries else None
        if last and last.who == who and record.history_date - last.at <= HISTORY_GROUP_WINDOW:
            if last.kind != "created":
                last.fields += [
                    labels.get(n, n) for n in changed if labels.get(n, n) not in last.fields
                ]
            continue
        if record.history_type == "~" and not changed:
            continue
        kind = {"+": "created", "-": "deleted"}.get(record.history_type, "changed")
        entries.append(
            HistoryEntry(record.history_date, who, kind, [labels.get(n, n) for n in changed])
        )
    return list(reversed(entries))


def _compared_fields(hidden: set[str]) -> list:
    """The historical model's fields simple-history's ``diff_against`` compares."""
    model = Candidate.history.model
    # retain_until moves with every activity (candidates.retention): not a profile edit.
    excluded = {"search_document", "retain_until", *hidden}
    names = {f.name for f in model.tracked_fields if f.editable} - excluded
    return [f for f in model._meta.concrete_fields if f.name in names and f.editable]


def _with_m2m_rows(records: QuerySet) -> QuerySet:
    """On PostgreSQL, each history record with its many-to-many history rows, read in the
    same query (an array of JSON arrays per field, ``_m2m_rows`` reads them back)."""
    if connection.vendor != "postgresql":
        return records
    arrays = {}
    for m2m_field in Candidate.history.model._history_m2m_fields:
        m2m_model, columns = _m2m_table(m2m_field)
        rows = m2m_model.objects.filter(history_id=OuterRef("history_id")).order_by()
        arrays[_m2m_annotation(m2m_field)] = ArraySubquery(rows.values(row=JSONArray(*columns)))
    return records.annotate(**arrays)


def _m2m_rows(records: list, hidden: set[str]) -> dict[str, dict[int, list[tuple]]]:
    """``{field: {history_id: sorted through-row values}}``: read with the records
    (``_with_m2m_rows``), else one query per m2m field.

    The values are those ``diff_against`` compares: every editable column of
    the through table except its id and the link to the history record.
    """
    history_ids = [record.history_id for record in records]
    found: dict[str, dict[int, list[tuple]]] = {}
    for m2m_field in Candidate.history.model._history_m2m_fields:
        if m2m_field.name in hidden:
            continue
        name = _m2m_annotation(m2m_field)
        if records and hasattr(records[0], name):
            by_record = {r.history_id: [tuple(row) for row in getattr(r, name)] for r in records}
        else:
            by_record = _m2m_rows_queried(m2m_field, history_ids)
        found[m2m_field.name] = {pk: sorted(values) for pk, values in by_record.items()}
    return found


def _m2m_rows_queried(m2m_field, history_ids: list[int]) -> dict[int, list[tuple]]:
    m2m_model, columns = _m2m_table(m2m_field)
    by_record: dict[int, list[tuple]] = {pk: [] for pk in history_ids}
    rows = m2m_model.objects.filter(history_id__in=history_ids).values_list("history_id", *columns)
    for history_id, *values in rows:
        by_record[history_id].append(tuple(values))
    return by_record


def _m2m_table(m2m_field) -> tuple[type, list[str]]:
    """The historical through model of ``m2m_field`` and the columns ``diff_against`` compares."""
    m2m_model = HistoricalRecords.m2m_models[m2m_field]
    columns = [
        f.attname
        for f in m2m_model._meta.concrete_fields
        if f.editable and f.name not in ("id", "m2m_history_id", "history")
    ]
    return m2m_model, columns


def _m2m_annotation(m2m_field) -> str:
    return f"m2m_rows_{m2m_field.name}"


def _changed_fields(record, previous, compared: list, m2m_rows: dict) -> list[str]:
    if previous is None:
        return []
    changed = [
        f.name for f in compared if f.value_from_object(record) != f.value_from_object(previous)
    ]
    changed += [
        name
        for name, rows in m2m_rows.items()
        if rows[record.history_id] != rows[previous.history_id]
    ]
    return sorted(changed)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "system"
    return user.get_full_name() or user.get_username()


def _granted(user, providers) -> QuerySet[Candidate]:
    """Candidates any provider grants; one query, a subquery per provider."""
    conditions = [Q(pk__in=provider(user)) for provider in providers]
    if not conditions:
        return Candidate.objects.none()
    condition = conditions[0]
    for extra in conditions[1:]:
        condition |= extra
    return Candidate.objects.filter(condition)
