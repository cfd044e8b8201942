"""`python -m bench.client SPEC.json OUT.json`: the load client of ``make bench``.

A process of its own, standard library only (http.client and threads), so that its work is
not the server's. It signs in through /login/ like a browser (the CSRF token from the form,
the session cookie from the answer), then for each target: a few warm-up requests, then
``requests`` one after another (one client: p50/p95/p99), then ``concurrent_requests`` spread
over ``connections`` threads at once (requests per second, p50/p95/p99 under load, errors).
An error is an exception or a status other than the expected one (a redirect to the sign-in
page is an error). Gunicorn's sync workers close each connection, so each request opens one,
as a browser's first request would.
"""

from __future__ import annotations

import http.client
import json
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from bench.stats import summary

TIMEOUT = 120
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Session:
    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        """``(status, elapsed ms, body)``: one connection per request."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        headers = {"Cookie": self.cookie_header(), **(headers or {})}
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            return response.status, elapsed, data, response.headers.get_all("Set-Cookie") or []
        finally:
            conn.close()

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def keep(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value


def sign_in(base: str, username: str, password: str) -> Session:
    parts = urlsplit(base)
    session = Session(parts.hostname or "127.0.0.1", parts.port or 80)
    status, _, page, cookies = session.request("GET", "/login/")
    session.keep(cookies)
    token = CSRF_FIELD.search(page.decode("utf-8", "replace"))
    if status != 200 or token is None:
        raise SystemExit(f"bench client: GET /login/ answered {status} without a form")
    form = {"username": username, "password": password, "csrfmiddlewaretoken": token[1]}
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, _, cookies = session.request("POST", "/login/", urlencode(form).encode(), headers)
    session.keep(cookies)
    if status != 302:
        raise SystemExit(f"bench client: signing in as {username} answered {status}, not 302")
    return session


def measure(session: Session, target: dict, spec: dict) -> dict:
    call = _call(session, target)
    for _ in range(spec.get("warm", 3)):
        call()
    single, errors = _series(call, spec["requests"])
    result = {"single": {**summary(single), "requests": len(single), "errors": errors}}
    if target.get("concurrent", True) and spec.get("concurrent_requests"):
        result["concurrent"] = _concurrent(call, spec["connections"], spec["concurrent_requests"])
    return result


def _call(session: Session, target: dict):
    method = target.get("method", "GET")
    expected = target.get("expect", 200)
    body = json.dumps(target["body"]).encode() if target.get("body") is not None else None
    headers = {"Accept": target.get("accept", "text/html")}
    if body is not None:
        headers.update({"Content-Type": "application/json"})
        headers["X-CSRFToken"] = session.cookies.get("csrftoken", "")

    def call() -> tuple[bool, float]:
        try:
            status, elapsed, _, _ = session.request(method, target["path"], body, headers)
        except (OSError, http.client.HTTPException):
            return False, 0.0
        return status == expected, elapsed

    return call


def _series(call, count: int) -> tuple[list[float], int]:
    timings, errors = [], 0
    for _ in range(count):
        ok, elapsed = call()
        timings.append(elapsed)
        errors += not ok
    return timings, errors


def _concurrent(call, connections: int, total: int) -> dict:
    timings: list[float] = []
    errors = [0]
    remaining = [total]
    lock = threading.Lock()

    def worker() -> None:
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            ok, elapsed = call()
            with lock:
                timings.append(elapsed)
                errors[0] += not ok

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        **summary(timings),
        "connections": connections,
        "requests": len(timings),
        "errors": errors[0],
        "rps": round(len(timings) / wall, 1),
    }


def main(argv: list[str]) -> int:
    spec_path, out_path = argv
    with open(spec_path) as handle:
        spec = json.load(handle)
    session = sign_in(spec["base"], spec["username"], spec["password"])
    results = {}
    for target in spec["targets"]:
        results[target["label"]] = measure(session, target, spec)
        print(f"bench client: {target['label']} done", file=sys.stderr, flush=True)
    with open(out_path, "w") as handle:
        json.dump(results, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
