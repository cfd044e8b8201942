"""The offers report: every offer against its adjusted band, and acceptance by group.

Compensation only: requested by users who see pay on every requisition it covers
(``reports.permissions.sees_offer_pay``).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from offers.models import Offer
from offers.states import OfferStatus
from reports.document import Report, Section
from reports.filters import Scope
from reports.kinds import ratio

COMPENSATION = "compensation"
#: Statuses an offer reaches only after its approvals.
PAST_APPROVAL = (
    OfferStatus.APPROVED,
    OfferStatus.SENT,
    OfferStatus.ACCEPTED,
    OfferStatus.DECLINED,
    OfferStatus.EXPIRED,
)
DECIDED = (OfferStatus.ACCEPTED, OfferStatus.DECLINED)
CENT = Decimal("0.01")
GROUPS = (
    ("Level", "application__requisition__level__code"),
    ("Track", "application__requisition__track__name"),
    ("Zone", "application__requisition__zone__name"),
)


def offers_report(scope: Scope) -> Report:
    offers = Offer.objects.filter(
        scope.requisition_q("application__requisition__"), scope.date_q("created_at")
    )
    counts = {"offers": 0, "outside": 0}

    def offer_rows():
        rows = offers.order_by("id").values_list(
            "id",
            "application__requisition__title",
            "application__candidate__full_name",
            "application__requisition__track__name",
            "application__requisition__level__code",
            "application__requisition__zone__name",
            "status",
            "currency",
            "base_salary",
            "adjusted_min",
            "adjusted_max",
            "recommendation",
            "justification",
            "decline_reason__label",
            "created_at",
        )
        for row in rows.iterator(chunk_size=2000):
            (pk, title, name, track, level, zone, status, currency, base, low, high) = row[:11]
            recommendation, justification, decline, created = row[11:]
            inside = low <= base <= high
            counts["offers"] += 1
            counts["outside"] += not inside
            yield (
                pk,
                title,
                name,
                track,
                level,
                zone,
                OfferStatus(status).label,
                currency,
                base,
                low,
                high,
                _position(base, low, high),
                _compa(base, low, high),
                _premiums(recommendation),
                "yes" if inside else "no",
                "yes" if not inside and status in PAST_APPROVAL else "no",
                justification,
                decline or "",
                created,
            )

    def sections():
        yield Section(
            "Offers",
            [
                "Offer id",
                "Requisition",
                "Candidate",
                "Track",
                "Level",
                "Zone",
                "Status",
                "Currency",
                "Base",
                "Band min (adjusted)",
                "Band max (adjusted)",
                "Position in band",
                "Compa-ratio",
                "Premiums applied",
                "Inside band",
                "Approved outside band",
                "Justification",
                "Decline reason",
                "Created",
            ],
            offer_rows(),
            pdf_columns=[0, 1, 4, 6, 8, 11, 12, 15, 16],
        )
        yield Section(
            "Acceptance",
            [
                "By",
                "Group",
                "Offers decided",
                "Accepted",
                "Declined",
                "Acceptance rate",
                "Declined for compensation",
            ],
            _acceptance_rows(offers),
        )

    def summary() -> list[str]:
        if not counts["offers"]:
            return []
        return [
            f"{counts['offers']:,} offers; {counts['outside']:,} outside their adjusted band.",
            "Compa-ratio is the base divided by the adjusted band's midpoint.",
        ]

    return Report("offers", "Offers against bands", scope.describe(), sections, summary)


def _acceptance_rows(offers):
    """One grouped query by (level, track, zone), rolled up per dimension here."""
    grouped = offers.values(*(path for _label, path in GROUPS)).annotate(
        decided=Count("id", filter=Q(status__in=DECIDED)),
        accepted=Count("id", filter=Q(status=OfferStatus.ACCEPTED)),
        declined=Count("id", filter=Q(status=OfferStatus.DECLINED)),
        for_pay=Count(
            "id", filter=Q(status=OfferStatus.DECLINED, decline_reason__code=COMPENSATION)
        ),
    )
    totals: dict = defaultdict(lambda: [0, 0, 0, 0])
    for row in grouped.order_by().iterator():
        for label, path in GROUPS:
            figures = totals[(label, row[path])]
            for i, key in enumerate(("decided", "accepted", "declined", "for_pay")):
                figures[i] += row[key]
    for (label, group), (decided, accepted, declined, for_pay) in sorted(
        totals.items(), key=lambda item: ([g for g, _ in GROUPS].index(item[0][0]), item[0][1])
    ):
        yield (label, group, decided, accepted, declined, ratio(accepted, decided), for_pay)


def _position(base: Decimal, low: Decimal, high: Decimal) -> Decimal | None:
    """Where the base sits in the band: 0 at the minimum, 1 at the maximum."""
    if high <= low:
        return None
    return ((base - low) / (high - low)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _compa(base: Decimal, low: Decimal, high: Decimal) -> Decimal | None:
    midpoint = (low + high) / 2
    if not midpoint:
        return None
    return (base / midpoint).quantize(CENT, rounding=ROUND_HALF_UP)


def _premiums(recommendation) -> str:
    adjustments = (recommendation or {}).get("adjustments") or []
    parts = []
    for item in adjustments:
        try:
            parts.append(f"{item['kind']} {Decimal(str(item['applied'])) * 100:+.1f}%")
        except (KeyError, TypeError, ArithmeticError):
            continue
    return ", ".join(parts)
