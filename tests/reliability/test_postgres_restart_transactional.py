"""PostgreSQL restarted while the server is under load: clean 503s, then service again.

A private PostgreSQL 15 cluster (never the machine's shared server) gets a copy of this
run's test database (pg_dump | psql: a second or so, where ``migrate`` takes ten); a
gunicorn server runs on it as a deployment does (``CONN_MAX_AGE`` with health checks);
client threads keep asking for an API list (a signed-in user's token) and a public page.
The cluster stops and starts again. Meanwhile the API answers 503 in its JSON error shape
and the page is the styled 503 page; afterwards both answer 200 again, from the same
server process, which was never restarted. No answer is a 500 or a dropped connection.
"""

from __future__ import annotations

import subprocess
import threading
import time

import requests
from knox.models import AuthToken

from tests.reliability.procs import (
    START_TIMEOUT,
    free_port,
    private_postgres,
    service_env,
    started,
    wait_for_web,
    wait_until,
    web_args,
)

API = "/api/v1/candidates/"
PAGE = "/careers/"
DOWN = {
    "detail": "The database is unavailable; try again shortly.",
    "code": "database_unavailable",
    "errors": {},
}


def test_a_postgres_restart_under_load_answers_503_then_recovers_without_an_app_restart(
    require_postgres, transactional_db, recruiter, tmp_path
):
    token = AuthToken.objects.create(user=recruiter)[1]
    with private_postgres() as cluster:
        port = free_port()
        # DEBUG off, as deployed: with it on, Django shows its technical 500 page instead.
        env = service_env(tmp_path, DATABASE_URL=cluster.url("app"), DEBUG="false")
        with started(web_args(port, env, tmp_path / "web.log")) as (web,):
            _copy_test_database(cluster)  # while the server starts (it connects on demand)
            wait_for_web(port, web)
            base = f"http://127.0.0.1:{port}"
            headers = {"Authorization": f"Token {token}"}
            with Load(base, headers) as load:
                assert load.wait_for(200), load.seen
                cluster.pg_ctl("stop")
                down_api = requests.get(base + API, headers=headers, timeout=10)
                down_page = requests.get(base + PAGE, timeout=10)
                assert load.wait_for(503), load.seen
                cluster.pg_ctl("start")
                assert load.wait_for(200, after=time.monotonic()), load.seen
            assert web.process.poll() is None  # the same server throughout

    assert (down_api.status_code, down_api.json()) == (503, DOWN)
    assert down_page.status_code == 503
    assert "The service is briefly unavailable" in down_page.text
    assert down_page.headers["Content-Type"].startswith("text/html")
    # Every answer under load was a 200 or a clean 503: no 500, no dropped connection.
    assert load.statuses() <= {200, 503}, load.seen
    assert all(body == DOWN for status, url, body in load.seen if status == 503 and url == API)


class Load:
    """Client threads asking for the API list and the page until stopped."""

    def __init__(self, base: str, headers: dict, threads: int = 3) -> None:
        self.base, self.headers = base, headers
        self.seen: list[tuple[int, str, object]] = []
        self.times: list[float] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=(n,)) for n in range(threads)]

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=15)

    def _loop(self, n: int) -> None:
        session = requests.Session()
        while not self.stopping.is_set():
            url = API if n % 2 == 0 else PAGE
            try:
                response = session.get(self.base + url, headers=self.headers, timeout=10)
                body = response.json() if url == API and response.status_code == 503 else None
                status = response.status_code
            except requests.RequestException as exc:
                status, body = 0, repr(exc)
            self.seen.append((status, url, body))
            self.times.append(time.monotonic())
            time.sleep(0.02)

    def wait_for(self, status: int, after: float = 0.0) -> bool:
        """Until the API answered ``status`` (after the monotonic time ``after``)."""
        return wait_until(
            lambda: any(
                s == status and url == API and t >= after
                for (s, url, _b), t in zip(list(self.seen), list(self.times), strict=False)
            ),
            START_TIMEOUT,
        )

    def statuses(self) -> set[int]:
        return {status for status, _url, _body in self.seen}


def _copy_test_database(cluster) -> None:
    """This run's test database, schema and rows, into the private cluster as ``app``."""
    from django.db import connection

    conf = connection.settings_dict
    source = [
        "pg_dump",
        "--no-owner",
        "--no-privileges",
        "-h",
        conf["HOST"] or "127.0.0.1",
        "-p",
        str(conf["PORT"] or 5432),
        "-U",
        conf["USER"] or "postgres",
        conf["NAME"],
    ]
    target = [
        "psql",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        "127.0.0.1",
        "-p",
        str(cluster.port),
        "-U",
        "postgres",
    ]
    subprocess.run(
        [*target, "-c", "CREATE DATABASE app"], check=True, capture_output=True, timeout=30
    )
    dump = subprocess.run(source, check=True, capture_output=True, timeout=60)
    subprocess.run(
        [*target, "-d", "app"], input=dump.stdout, check=True, capture_output=True, timeout=60
    )
