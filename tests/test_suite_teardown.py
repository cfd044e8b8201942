"""The suite's own clean-up: at its end a worker's test database can be dropped even when a
test's thread or process left a session on it."""

import psycopg
import pytest
from django.db import connection

from tests.conftest import _end_other_sessions


def test_other_sessions_on_the_test_database_are_ended(require_postgres, db):
    other = psycopg.connect(**connection.get_connection_params())
    assert (
        other.execute("SELECT current_database()").fetchone()[0] == connection.settings_dict["NAME"]
    )

    _end_other_sessions()

    with pytest.raises(psycopg.OperationalError):
        other.execute("SELECT 1")
    other.close()
    with connection.cursor() as cursor:  # the test's own session is left alone
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
