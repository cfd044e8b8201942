"""`runstack` (what `make run` ends with) keeps web, worker and beat alive together or not at all.

Three children, one policy: any of them dying stops the rest.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.core.test_settings import SERVICE_VARIABLES

CHILDREN = {"web", "worker", "beat"}


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
    while len(pids) < len(CHILDREN) and time.monotonic() < deadline:
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


def test_sigterm_stops_web_worker_and_beat_and_exits_cleanly(stack, tmp_path):
    process, pids, log = stack
    assert set(pids) == CHILDREN
    time.sleep(2)  # let all three finish starting
    # Beat keeps its schedule state under VAR_DIR, not in the working directory.
    beat_args = Path(f"/proc/{pids['beat']}/cmdline").read_bytes().split(b"\0")
    assert str(tmp_path / "var" / "celerybeat-schedule").encode() in beat_args

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=30) == 0
    assert not any(alive(pid) for pid in pids.values())
    assert "runstack: stopped." in log.read_text()


def test_a_dead_worker_stops_the_others_and_fails(stack):
    """runstack watches its three children alike (one loop over them): a worker killed
    stands for any child that dies."""
    process, pids, log = stack
    victim = "worker"
    assert set(pids) == CHILDREN

    os.kill(pids[victim], signal.SIGKILL)

    assert process.wait(timeout=30) != 0
    assert not any(alive(pid) for name, pid in pids.items() if name != victim)
    assert f"runstack: {victim} exited with code -9; stopped the rest." in log.read_text()
