"""`python -m bench.queries OUT.json`: what ``make bench`` measures on the database in
DATABASE_URL, with each target's query count, as JSON in OUT.json.

Run once per database (the large set and the small demo), in a process of its own, so the
counts of both come from the same code. The ids are chosen by the same rule at every
scale: the requisition with the most applications (its board), the candidate with the
most applications and that candidate's latest application (so that both pages show
the same shape of timeline at every scale). Each target is requested twice
by the test client as demo-recruiter (who sees everything); the second, warm, is counted.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time

from bench.recommendations import RAW as RAW_RECOMMENDATION

USERNAME = "demo-recruiter"
API_LISTS = (
    "tracks", "levels", "bands", "zones", "market-figures",
    "candidates", "candidates?search=python", "requisitions", "applications",
    "interviews", "scorecards", "offers", "reports",
)  # fmt: skip


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host is allowed
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    found = []
    for target in targets(client):
        started = time.perf_counter()
        found.append(_counted(client, target))
        print(f"{target['label']}: {time.perf_counter() - started:.2f} s", file=sys.stderr)
    with open(sys.argv[1], "w") as out:
        json.dump({"rows": row_counts(), "targets": found}, out)
    return 0


def targets(client) -> list[dict]:
    from django.urls import reverse

    requisition, candidate, application = _chosen_ids()
    pages = [
        ("floor: signed-in page", "/bench/floor/"),
        ("dashboard", reverse("hiring:dashboard")),
        ("requisitions", reverse("hiring:requisition-list")),
        ("board, largest requisition", reverse("hiring:requisition-detail", args=[requisition])),
        ("candidates", reverse("candidates:list")),
        ("candidates ?q=python", reverse("candidates:list") + "?q=python"),
        ("candidate page", reverse("candidates:detail", args=[candidate])),
        ("application page", reverse("hiring:application-detail", args=[application])),
        ("offers", reverse("offers:list")),
        ("reports", reverse("reports:index")),
    ]
    found = [{"label": label, "path": path, "kind": "page"} for label, path in pages]
    api = [("floor: API auth/me", "/api/v1/auth/me/")]
    api += [(f"API {name}", f"/api/v1/{name.replace('?', '/?', 1)}") for name in API_LISTS]
    api = [(label, path if "?" in path else path.rstrip("/") + "/") for label, path in api]
    found += [{"label": label, "path": path, "kind": "api"} for label, path in api]
    found += recommendation_targets(client)
    return found


def recommendation_targets(client) -> list[dict]:
    """POST /api/v1/recommendations/: by application id and by raw inputs (latency only)."""
    from hiring.models import Application, Requisition

    url = "/api/v1/recommendations/"
    candidates = Application.objects.filter(requisition__status=Requisition.Status.OPEN).order_by(
        "pk"
    )[:50]
    body = None
    for application in candidates.values_list("pk", flat=True):
        attempt = {"application": application, "competing_offer_base": "210000"}
        if _post(client, url, attempt).status_code == 200:
            body = attempt
            break
    found = [{"label": "recommendation, raw inputs", "body": RAW_RECOMMENDATION}]
    if body is not None:
        found.insert(0, {"label": "recommendation, application", "body": body})
    return [
        {**item, "path": url, "kind": "api", "method": "POST", "concurrent": False}
        for item in found
    ]


def _chosen_ids() -> tuple[int, int, int]:
    from django.db.models import Count, Max

    from candidates.models import Candidate
    from hiring.models import Requisition

    requisition = Requisition.objects.annotate(n=Count("applications")).order_by("-n", "pk").first()
    candidate = Candidate.objects.annotate(n=Count("applications")).order_by("-n", "pk").first()
    latest = candidate.applications.aggregate(latest=Max("pk"))["latest"]
    return requisition.pk, candidate.pk, latest


def _counted(client, target: dict) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request():
        if target.get("method") == "POST":
            return _post(client, target["path"], target["body"])
        accept = "application/json" if target["kind"] == "api" else "text/html"
        return client.get(target["path"], HTTP_ACCEPT=accept)

    request()  # warm
    with CaptureQueriesContext(connection) as queries:
        response = request()
    return {**target, "queries": len(queries), "status": response.status_code}


def _post(client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def row_counts() -> dict[str, int]:
    from candidates.models import Candidate
    from hiring.models import Application, Requisition, StageChange

    models = (Candidate, Requisition, Application, StageChange)
    return {str(m._meta.verbose_name_plural): m.objects.count() for m in models}


if __name__ == "__main__":
    sys.exit(main())
