"""Health of the services the app depends on, for /healthz and operators."""

from __future__ import annotations

from django.db import connection


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_status(timeout: float = 1.0) -> dict:
    """Broker reachability and the workers that answer a ping."""
    from config.celery import app

    transport = app.conf.broker_url.split("://", 1)[0]
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            replies = app.control.ping(timeout=timeout, connection=conn) or []
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "transport": transport, "error": exc.__class__.__name__, "workers": []}
    workers = sorted(name for reply in replies for name in reply)
    return {"ok": True, "transport": transport, "workers": workers}
