"""The embedded broker (core.broker): no reader ever sees a partial message, none is lost.

Stock kombu's filesystem transport lets a reader list a message file between
its creation and its write; the reader then raises JSONDecodeError (killing
the worker's consumer) after moving the file away (losing the message).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from queue import Empty

import pytest
from celery import current_app, shared_task
from kombu import Connection, Exchange, Producer, Queue
from kombu.transport import get_transport_cls
from kombu.transport import redis as kombu_redis

from core import broker as embedded
from tests.core.conftest import _filesystem_options

STOCK = "kombu.transport.filesystem:Transport"
MESSAGE = {"body": "x" * 10_000, "headers": {}, "properties": {}}


@shared_task(name="tests.core.test_broker.touch", ignore_result=True)
def touch(folder: str, number: int) -> None:
    """Leaves one file per task run: countable evidence, no database needed."""
    with open(os.path.join(folder, f"{number}.done"), "x"):
        pass


@pytest.fixture
def options(tmp_path) -> dict:
    return _filesystem_options(tmp_path / "broker")


def _channel(options: dict, transport: str | None = None):
    connection = Connection("filesystem://", transport=transport, transport_options=options)
    return connection, connection.default_channel


@pytest.fixture
def channel(options):
    """A channel of the transport `filesystem://` resolves to in this project."""
    connection, channel = _channel(options)
    yield channel
    connection.release()


def _message_file(options: dict, queue: str) -> str:
    name = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
    return os.path.join(options["data_folder_in"], name)


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as file:
        file.write(data)


def test_filesystem_urls_resolve_to_the_embedded_transport_and_redis_is_untouched():
    assert get_transport_cls("filesystem") is embedded.Transport
    assert Connection("filesystem://").transport_cls == "filesystem"
    assert get_transport_cls(Connection("filesystem://").transport_cls) is embedded.Transport
    assert get_transport_cls("redis") is kombu_redis.Transport
    # /healthz connects through Celery's current app, the project's.
    app = current_app._get_current_object()
    assert app.main == "hiring"
    with app.connection_for_write("filesystem://") as connection:
        assert isinstance(connection.transport, embedded.Transport)


def test_stock_kombu_reader_crashes_on_a_file_being_written_and_loses_it(options):
    """Why core.broker exists; if kombu fixes this, the subclass can go."""
    connection, stock = _channel(options, transport=STOCK)
    path = _message_file(options, "q")
    _write(path, b"")  # the writer has created the file, not yet written it

    with pytest.raises(json.JSONDecodeError):
        stock._get("q")

    assert not os.path.exists(path)  # moved away before decoding: lost
    connection.release()


def test_reader_skips_a_file_being_written_then_delivers_it_once(channel, options):
    path = _message_file(options, "q")
    payload = json.dumps(MESSAGE).encode()

    _write(path, b"")
    with pytest.raises(Empty):
        channel._get("q")
    _write(path, payload[:100])
    with pytest.raises(Empty):
        channel._get("q")
    assert os.path.exists(path)  # left for the next poll, not lost

    _write(path, payload)
    assert channel._get("q") == MESSAGE
    with pytest.raises(Empty):
        channel._get("q")


def test_writes_are_atomic_for_messages_fanout_and_exchange_tables(channel, options, monkeypatch):
    """At the rename, the final name does not exist yet and the temporary one is complete."""
    real_replace = os.replace
    replaced = []

    def checking_replace(source, destination):
        destination = os.fspath(destination)
        assert source == f"{destination}{embedded.TEMPORARY_SUFFIX}"
        assert not os.path.exists(destination) or destination.endswith(".exchange")
        with open(source, "rb") as file:
            json.loads(file.read())  # complete
        name = os.path.basename(destination)
        if name.endswith(".msg"):
            with pytest.raises(Empty):
                channel._get(name.partition(".")[2][: -len(".msg")])  # temporary: ignored
        replaced.append(os.path.basename(destination))
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", checking_replace)
    exchange = Exchange("bcast", type="fanout")
    for name in ("fan1", "fan2"):
        Queue(name, exchange=exchange)(channel).declare()
    channel._put("q", MESSAGE)
    Producer(channel).publish({"n": 1}, exchange=exchange)
    monkeypatch.setattr(os, "replace", real_replace)

    assert [name for name in replaced if name.endswith(".exchange")] == ["bcast.exchange"] * 2
    assert sum(name.endswith(".q.msg") for name in replaced) == 1
    assert sum(name.endswith((".fan1.msg", ".fan2.msg")) for name in replaced) == 2
    assert channel._get("q") == MESSAGE
    for name in ("fan1", "fan2"):
        assert Queue(name, exchange=exchange)(channel).get(no_ack=True).payload == {"n": 1}
    assert not [name for name in os.listdir(options["data_folder_in"]) if name.endswith(".tmp")]


def test_a_file_undecodable_for_too_long_is_moved_aside_and_logged(options, caplog):
    connection, channel = _channel(dict(options, corrupt_after=5))
    fresh, stale = _message_file(options, "q"), _message_file(options, "q")
    _write(fresh, b"{")
    _write(stale, b"not json")
    os.utime(stale, (time.time() - 10, time.time() - 10))

    with caplog.at_level(logging.ERROR, logger="core.broker"), pytest.raises(Empty):
        channel._get("q")

    corrupt = os.path.join(options["data_folder_in"], embedded.CORRUPT_FOLDER)
    assert os.listdir(corrupt) == [os.path.basename(stale)]
    assert os.path.exists(fresh)
    assert "still undecodable" in caplog.text
    connection.release()


def test_a_reader_racing_writers_gets_every_message_exactly_once(channel, options):
    count, writers = 300, 3
    received, errors = [], []

    def write(first: int) -> None:
        connection, writer = _channel(options)
        for number in range(first, count, writers):
            writer._put("race", dict(MESSAGE, n=number))
        connection.release()

    threads = [threading.Thread(target=write, args=(first,)) for first in range(writers)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while len(received) < count and time.monotonic() < deadline:
        try:
            received.append(channel._get("race")["n"])
        except Empty:
            time.sleep(0.001)
        except Exception as exc:  # a crash is the bug
            errors.append(exc)
            break
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(received) == list(range(count))


def test_concurrent_binds_keep_every_binding(options):
    exchange = Exchange("shared", type="fanout")
    barrier = threading.Barrier(12)

    def bind(number: int) -> None:
        connection, channel = _channel(options)
        barrier.wait()
        Queue(f"q{number}", exchange=exchange)(channel).declare()
        connection.release()

    threads = [threading.Thread(target=bind, args=(number,)) for number in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    connection, channel = _channel(options)
    assert sorted(row.queue for row in channel.get_table("shared")) == sorted(
        f"q{number}" for number in range(12)
    )
    connection.release()


@pytest.fixture
def default_polling(broker, settings) -> None:
    """The project's polling interval for the live worker (conftest's is slower)."""
    from config.settings import CELERY_BROKER_TRANSPORT_OPTIONS as defaults

    settings.CELERY_BROKER_TRANSPORT_OPTIONS = dict(
        settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        polling_interval=defaults.get("polling_interval", 0.05),
    )


@pytest.mark.parametrize("broker", ["filesystem"], indirect=True)
def test_a_live_worker_runs_every_task_through_the_embedded_broker(
    default_polling, live_worker, tmp_path
):
    app, _ = live_worker
    done = tmp_path / "done"
    done.mkdir()
    count = 150
    with app.connection_for_write() as connection:
        assert isinstance(connection.transport, embedded.Transport)

    task = app.tasks["tests.core.test_broker.touch"]
    with app.producer_or_acquire() as producer:
        for number in range(count):
            task.apply_async((str(done), number), producer=producer)

    deadline = time.monotonic() + 20
    while len(os.listdir(done)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(int(name.split(".")[0]) for name in os.listdir(done)) == list(range(count))
