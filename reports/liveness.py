"""Whether the worker that claimed a report run is still alive: a PostgreSQL advisory lock.

The worker generating a run holds a session-level advisory lock on it, taken before the
claim and released after the run's last update. PostgreSQL releases it the moment the
worker's connection ends, so a run that is ``running`` while nobody holds its lock belongs
to a worker that died (SIGKILL, out of memory, a lost machine whose connection timed out):
another worker may take it over at once rather than after the task's time limit.

On SQLite (the local default) there are no advisory locks: ``hold`` yields ``None`` and the
claim falls back to the age of the claim (``services.STALE_CLAIM``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# The first half of the lock's two-integer key: report runs (the second is the run's id).
NAMESPACE = 0x5245_5054 & 0x7FFF_FFFF  # "REPT"


@contextmanager
def hold(run_id: int) -> Iterator[bool | None]:
    """Try to hold the run's lock: True (held, released on exit), False (another live
    worker holds it) or None (no advisory locks on this database)."""
    if connection.vendor != "postgresql":
        yield None
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [NAMESPACE, run_id])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [NAMESPACE, run_id])


def held_run_ids() -> set[int] | None:
    """The ids of the runs a live worker holds now; None without advisory locks."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid = %s AND objsubid = 2"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [NAMESPACE],
        )
        return {int(row[0]) for row in cursor.fetchall()}
