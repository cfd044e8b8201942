"""Browser tests: Playwright for Python driving Debian's ``chromium`` package.

Never a downloaded browser build: Chromium comes from ``apt-get install chromium``
(``.ci/run`` installs it when missing) and is launched through ``executable_path``
(``CHROMIUM`` in the environment, else ``chromium`` on the PATH). Under ``CI=true`` a
missing Chromium fails the tests; locally they are skipped with the reason.

The server runs in a thread of the test process and answers on the *test's own database
connection*, so a page sees exactly the rows the test built, inside the test's
transaction, and everything is rolled back after it: no transactional flush, no
``*_transactional.py`` files. It is single-threaded: one request at a time, so the
shared connection is never used by two requests at once (the test thread waits on
the browser meanwhile).

Fixtures:

- ``browser`` (session): one headless Chromium per worker.
- ``live_url`` (session): the server's base URL, e.g. ``http://127.0.0.1:41234``.
- ``open_page(user, size="desktop", path="")``: a fresh context signed in as ``user``
  (None: signed out) at ``DESKTOP`` (1366x900) or ``PHONE`` (390x844), its page
  watched for console errors, page errors and CSP violations; goes to ``path`` if given.
  Contexts are closed at the end of the test.
- ``check_page(page, name, *, axe=True, contrast=False, full_page=True)``: the one page
  check: no console error, no CSP violation, no serious or critical axe-core violation,
  no horizontal overflow (``scrollWidth <= innerWidth``). A page that fails it is saved
  as ``var/screenshots/<name>.jpg``, and with ``SCREENSHOTS=1`` (``make screenshots``)
  every checked page is (the full page, or with ``full_page=False`` the first screen
  only; JPEG encodes in half PNG's time): a screenshot is for a person to look at, and
  took a fifth of the browser suite's time when every run saved ~200 of them.
  ``contrast=True`` adds axe's colour-contrast rule, four fifths of axe's time: the
  colours come from one stylesheet, so the recruiter's walk (every page there is) checks
  contrast once per page, and the other checks only on pages or states the walk does not
  reach (sign-in, a careers position, a board after a move or with its columns opened, an
  interviewer's own interviews). ``axe=False`` skips axe altogether.
- ``screenshots`` (session): the folder the screenshots go to.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, connections
from django.test import Client

from tests.conftest import IN_CI

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
BLOCKING_IMPACTS = {"serious", "critical"}
#: ``SCREENSHOTS=1``: save every checked page, not only the ones that fail the check.
SAVE_EVERY_SCREENSHOT = os.environ.get("SCREENSHOTS", "") == "1"
# Reported by the page itself to its console, which the page watcher reads.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " blocked " + event.blockedURI);
});
"""

# The innermost elements whose right edge passes the viewport: where an overflow comes from.
WIDEST_ELEMENTS = """(() => {
  const out = (el) => el.getBoundingClientRect().right > window.innerWidth + 1;
  const name = (el) => [el.tagName.toLowerCase(), ...el.classList].join(".");
  return [...document.querySelectorAll("body *")]
    .filter((el) => out(el) && ![...el.children].some(out))
    .slice(0, 3)
    .map(name);
})()"""


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM", "")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed: apt-get install chromium (or set CHROMIUM)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests
    # make between browser steps are synchronous all the same.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # No GPU in a headless test run: software compositing costs a tenth of the walk.
        chromium = playwright.chromium.launch(
            executable_path=path, headless=True, args=["--disable-gpu"]
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def live_url() -> Iterator[str]:
    """The app on 127.0.0.1, answering on the test thread's database connection."""
    server = WSGIServer(("127.0.0.1", 0), _QuietHandler, ipv6=False)
    server.set_app(_SharedConnectionApp(StaticFilesHandler(WSGIHandler())))
    shared = connections[connection.alias]
    shared.inc_thread_sharing()

    def serve() -> None:
        connections[shared.alias] = shared
        server.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve, name="browser-test-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    shared.dec_thread_sharing()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    folder = Path(settings.BASE_DIR) / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def open_page(browser, live_url, db) -> Iterator[Callable]:
    contexts = []

    def open_(user, size: str = "desktop", path: str = ""):
        context = browser.new_context(viewport=SIZES[size], base_url=live_url)
        contexts.append(context)
        if user is not None:
            context.add_cookies([_session_cookie(user, live_url)])
        context.add_init_script(CSP_LISTENER)
        page = context.new_page()
        page.set_default_timeout(5_000)
        page.problems = []
        page.on("console", lambda msg: _console(page, msg))
        page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
        if path:
            page.goto(path)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def check_page(screenshots) -> Callable:
    def check(
        page, name: str, *, axe: bool = True, contrast: bool = False, full_page: bool = True
    ) -> None:
        problems = list(page.problems)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            wide = page.evaluate(WIDEST_ELEMENTS)
            problems.append(f"horizontal overflow: {widths[0]} px wide in {widths[1]} px: {wide}")
        if axe:
            problems.extend(_axe_violations(page, contrast=contrast))
        if problems or SAVE_EVERY_SCREENSHOT:
            shot = screenshots / f"{name}.jpg"
            page.screenshot(path=shot, full_page=full_page, type="jpeg", quality=70)
            if problems:
                problems.append(f"as it looked: {shot}")
        assert not problems, f"{name} ({page.url}):\n- " + "\n- ".join(problems)

    return check


@functools.cache
def _axe_source() -> str:
    """axe-core as axe-playwright-python ships it (installed from PyPI, pinned)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")


def _axe_violations(page, *, contrast: bool) -> list[str]:
    options = {"resultTypes": ["violations"]}
    if not contrast:
        options["rules"] = {"color-contrast": {"enabled": False}}
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())  # only on the pages that run axe (DevTools: no CSP)
    results = page.evaluate("(options) => axe.run(document, options)", options)
    return [
        f"axe {v['impact']} {v['id']}: {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def _console(page, message) -> None:
    if message.type == "error":
        page.problems.append(f"console error: {message.text}")


def _session_cookie(user, live_url: str) -> dict:
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value, "url": live_url}


class _SharedConnectionApp:
    """The WSGI app, minus the end-of-request connection clean-up.

    Django closes "old" connections when a request starts and finishes; here the
    connection is the test's, inside its transaction, so it must stay open (the test
    client does the same). The body is read before the signals are reconnected.
    """

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.app(environ, start_response)
            body = b"".join(response)
            if hasattr(response, "close"):
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:
        pass
