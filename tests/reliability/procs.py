"""Processes for the fault tests: private Redis and PostgreSQL servers, web servers and
Celery workers started as the deployment starts them, each on a free port and in a
temporary folder, always stopped by the fixture or ``finally`` that started them.

Nothing here touches the machine's shared PostgreSQL or Redis servers: a private server
is started whenever a fault needs a server to stop or restart.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import IN_CI, wait_for
from tests.core.test_settings import SERVICE_VARIABLES

#: The server binaries of the newest PostgreSQL installed (Debian's layout; 15 here and on CI).
PG_BIN = max(
    Path("/usr/lib/postgresql").glob("*/bin"),
    key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    default=Path("/usr/lib/postgresql/15/bin"),
)
#: Generous bounds: a loaded 2-core machine starts a Python process in 1-3 s.
START_TIMEOUT = 40.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing(what: str) -> None:
    """A prerequisite missing: fail under CI=true, skip with the reason elsewhere."""
    message = f"{what} is required for this fault test"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def wait_until(predicate, seconds: float = START_TIMEOUT, every: float = 0.05) -> bool:
    """``wait_for`` with this module's start timeout and a finer poll."""
    return wait_for(predicate, seconds, every)


def database_url(name: str | None = None, port: int | None = None, host: str | None = None) -> str:
    """The test database of this process (``test_<name>``), for the processes it starts."""
    conf = connection.settings_dict
    if connection.vendor != "postgresql":
        missing("PostgreSQL (DATABASE_URL)")
    user = conf["USER"] or "postgres"
    password = f":{conf['PASSWORD']}" if conf.get("PASSWORD") else ""
    host = host or conf["HOST"] or "127.0.0.1"
    port = port or conf["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name or conf['NAME']}"


def service_env(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a started web server or worker: this machine's, without any
    deployment variable of the test run, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(
        VAR_DIR=str(folder / "var"),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
        DB_CONN_MAX_AGE="60",
    )
    env.update(extra)
    return env


class Started:
    """A started child process whose output goes to a log file; stopped by ``stop``."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                args,
                env=env,
                cwd=settings.BASE_DIR,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: children die with it
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL to the whole group (a worker's pool children included)."""
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def quit(self) -> None:
        """SIGQUIT: gunicorn's quick shutdown, Celery's cold one (nothing left to finish)."""
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGQUIT)

    def stop(self) -> None:
        self.quit()
        with suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.kill()


@contextmanager
def started(*processes_args) -> Iterator[list[Started]]:
    """Start several processes together; stop every one of them on exit."""
    processes: list[Started] = []
    try:
        for args in processes_args:
            processes.append(Started(*args))
        yield processes
    finally:
        for process in processes:
            process.quit()
        for process in processes:
            process.stop()


def web_args(port: int, env: dict[str, str], log: Path, *, workers: int = 1):
    """Gunicorn as the Dockerfile runs it, on ``port``."""
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    return (
        [
            gunicorn,
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--timeout",
            "30",
            "--graceful-timeout",
            "2",
        ],
        env,
        log,
    )


def worker_args(name: str, env: dict[str, str], log: Path, *, queues: str = "celery,reports"):
    """A Celery worker as compose runs it (one process: the report runs in it)."""
    return (
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--hostname",
            f"{name}@reliability",
            "-Q",
            queues,
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
        ],
        env,
        log,
    )


def http_status(url: str, timeout: float = 5.0, **headers: str) -> int:
    """The status of a GET, 0 when nothing answered (refused, reset, timed out)."""
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (OSError, urllib.error.URLError):
        return 0


def wait_for_web(port: int, process: Started) -> None:
    up = wait_until(lambda: http_status(f"http://127.0.0.1:{port}/login/") == 200)
    assert up, f"the web server on {port} did not start:\n{process.output()[-3000:]}"


def wait_for_worker(process: Started) -> None:
    ready = wait_until(lambda: " ready." in process.output() or process.process.poll() is not None)
    assert ready and process.process.poll() is None, (
        f"the worker did not start:\n{process.output()[-3000:]}"
    )


# Private Redis ---------------------------------------------------------------------


class PrivateRedis:
    """``redis-server`` on a free port, no persistence: stoppable and restartable."""

    def __init__(self, folder: Path) -> None:
        if not shutil.which("redis-server"):
            missing("redis-server")
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers() -> bool:
            try:
                return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
            except redis.RedisError:
                return False

        assert wait_until(answers, 10), "the private redis-server did not start"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    folder = Path(tempfile.mkdtemp(prefix="reliability-redis-"))
    server = PrivateRedis(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


# Private PostgreSQL ----------------------------------------------------------------


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary folder, on a free port, stoppable.

    initdb and postgres refuse to run as root: as root, they run as the ``postgres``
    OS user (``runuser``), in a folder it owns.
    """

    def __init__(self, folder: Path) -> None:
        if not (PG_BIN / "initdb").exists():
            missing(f"PostgreSQL server binaries ({PG_BIN})")
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            if not shutil.which("runuser"):
                missing("runuser (to run PostgreSQL as the postgres user)")
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(folder, "postgres", "postgres")

    def _run(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self.as_user, *args], check=True, capture_output=True, timeout=timeout, cwd="/"
        )

    def init(self) -> None:
        self._run(str(PG_BIN / "initdb"), "-A", "trust", "-U", "postgres", "-N", str(self.data))

    def pg_ctl(self, action: str) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c full_page_writes=off -c synchronous_commit=off"
        )
        args = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-t", "30", "-o", options]
        if action != "start":
            args += ["-m", "fast"]
        self._run(*args, "-l", str(self.folder / "postgres.log"), action)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def stop_quietly(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with suppress(subprocess.SubprocessError, OSError):
                self.pg_ctl("stop")


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    folder = Path(tempfile.mkdtemp(prefix="reliability-pg-"))
    server = PrivatePostgres(folder)
    try:
        server.init()
        server.pg_ctl("start")
        yield server
    finally:
        server.stop_quietly()
        shutil.rmtree(folder, ignore_errors=True)
