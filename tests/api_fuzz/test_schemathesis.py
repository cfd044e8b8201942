"""Schemathesis against the live OpenAPI schema, in process, as every role.

The schema is the one ``/api/schema/`` serves; every operation in it is called through the
WSGI application in this process (no server, no network), with a token for each role, and
every response goes through Schemathesis's checks: all of them as the superuser; as the other
roles, the ones that say the API broke (a 5xx) or broke its schema (an undocumented status,
content type or header, a body that does not match). The other roles share one run: each
generated case is sent as each of them (``RUNS``). Bounded for ``make test``: a few
derandomized examples per operation, so a run is the same every time; ``API_FUZZ_MAX_EXAMPLES``
and ``API_FUZZ_COVERAGE=1`` run it wider (docs/architecture.md, "API fuzzing").
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.api_tokens import token_issue
from tests.api_fuzz.world import ROLES, build
from tests.conftest import built_once

pytestmark = pytest.mark.django_db

#: Examples per operation and phase as the superuser; the other roles, whose run looks for
#: server errors and schema breaks only, get half (at least one).
MAX_EXAMPLES = int(os.environ.get("API_FUZZ_MAX_EXAMPLES", "2"))
#: The coverage phase (boundary values, every missing field and wrong type): thorough, slow.
COVERAGE = os.environ.get("API_FUZZ_COVERAGE", "") == "1"
#: Throttles far above what one run sends (the suite is one address and one user per role).
GENEROUS = "1000000/minute"
#: What the roles other than the superuser are held to: no server error, and every answer
#: as the schema documents it.
SCHEMA_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
#: The figures of the last run, by role: calls, and failures by check code.
FIGURES: dict[str, Counter] = {}
#: The failures found this run, by role, operation and check code (``API_FUZZ_FIGURES=1``).
FOUND: set = set()


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeded rows, a token per role and the schema as served, once for the module."""
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path_factory.mktemp("private"))},
    }
    with (
        built_once(django_db_blocker),
        override_settings(STORAGES={**django_settings.STORAGES, "default": storage}),
        _requests_in_this_transaction(),
    ):
        world = build()
        world["tokens"] = {role: token_issue(user=world["cast"][role])[1] for role in ROLES}
        world["app"] = WSGIHandler()
        world["raw"] = schemathesis.openapi.from_wsgi("/api/schema/", world["app"]).raw_schema
        yield world
    if os.environ.get("API_FUZZ_FIGURES"):
        print("\nAPI fuzzing:", {role: dict(counts) for role, counts in FIGURES.items()})
        print("Failures:", *sorted(FOUND), sep="\n  ")


class _requests_in_this_transaction:
    """Django closes the connection at each request's start and end (``close_old_connections``),
    which would end the test's transaction; its test client disconnects it the same way."""

    def __enter__(self):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)

    def __exit__(self, *exc):
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


#: Two runs: the superuser alone, held to every check, and the other roles together. The
#: generation is derandomized (a fixed seed), so every role of a run would be given the same
#: cases: each case of the second run is sent as each of its roles, in turn, and generating
#: (as costly as calling) is paid once for the four, not once per role.
RUNS = {"admin": ("admin",), "roles": tuple(role for role in ROLES if role != "admin")}


class Fuzzer:
    """Calls one case as each role of its run, each call in a savepoint rolled back after
    it, so that a logout or a delete never takes a token or the seeded rows from the next."""

    def __init__(self, run: str, world: dict) -> None:
        self.roles = RUNS[run]
        self.headers = {
            role: {"Authorization": f"Token {world['tokens'][role]}"} for role in self.roles
        }
        self.checks = None if run == "admin" else SCHEMA_CHECKS
        self.ids = world["ids"]
        self.keys = world["keys"]
        # The token endpoint signs each role in again with its own username and password.
        self.references = {
            role: {**world["references"], "username": world["cast"][role].username}
            for role in self.roles
        }
        self.files = world["files"]
        self.figures = {role: FIGURES.setdefault(role, Counter()) for role in self.roles}
        self.cases = 0

    def call(self, case) -> None:
        self.cases += 1
        self._aim(case)
        for role in self.roles:
            self.figures[role]["calls"] += 1
            self._aim_body(case, role)
            with transaction.atomic():
                try:
                    case.call_and_validate(headers=self.headers[role], checks=self.checks)
                except FailureGroup as group:
                    self._count(role, case, group)
                    raise
                finally:
                    transaction.set_rollback(True)

    def _count(self, role: str, case, group: FailureGroup) -> None:
        """Counts the failures for the figures; the test then fails with Schemathesis's own
        report."""
        for failure in group.exceptions:
            self.figures[role][failure.code] += 1
            FOUND.add((role, case.operation.label, failure.code))

    def _aim(self, case) -> None:
        """Every other valid id in a path names a seeded row, so that the operation gets
        past "not found" to its real answers."""
        params = case.path_parameters
        if not params or self.cases % 2 or not _positive(case, "path"):
            return
        resource = case.operation.path.removeprefix("/api/v1/").split("/")[0]
        for name in params:
            if name == "id" and resource in self.ids:
                params[name] = self.ids[resource]
            elif name in ("slug", "code", "key") and resource in self.keys:
                params[name] = self.keys[resource]

    def _aim_body(self, case, role: str) -> None:
        """A schema-valid body's field that names another row (an id, a slug, a user's
        credentials) names one that exists, a date measured against today is one the API
        takes, and a file read by its content is a real one: OpenAPI cannot say which rows
        exist, what today is or what a CSV's header must be, so the generator makes them up
        and the API rightly refuses them (400 naming the field). Negative bodies keep
        whatever they were generated with."""
        body = case.body
        if not isinstance(body, dict) or not _positive(case, "body"):
            return
        references = self.references[role]
        for name in body.keys() & references.keys():
            if body[name] is not None:
                body[name] = references[name]
        if "file" in body and case.operation.path in self.files:
            body["file"] = self.files[case.operation.path]


def _positive(case, location: str) -> bool:
    meta = case.meta
    if meta is None:
        return True
    component = next((c for loc, c in meta.components.items() if loc.value == location), None)
    mode = component.mode if component is not None else meta.generation.mode
    return mode == GenerationMode.POSITIVE


@pytest.fixture(params=RUNS)
def api_schema(request, fuzz_world, settings):
    """The served schema, configured for one run: a fixed seed, both generation modes."""
    settings.API_THROTTLE_RATES = dict.fromkeys(settings.API_THROTTLE_RATES, GENEROUS)
    # schemathesis 4.32's lazy loader renames the test node through ``_nodeid``, which
    # pytest 9.2 no longer has (node ids are structured): give it one to write to.
    request.node._nodeid = request.node.nodeid
    run = request.param
    config = schemathesis.Config.from_dict(
        {
            "seed": 1,
            "generation": {
                "max-examples": MAX_EXAMPLES if run == "admin" else max(1, MAX_EXAMPLES // 2),
                "deterministic": True,
                "database": "none",
                "no-shrink": True,
                "mode": "all",
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": COVERAGE},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
        }
    )
    schema = schemathesis.openapi.from_dict(fuzz_world["raw"], config=config)
    schema.app = fuzz_world["app"]
    schema.location = "/api/schema/"
    schema.fuzzer = Fuzzer(run, fuzz_world)
    return schema


@pytest.fixture
def fuzzer(api_schema) -> Fuzzer:
    return api_schema.fuzzer


lazy_schema = schemathesis.pytest.from_fixture("api_schema")


@lazy_schema.parametrize()
def test_every_operation_answers_as_documented(case, fuzzer):
    fuzzer.call(case)
