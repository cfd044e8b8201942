"""What offers erases for a candidate (registered with ``candidates.erasure`` in ready()).

Offers stay as amounts, dates, statuses and band versions (the reports count them);
their free text goes: the justification (live and history), approval and event notes,
and any event data or frozen recommendation that names the person. The letter is a file
attached to an outbound email: ``candidates.erasure`` deletes both.
"""

from __future__ import annotations

import json

from offers.models import Offer, OfferApproval, OfferEvent


def erase_candidate(context) -> None:
    offers = Offer.objects.select_for_update().filter(
        application__candidate_id=context.candidate_id
    )
    ids = list(offers.values_list("pk", flat=True))
    offers.update(justification="")
    Offer.history.filter(id__in=ids).update(justification="")
    OfferApproval.objects.filter(offer_id__in=ids).exclude(note="").update(note="")
    OfferEvent.objects.filter(offer_id__in=ids).exclude(note="").update(note="")
    for event in OfferEvent.objects.filter(offer_id__in=ids).exclude(data={}):
        if _names(context, event.data):
            OfferEvent.objects.filter(pk=event.pk).update(data={})
    # The live rows by their id, the history rows by the offer's id (their pk is history_id).
    for model, lookup in ((Offer, "pk__in"), (Offer.history.model, "id__in")):
        rows = model.objects.filter(**{lookup: ids}).values_list("pk", "recommendation")
        for pk, recommendation in rows:
            if _names(context, recommendation):
                model.objects.filter(pk=pk).update(recommendation={})


def _names(context, data) -> bool:
    text = json.dumps(data, ensure_ascii=False, default=str)
    return context.redact(text) != text
