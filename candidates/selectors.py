"""Reads on candidates: who sees whom, search, filters, the change timeline.

Visibility that depends on applications goes through the reverse relations by
name (``applications__...``): this app never imports ``hiring``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from candidates.models import Candidate, Document
from candidates.services import COMPENSATION_FIELDS, search_words
from core import access

# The GIN index in migration 0002 is built on exactly this expression.
SEARCH_CONFIG = "simple"
HISTORY_LIMIT = 100
# History rows written by one save (the row, then each many-to-many field) are one change.
HISTORY_GROUP_WINDOW = timedelta(seconds=2)


def candidates_visible_to(user) -> QuerySet[Candidate]:
    """Everyone the user may see: all for compensation admins and recruiters;
    for hiring managers and interviewers, those on their requisitions or interviews."""
    if user is None or not user.is_authenticated:
        return Candidate.objects.none()
    if access.sees_all_candidates(user):
        return Candidate.objects.all()
    conditions = []
    if access.is_hiring_manager(user):
        conditions.append(Q(applications__requisition__hiring_manager=user))
    if access.sits_on_panels(user):
        conditions.append(Q(applications__interviews__interviewers=user))
    if not conditions:
        return Candidate.objects.none()
    visible_ids = Candidate.objects.filter(reduce(or_, conditions)).values("pk")
    return Candidate.objects.filter(pk__in=visible_ids)


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


def candidate_history(candidate: Candidate, *, user) -> list[HistoryEntry]:
    """The candidate's own changes, newest first: who, when, which fields (no values).

    Users who may not see pay do not see that pay fields changed either.
    """
    newest = candidate.history.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )[:HISTORY_LIMIT]
    records = list(newest)[::-1]
    hidden = set() if access.sees_compensation(user) else set(COMPENSATION_FIELDS)
    labels = {
        f.name: str(f.verbose_name)
        for f in Candidate._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    entries: list[HistoryEntry] = []
    previous = None
    for record in records:
        changed = _changed_fields(record, previous, hidden)
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


def _changed_fields(record, previous, hidden: set[str]) -> list[str]:
    if previous is None:
        return []
    delta = record.diff_against(previous, excluded_fields=["search_document", *hidden])
    return sorted(change.field for change in delta.changes)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "system"
    return user.get_full_name() or user.get_username()
