"""What reports erases for a candidate (registered with ``candidates.erasure`` in ready()).

The rule: every stored file of a kind that lists candidates by name, made before the
erasure, is deleted (after commit) and its run marked ``file_erased``, so the reports
page says the file was removed for an erasure. Those kinds are the offers report (it
names each offer's candidate) and the candidate export of this person. The pipeline,
aging and sources reports hold counts only: their files stay.
"""

from __future__ import annotations

from django.db.models import Q

from reports.kinds import Kind
from reports.models import ReportRun


def erase_candidate(context) -> None:
    runs = (
        ReportRun.objects.select_for_update()
        .filter(created_at__lte=context.at)
        .exclude(storage_name="")
        .filter(
            Q(kind=Kind.OFFERS)
            | Q(kind=Kind.CANDIDATE_EXPORT, filters__candidate=context.candidate_id)
        )
    )
    for pk, name in runs.values_list("pk", "storage_name"):
        context.files.append(name)
        ReportRun.objects.filter(pk=pk).update(
            storage_name="", file_deleted_at=context.at, file_erased=True
        )
