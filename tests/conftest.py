"""Shared fixtures: the standard cast, API clients, and service guards.

The cast follows healthchecks' habit: everyone has a role, and the outsider
(signed in, in no group) must see nothing of anyone else's data.
"""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from core import access

PASSWORD = "correct-horse-battery-staple-42"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
IN_CI = os.environ.get("CI", "").lower() == "true"


def make_user(username: str, *groups: str, superuser: bool = False) -> User:
    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.com",
        password=PASSWORD,
        first_name=username.replace("_", " ").title(),
        is_staff=superuser or access.COMPENSATION_ADMINS in groups,
        is_superuser=superuser,
    )
    # get_or_create: a transactional test's flush empties the migration-made groups.
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups))
    return user


#: Rows that migrations create and no test owns: a transactional test's flush keeps them.
MIGRATION_SEEDED_TABLES = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
        "hiring_dispositionreason",
        "offers_declinereason",
        "reports_digestschedule",
        "roles_roledataversion",
    }
)


def _sql_flush_by_delete(style, connection, reset_sequences=False, allow_cascade=False):
    """The flush after a transactional test: ``DELETE`` from every table but the seeded ones.

    Django's flush issues one ``TRUNCATE`` of every table, which on PostgreSQL costs new
    files for each table, index and TOAST relation: 1-5 s per transactional test here. On
    tables of a few rows ``DELETE`` takes milliseconds; the flush command runs the
    statements in one transaction, and foreign keys are deferred (Django creates them
    ``DEFERRABLE INITIALLY DEFERRED``), so the order does not matter. The migration-seeded
    rows (groups, reasons, digest schedules, content types) stay, as the ordinary tests
    that run later on the same worker expect.
    """
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    quote = connection.ops.quote_name
    return [
        f"DELETE FROM {quote(table)};"
        for table in sorted(tables)
        if table not in MIGRATION_SEEDED_TABLES
    ]


def pytest_configure(config):
    from django.core.management.commands import flush

    flush.sql_flush = _sql_flush_by_delete


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database: tables from the models, then the rows the data migrations write.

    ``make test`` runs pytest-django with ``--no-migrations``: each worker creates its
    tables straight from the models (about 1 s) instead of replaying 65 migrations (about
    9 s, nearly all of it Django rebuilding model states). What the migrations add beyond
    the tables is their data: the groups, reason catalogues, digest schedules and the role
    data version row. ``run_data_migrations`` runs those migrations' own functions, in the
    migration graph's order, so a data migration added later is seeded here with no change.
    ``tests/core/test_migrations.py`` keeps the migrations honest: they describe exactly the
    models (``makemigrations --check``), and every data migration is one this can replay.
    """
    with django_db_blocker.unblock():
        run_data_migrations()
    yield
    with django_db_blocker.unblock():
        _end_sessions_before_drop()


def _end_sessions_before_drop() -> None:
    """Ends every session on this worker's test database before pytest-django drops it.

    A connection a test's thread or child process still held at the very end (a worker
    thread's, a server's shutting down) made the drop fail now and then with "database ... is
    being accessed by other users", leaving the database behind and a warning in the run.
    The test thread's own connection is closed first (the drop closes it anyway), and the
    sessions are ended from the server's maintenance database, so the clean-up works
    whatever state that connection was left in.
    """
    if connection.vendor != "postgresql":
        return
    connection.close()
    end_sessions_on(connection.settings_dict["NAME"])


def maintenance_params() -> dict:
    """psycopg's connection parameters for the server's maintenance database."""
    return {**connection.get_connection_params(), "dbname": "postgres", "autocommit": True}


def end_sessions_on(database: str) -> int:
    """Ends every session on ``database``; answers how many there were."""
    import psycopg

    with psycopg.connect(**maintenance_params()) as maintenance:
        rows = maintenance.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = %s",
            [database],
        ).fetchall()
    return len(rows)


def project_data_migrations() -> list:
    """(migration, operation) for every ``RunPython`` or ``RunSQL`` in this project's own
    apps, in the order ``migrate`` applies them."""
    from django.apps import apps
    from django.conf import settings
    from django.db.migrations import RunPython, RunSQL
    from django.db.migrations.loader import MigrationLoader

    ours = {
        config.label
        for config in apps.get_app_configs()
        if str(config.path).startswith(str(settings.BASE_DIR))
    }
    # --no-migrations hides every migration module; the loader reads them from disk here.
    with override_settings(MIGRATION_MODULES={}):
        loader = MigrationLoader(None, ignore_no_migrations=True)
    plan: list = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        plan += [key for key in loader.graph.forwards_plan(leaf) if key not in plan]
    return [
        (loader.graph.nodes[key], operation)
        for key in plan
        if key[0] in ours
        for operation in loader.graph.nodes[key].operations
        if isinstance(operation, RunPython | RunSQL)
    ]


def run_data_migrations() -> None:
    from django.apps import apps
    from django.db.migrations import RunPython

    with transaction.atomic(), connection.schema_editor() as editor:
        for _migration, operation in project_data_migrations():
            if isinstance(operation, RunPython):
                operation.code(apps, editor)
            else:  # RunSQL: its forward statements, as the operation runs them
                operation._run_sql(editor, operation.sql)


#: Files that take seconds each (a real browser, walks of every route, whole process
#: stacks, the fault tests): handed out first, so that at the end both workers finish on
#: short files.
HEAVY_FIRST = (
    "tests/browser/",
    "tests/test_pay_policy.py",
    "tests/core/test_runstack.py",
    "tests/reliability/",
    "tests/api_fuzz/",
    # Few tests but seconds each (processes, live workers, the schema, whole seeds): by their
    # number of tests they came last, and one worker finished them alone while the other idled.
    "tests/core/test_schema.py",
    "tests/core/test_settings.py",
    "tests/core/test_health.py",
    "tests/core/test_mail_transactional.py",
    "tests/core/test_worker_transactional.py",
    "tests/demo/",
    "tests/test_journey.py",
    "tests/candidates/test_history_queries.py",
    "tests/candidates/test_notes_limit.py",
    "tests/offers/test_approvals_transactional.py",
)


def _heavy_first(items) -> None:
    """The order in which pytest-xdist hands out files (``--dist loadfile`` with
    ``--no-loadscope-reorder``, as ``make test`` runs it): first to whichever worker is free,
    so the longest go first, as in longest-processing-time scheduling: the heavy files, then
    the others by their number of tests (xdist's own order), so both workers finish on
    short files. A stable sort: every file's tests stay together, in their order."""
    root = str(items[0].config.rootpath) + "/" if items else ""
    sizes: dict[str, int] = {}
    for item in items:
        sizes[str(item.path)] = sizes.get(str(item.path), 0) + 1

    def rank(item) -> tuple[int, int]:
        path = str(item.path)
        return (0 if path.removeprefix(root).startswith(HEAVY_FIRST) else 1, -sizes[path])

    items.sort(key=rank)


def pytest_collection_modifyitems(items):
    """Transactional tests must sit in ``test_*_transactional.py`` files of their own.

    Their flush empties every table, including rows that data migrations seed
    (groups, disposition reasons) and content types. pytest-django runs them
    after the ordinary tests, but pytest-xdist hands out whole files: a file
    that mixes both kinds would run ordinary tests after a flush.
    """
    misplaced = [
        item.nodeid
        for item in items
        if _is_transactional(item) != item.path.stem.endswith("_transactional")
        and (_is_transactional(item) or _uses_db(item))
    ]
    if misplaced:
        raise pytest.UsageError(
            "Transactional tests belong in test_*_transactional.py files, and only they do: "
            + ", ".join(misplaced)
        )
    _heavy_first(items)


def _uses_db(item) -> bool:
    return item.get_closest_marker("django_db") is not None or "db" in item.fixturenames


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or (
        "transactional_db" in item.fixturenames
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The real hasher is deliberately slow; tests only need passwords to match."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(scope="session", autouse=True)
def _private_cache():
    """This test process's own memory cache (the throttle counters), as PASSWORD_HASHERS is
    swapped for speed: the product's file cache costs ~1.7 ms of file writes per API request,
    and a private cache means runs and xdist workers never count each other's requests.
    tests/core/test_throttle_api.py proves the sharing across processes on Redis."""
    backend = "django.core.cache.backends.locmem.LocMemCache"
    with override_settings(CACHES={"default": {"BACKEND": backend}}):
        yield


@pytest.fixture(autouse=True)
def _fresh_throttles(_private_cache):
    """Every test starts with no request counted: the whole suite is one address."""
    cache.clear()


@pytest.fixture(autouse=True)
def _sign_in_lockout_off(settings):
    """Django's test client signs in without a request (``client.login``), which the
    lockout (django-axes) refuses; tests/accounts turns the lockout on where it is tested."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _fresh_role_data():
    """Each test starts without the process's in-memory role data (``roles.snapshot``):
    tests build role data in bulk, which no signal reports. tests/roles/test_snapshot.py
    shows how the real invalidation works."""
    from roles import snapshot

    snapshot.forget()


@pytest.fixture
def admin_user(db) -> User:
    return make_user("admin", superuser=True)


@pytest.fixture
def comp_admin(db) -> User:
    return make_user("comp_admin", access.COMPENSATION_ADMINS)


@pytest.fixture
def recruiter(db) -> User:
    return make_user("recruiter", access.RECRUITERS)


@pytest.fixture
def other_recruiter(db) -> User:
    return make_user("other_recruiter", access.RECRUITERS)


@pytest.fixture
def hiring_manager(db) -> User:
    return make_user("hiring_manager", access.HIRING_MANAGERS)


@pytest.fixture
def other_manager(db) -> User:
    return make_user("other_manager", access.HIRING_MANAGERS)


@pytest.fixture
def interviewer(db) -> User:
    return make_user("interviewer", access.INTERVIEWERS)


@pytest.fixture
def other_interviewer(db) -> User:
    return make_user("other_interviewer", access.INTERVIEWERS)


@pytest.fixture
def outsider(db) -> User:
    """Signed in, in no group: sees nothing."""
    return make_user("outsider")


#: The cast by role: the fixture that makes each user (anonymous is no one).
CAST_FIXTURES = {
    "admin": "admin_user",
    "comp_admin": "comp_admin",
    "recruiter": "recruiter",
    "hiring_manager": "hiring_manager",
    "interviewer": "interviewer",
    "outsider": "outsider",
    "anonymous": None,
}


class Cast(Mapping):
    """``cast[role]``: the user of that role, created on first use through its fixture.

    A test parametrised by role creates only the user it asks for; asking for a
    role whose fixture the test also requested returns that same user.
    """

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def __getitem__(self, role: str) -> User | None:
        fixture = CAST_FIXTURES[role]
        return None if fixture is None else self._request.getfixturevalue(fixture)

    def __iter__(self) -> Iterator[str]:
        return iter(CAST_FIXTURES)

    def __len__(self) -> int:
        return len(CAST_FIXTURES)


@pytest.fixture
def cast(request, db) -> Cast:
    return Cast(request)


CAST_GROUPS = {
    "admin": (),
    "comp_admin": (access.COMPENSATION_ADMINS,),
    "recruiter": (access.RECRUITERS,),
    "other_recruiter": (access.RECRUITERS,),
    "hiring_manager": (access.HIRING_MANAGERS,),
    "other_manager": (access.HIRING_MANAGERS,),
    "interviewer": (access.INTERVIEWERS,),
    "other_interviewer": (access.INTERVIEWERS,),
    "outsider": (),
}


@contextmanager
def built_once(django_db_blocker):
    """Rows built once for a whole module, rolled back at its end.

    For modules whose many tests read the same setup: each test still runs in
    its own transaction (a savepoint inside this one), rolled back after it, so
    nothing a test writes reaches the next.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


def shared_world(build: Callable[[dict], Any] | None = None, *, role_data: str | None = None):
    """Fixtures that build the cast, the role data and a module's ``world`` once per module.

    For modules whose many tests read one setup. ``build(cast)`` returns the world;
    ``role_data`` is ``"guide"`` (``load_guide``) or ``"roles_data"`` (the compact copy
    of tests/hiring). Each test gets a deep copy of the users and the world, so an
    instance a test changes in memory never reaches the next test, and runs in its own
    savepoint, so nothing it writes does either. Use it as
    ``globals().update(shared_world(build, role_data="guide"))``.
    """

    @pytest.fixture(scope="module")
    def shared_world_built(django_db_setup, django_db_blocker):
        with built_once(django_db_blocker):
            cast = make_cast()
            roles = None
            if role_data == "guide":
                from django.core.management import call_command

                call_command("load_guide", verbosity=0)
            elif role_data == "roles_data":
                from tests.hiring.factories import build_role_data

                roles = build_role_data()
            yield {"cast": cast, "roles_data": roles, "world": build(cast) if build else None}

    @pytest.fixture
    def shared_world_copy(shared_world_built, db):
        return copy.deepcopy(shared_world_built)

    def user(role: str):
        @pytest.fixture(name=CAST_FIXTURES.get(role) or role)
        def fixture(shared_world_copy):
            return shared_world_copy["cast"][role]

        return fixture

    @pytest.fixture(name="world")
    def world_fixture(shared_world_copy):
        return shared_world_copy["world"]

    @pytest.fixture(name="roles_data")
    def roles_data_fixture(shared_world_copy):
        return shared_world_copy["roles_data"]

    @pytest.fixture(name="guide")
    def guide_fixture(shared_world_copy):
        """Loaded once for the module."""

    fixtures = {
        "shared_world_built": shared_world_built,
        "shared_world_copy": shared_world_copy,
        **{f"_cast_{role}": user(role) for role in CAST_GROUPS},
    }
    if build:
        fixtures["world"] = world_fixture
    if role_data == "roles_data":
        fixtures["roles_data"] = roles_data_fixture
    if role_data == "guide":
        fixtures["guide"] = guide_fixture
    return fixtures


def wait_for(predicate, seconds: float = 30.0, every: float = 0.1) -> bool:
    """Polls ``predicate`` every ``every`` seconds until it holds or ``seconds`` pass (live
    workers, processes, a server catching up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False


def make_cast() -> dict:
    """Every user of the standard cast, named and grouped as the individual fixtures are."""
    users = {
        name: make_user(name, *groups, superuser=name == "admin")
        for name, groups in CAST_GROUPS.items()
    }
    return {**users, "anonymous": None}


def api_client_for(user: User | None, *, token: bool = True) -> APIClient:
    client = APIClient()
    if user is None:
        return client
    if token:
        key = AuthToken.objects.create(user=user)[1]
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    else:
        client.force_login(user)
    return client


@pytest.fixture
def api():
    """``api(user)`` returns a DRF client authenticated with the user's token."""
    return api_client_for


@pytest.fixture
def guide(db):
    """The career guide's role data, loaded exactly as `make run` loads it.

    The first test in a process runs ``load_guide`` and keeps the rows it wrote
    (role data, its history and many-to-many rows); later tests get the same
    rows back in one bulk insert per table, which is some 20 times faster. A
    database that already holds role data gets the real command instead.
    """
    global _GUIDE_ROWS
    if _GUIDE_ROWS is not None and restore_role_rows(_GUIDE_ROWS):
        return
    from django.core.management import call_command

    call_command("load_guide", verbosity=0)
    _GUIDE_ROWS = snapshot_role_rows()


_GUIDE_ROWS: list | None = None


def _role_models() -> list:
    from django.apps import apps

    from roles.models import RoleDataVersion  # one row from the migration, never restored

    models = apps.get_app_config("roles").get_models(include_auto_created=True)
    return [model for model in models if model is not RoleDataVersion]


def snapshot_role_rows() -> list[tuple[str, list | None]]:
    """The role data's rows as ready-made ``INSERT`` statements with their parameters.

    Values go through each field's ``get_db_prep_save`` once, here; a restore then only
    sends the statements (no model instances, no per-row Python), in chunks of
    ``_ROWS_PER_INSERT`` rows, under SQLite's limit on parameters too. On PostgreSQL the
    statements are bound here too, by the driver, into one script sent in one round trip
    (a restore then parses no query client-side: psycopg caches no query this long, and
    splitting one took most of a restore).
    """
    quote = connection.ops.quote_name
    statements = []
    for model in _role_models():
        fields = model._meta.concrete_fields
        rows = list(model._base_manager.order_by().values_list(*(f.attname for f in fields)))
        columns = ", ".join(quote(f.column) for f in fields)
        one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start : start + _ROWS_PER_INSERT]
            statements.append(
                (
                    f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
                    + ", ".join([one_row] * len(chunk)),
                    [
                        field.get_db_prep_save(value, connection)
                        for row in chunk
                        for field, value in zip(fields, row, strict=True)
                    ],
                )
            )
    if connection.vendor == "postgresql":
        return [(";\n".join(connection.ops.compose_sql(sql, p) for sql, p in statements), None)]
    return statements


_ROWS_PER_INSERT = 500


def restore_role_rows(statements: list[tuple[str, list | None]]) -> bool:
    """Put back the rows ``snapshot_role_rows`` took, with their ids, one insert per table.

    No sequence reset: the rows were first made through the sequences of this same
    database, which a rollback or a flush never moves back (SQLite's AUTOINCREMENT moves
    its counter past an explicit id), so the next id is always past them.
    """
    from roles import snapshot
    from roles.models import Level, Track

    if Track.objects.exists() or Level.objects.exists():
        return False
    # One transaction: foreign keys are checked at its end (transactional tests have no other).
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
        snapshot.bump()  # as load_guide does after its bulk inserts
    return True


@pytest.fixture
def private_storage(settings, tmp_path):
    """Private files (documents, letters) go to a temporary folder; returns it for checks."""
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def _service_missing(kind: str, reason: str) -> None:
    message = f"{kind} is required for this test but is not available: {reason}"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def require_postgres(db):
    """Fails under CI=true (never skips silently) when not on PostgreSQL."""
    if connection.vendor != "postgresql":
        _service_missing("PostgreSQL", f"DATABASE_URL points at {connection.vendor}")


@pytest.fixture
def require_redis():
    """Returns a Redis URL; fails under CI=true when Redis is unreachable."""
    import redis

    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        _service_missing("Redis", f"{url}: {exc}")
    return url
