from django.db import connection


def test_postgresql_answers_queries_on_the_test_database(require_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_database(), current_setting('server_version_num')::int")
        database, version = cursor.fetchone()

    assert connection.vendor == "postgresql"
    assert database.startswith("test_")
    assert version >= 150000


def test_postgresql_has_btree_gist_for_band_exclusion_constraints(require_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_extension WHERE extname = 'btree_gist'")
        (installed,) = cursor.fetchone()

    assert installed == 1


def test_the_sites_connections_run_without_jit(require_postgres):
    # JIT compiled the list queries for longer than they ran (docs/performance.md).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        (jit,) = cursor.fetchone()

    assert jit == "off"
