"""Health of the services the app depends on, for /healthz and operators.

Settings are read at call time, so the check always reflects the running
configuration (and tests can point it at another broker).
"""

from __future__ import annotations

from celery import current_app
from django.conf import settings
from django.db import connection
from kombu.pidbox import Mailbox


def database_status() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_status(timeout: float = 1.0) -> dict:
    """Broker reachability, and the workers that answer a remote-control ping.

    The ping is a real round trip through the broker (the filesystem transport,
    core.broker's for any ``filesystem://`` URL, supports the fanout exchange
    Celery's remote control uses), so a listed worker is alive and consuming,
    not merely registered.
    """
    # The app Celery made current: the project's (config/__init__.py imports it
    # before anything runs), without core importing the project package.
    app = current_app._get_current_object()
    url = settings.CELERY_BROKER_URL
    transport = url.split("://", 1)[0]
    try:
        with app.connection_for_write(
            url, transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS
        ) as conn:
            conn.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=timeout
            )
            replies = _ping(app, conn, timeout)
    except Exception as exc:  # any failure means "down"
        return {"ok": False, "transport": transport, "error": exc.__class__.__name__, "workers": []}
    workers = sorted(name for reply in replies for name in reply)
    return {"ok": True, "transport": transport, "workers": workers}


def _ping(app, conn, timeout: float) -> list[dict]:
    # Celery's app.control.ping() publishes through the app's producer pool,
    # i.e. the broker configured at startup, whatever connection it is given;
    # a bare mailbox publishes and collects on `conn` only.
    mailbox = Mailbox(
        app.conf.control_exchange,
        type="fanout",
        accept=app.conf.accept_content,
        serializer=app.conf.task_serializer,
    )
    return mailbox(conn)._broadcast("ping", reply=True, timeout=timeout) or []


def overall_status() -> tuple[bool, dict]:
    """``(healthy, body)``: healthy needs the database, the broker and a live worker."""
    database = database_status()
    broker = broker_status()
    worker = {"ok": bool(broker["workers"]), "count": len(broker["workers"])}
    healthy = database["ok"] and broker["ok"] and worker["ok"]
    body = {
        "status": "ok" if healthy else "degraded",
        "database": database,
        "broker": broker,
        "worker": worker,
    }
    return healthy, body
