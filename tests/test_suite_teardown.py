"""The suite's own clean-up: at its end a worker's test database can be dropped even when a
test's thread or process left a session on it."""

import uuid

import psycopg
import pytest

from tests.conftest import end_sessions_on, maintenance_params


@pytest.fixture
def scratch_database(require_postgres):
    """A database of its own, so ending its sessions touches none of this worker's."""
    name = f"teardown_{uuid.uuid4().hex[:12]}"
    params = maintenance_params()
    with psycopg.connect(**params) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    yield {**params, "dbname": name}
    with psycopg.connect(**params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_every_session_on_the_database_is_ended(scratch_database):
    sessions = [psycopg.connect(**scratch_database) for _ in range(2)]
    database = sessions[0].execute("SELECT current_database()").fetchone()[0]
    assert database == scratch_database["dbname"]

    ended = end_sessions_on(scratch_database["dbname"])

    assert ended == 2
    for session in sessions:
        with pytest.raises(psycopg.OperationalError):
            session.execute("SELECT 1")
        session.close()


def test_a_database_with_no_session_is_left_as_it_is(scratch_database):
    assert end_sessions_on(scratch_database["dbname"]) == 0
