"""A report's filters: checked when the run is requested, applied when it is generated.

The stored form is plain JSON (ids and ISO dates). ``clean_filters`` checks every
value against what the requester may see and raises a ``DomainError`` naming the
field, so a bad request creates no run. ``Scope`` applies the cleaned filters to
the querysets the selectors read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from candidates.selectors import candidates_visible_to
from core.errors import DomainError
from hiring.permissions import eligible_recruiters
from reports import permissions
from reports.kinds import Kind
from roles.models import Level, Track, Zone

DATE_FIELDS = ("date_from", "date_to")
ID_FIELDS = ("track", "level", "zone", "requisition", "recruiter", "candidate")
ALLOWED = (*DATE_FIELDS, *ID_FIELDS)


def clean_filters(raw, *, user, kind: str) -> dict:
    """The filters as stored on the run; raises ``DomainError`` naming the first bad field."""
    if raw in (None, ""):
        raw = {}
    if not isinstance(raw, dict):
        raise DomainError.for_field("filters", "Filters must be an object of names to values.")
    unknown = sorted(set(raw) - set(ALLOWED))
    if unknown:
        raise DomainError.for_field(
            unknown[0], f"Unknown filter {unknown[0]!r}; allowed: {', '.join(ALLOWED)}."
        )
    cleaned: dict = {}
    for name in DATE_FIELDS:
        if raw.get(name) not in (None, ""):
            cleaned[name] = _date(name, raw[name]).isoformat()
    if (
        "date_from" in cleaned
        and "date_to" in cleaned
        and cleaned["date_to"] < cleaned["date_from"]
    ):
        raise DomainError.for_field("date_to", "The end date must not be before the start date.")
    for name in ID_FIELDS:
        if raw.get(name) not in (None, ""):
            cleaned[name] = _identifier(name, raw[name])
    _check_visible(cleaned, user=user)
    if kind == Kind.CANDIDATE_EXPORT and "candidate" not in cleaned:
        raise DomainError.for_field("candidate", "A candidate export needs a candidate.")
    return cleaned


@dataclass(frozen=True)
class Scope:
    """The cleaned filters of one run, and the user whose view of the data it takes."""

    user: object
    filters: dict

    def requisitions(self) -> QuerySet:
        qs = permissions.requisitions_covered(self.user)
        return qs.filter(self._requisition_q(""))

    def requisition_q(self, prefix: str) -> Q:
        """The requisition filters and the user's coverage, for a queryset reaching a
        requisition through ``prefix`` (e.g. ``"application__requisition__"``)."""
        if permissions.covers_every_requisition(self.user):  # no subquery to join
            return self._requisition_q(prefix)
        covered = permissions.requisitions_covered(self.user).values("pk")
        return Q(**{f"{prefix}pk__in": covered}) & self._requisition_q(prefix)

    def date_q(self, field: str) -> Q:
        q = Q()
        if "date_from" in self.filters:
            q &= Q(**{f"{field}__date__gte": self.filters["date_from"]})
        if "date_to" in self.filters:
            q &= Q(**{f"{field}__date__lte": self.filters["date_to"]})
        return q

    def describe(self) -> list[tuple[str, str]]:
        """The filters as (label, value) pairs for a report's summary."""
        names = {
            "track": lambda pk: Track.objects.filter(pk=pk).values_list("name", flat=True),
            "level": lambda pk: Level.objects.filter(pk=pk).values_list("code", flat=True),
            "zone": lambda pk: Zone.objects.filter(pk=pk).values_list("name", flat=True),
        }
        pairs = []
        for key, value in self.filters.items():
            label = key.replace("_", " ").capitalize()
            found = names[key](value).first() if key in names else None
            pairs.append((label, str(found or value)))
        return pairs

    def _requisition_q(self, prefix: str) -> Q:
        q = Q()
        for name, lookup in (
            ("track", "track_id"),
            ("level", "level_id"),
            ("zone", "zone_id"),
            ("requisition", "pk"),
            ("recruiter", "recruiter_id"),
        ):
            if name in self.filters:
                q &= Q(**{f"{prefix}{lookup}": self.filters[name]})
        return q


def _date(name: str, value) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError.for_field(name, f"Not a date: {value!r}; use YYYY-MM-DD.") from None


def _identifier(name: str, value) -> int:
    if isinstance(value, bool):
        raise DomainError.for_field(name, f"{name.capitalize()} must be an id (a number).")
    try:
        number = int(str(value))
    except ValueError:
        raise DomainError.for_field(
            name, f"{name.capitalize()} must be an id (a number)."
        ) from None
    if number <= 0 or number > 2**31 - 1:
        raise DomainError.for_field(name, f"No {name} with id {value!r}.")
    return number


def _check_visible(cleaned: dict, *, user) -> None:
    """Every id must name something the user may see; hidden and missing read the same."""
    checks = {
        "track": lambda pk: Track.objects.filter(pk=pk).exists(),
        "level": lambda pk: Level.objects.filter(pk=pk).exists(),
        "zone": lambda pk: Zone.objects.filter(pk=pk).exists(),
        "requisition": lambda pk: permissions.requisitions_covered(user).filter(pk=pk).exists(),
        "recruiter": lambda pk: (
            permissions.may_see_recruiters(user) and eligible_recruiters().filter(pk=pk).exists()
        ),
        "candidate": lambda pk: candidates_visible_to(user).filter(pk=pk).exists(),
    }
    for name, check in checks.items():
        if name in cleaned and not check(cleaned[name]):
            raise DomainError.for_field(
                name, f"No {name} with id {cleaned[name]} that you can report on."
            )
