"""One racer of tests/reliability/test_races_transactional.py, in its own OS process.

``python -m tests.reliability.racer PLAN.json``: sets Django up on the test database,
warms up (URLs, a connection), says it is ready, then for each race waits for its start
file and sends its request at once through the whole stack (middleware, DRF, services).
Prints one JSON line: the status and error code of each request.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(plan_path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.test import Client

    plan = json.loads(Path(plan_path).read_text())
    client = Client()
    for race in plan["races"]:  # warm: URLs, authentication, the connection
        race["headers"] = {"Authorization": f"Token {race['token']}"}
        assert client.get("/api/v1/auth/me/", headers=race["headers"]).status_code == 200
    answers = []
    for race in plan["races"]:
        Path(race["ready"]).touch()
        go = Path(race["go"])
        while not go.exists():
            time.sleep(0.0005)
        response = client.post(
            race["url"], race["body"], content_type="application/json", headers=race["headers"]
        )
        answers.append([response.status_code, response.json().get("code", "")])
    print(json.dumps(answers))


if __name__ == "__main__":
    main(sys.argv[1])
