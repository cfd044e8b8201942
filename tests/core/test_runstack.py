"""`runstack` (what `make run` ends with) keeps web and worker alive together or not at all."""

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings

from tests.core.test_settings import SERVICE_VARIABLES


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def stack(tmp_path):
    """Starts runstack on a private var/ and port; yields (process, {name: pid}, log)."""
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env["VAR_DIR"] = str(tmp_path / "var")
    log = tmp_path / "runstack.log"
    manage = str(settings.BASE_DIR / "manage.py")
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, manage, "runstack", "--port", str(free_port())],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=settings.BASE_DIR,
        )
    pids = {}
    deadline = time.monotonic() + 60
    while len(pids) < 2 and time.monotonic() < deadline:
        pids = dict(re.findall(r"runstack: started (\w+) \(pid (\d+)\)", log.read_text()))
        time.sleep(0.2)
    pids = {name: int(pid) for name, pid in pids.items()}
    yield process, pids, log
    if process.poll() is None:
        process.kill()
        process.wait()
    for pid in pids.values():
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_sigterm_stops_web_and_worker_and_exits_cleanly(stack):
    process, pids, log = stack
    assert set(pids) == {"web", "worker"}
    time.sleep(2)  # let both finish starting

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=30) == 0
    assert not alive(pids["web"])
    assert not alive(pids["worker"])
    assert "runstack: stopped." in log.read_text()


def test_a_dead_worker_stops_the_web_server_and_fails(stack):
    process, pids, log = stack
    assert set(pids) == {"web", "worker"}

    os.kill(pids["worker"], signal.SIGKILL)

    assert process.wait(timeout=30) != 0
    assert not alive(pids["web"])
    assert "runstack: worker exited with code -9; stopped the rest." in log.read_text()
