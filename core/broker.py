"""The embedded broker: kombu's filesystem transport, safe with concurrent readers.

Stock kombu (``kombu.transport.filesystem``) writes a message by opening its
final name and then writing into it, and reads by listing the folder, moving a
file away and decoding it. A reader that lists the folder between the two steps
of a write reads an empty or partial file: ``JSONDecodeError`` kills the
worker's consumer, and the message, already moved away, is lost. The exchange
tables in ``control_folder`` (which route tasks and remote-control pings) have
the same race when two processes create one at once.

This transport keeps the folder layout, file names and format (a stock process
and this one can share the folders), and changes only how files are written and
claimed:

* every message and every exchange table is written to a temporary name no
  reader matches (``<final name>.tmp``) and then ``os.replace``d onto its final
  name, which is atomic on POSIX: a reader sees the whole file or nothing;
* a reader decodes a message before claiming it, and claims it by unlinking it
  (exactly one reader wins). An undecodable file is not ready yet (a stock
  writer may still be writing it): it is left in place and retried on the next
  poll. One still undecodable after ``corrupt_after`` seconds (a transport
  option, default 60) is moved to ``<data_folder_in>/corrupt/`` and logged, so
  a bad file neither crashes the worker nor disappears silently.

``use_for_filesystem_urls()`` points kombu's ``filesystem`` alias at this
transport, so every ``filesystem://`` connection of the process (the worker,
the producers, /healthz) uses it; config/celery.py calls it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from pathlib import Path
from queue import Empty

from kombu import transport as kombu_transport
from kombu.exceptions import ChannelError
from kombu.transport import filesystem, virtual
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads

logger = logging.getLogger(__name__)

TEMPORARY_SUFFIX = ".tmp"
CORRUPT_FOLDER = "corrupt"
DEFAULT_CORRUPT_AFTER = 60.0
# A table replaced atomically is never partial; these retries only cover one
# written in place by a stock kombu process sharing the control folder.
TABLE_READ_ATTEMPTS = 5


def write_atomically(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that no reader ever sees a partial file."""
    temporary = f"{path}{TEMPORARY_SUFFIX}"
    try:
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise ChannelError(f"Cannot write {path!r}") from exc


class Channel(filesystem.Channel):
    """Filesystem channel with atomic writes and a reader that never crashes."""

    # Messages.

    def _put(self, queue, payload, **kwargs):
        """Put ``payload`` onto ``queue`` (fanout goes through here too)."""
        filename = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        write_atomically(os.path.join(self.data_folder_out, filename), str_to_bytes(dumps(payload)))

    def _get(self, queue):
        """Take the oldest complete message of ``queue``; ``Empty`` if there is none."""
        wanted = f"{queue}.msg"
        names = sorted(
            name for name in os.listdir(self.data_folder_in) if name.partition(".")[2] == wanted
        )
        for name in names:
            path = os.path.join(self.data_folder_in, name)
            try:
                with open(path, "rb") as file:
                    data = file.read()
            except FileNotFoundError:
                continue  # another reader took it
            except OSError as exc:
                raise ChannelError(f"Cannot read file {path!r} from queue.") from exc
            try:
                payload = loads(bytes_to_str(data))
            except ValueError:  # empty, partial or not UTF-8: not ready (yet)
                self._not_ready(path)
                continue
            try:
                os.remove(path)  # the claim: exactly one reader succeeds
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise ChannelError(f"Cannot remove file {path!r} from queue.") from exc
            if self.store_processed:
                Path(self.processed_folder).mkdir(parents=True, exist_ok=True)
                write_atomically(os.path.join(self.processed_folder, name), data)
            return payload
        raise Empty()

    def _not_ready(self, path: str) -> None:
        try:
            age = time.time() - os.stat(path).st_mtime
        except OSError:
            return
        if age < self.corrupt_after:
            logger.debug("Broker message %s is not complete yet; retrying later.", path)
            return
        corrupt = os.path.join(self.data_folder_in, CORRUPT_FOLDER)
        try:
            os.makedirs(corrupt, exist_ok=True)
            os.replace(path, os.path.join(corrupt, os.path.basename(path)))
        except OSError:
            return
        logger.error(
            "Broker message %s was still undecodable after %.0f s; moved to %s.",
            path,
            age,
            corrupt,
        )

    @property
    def corrupt_after(self) -> float:
        return float(self.transport_options.get("corrupt_after", DEFAULT_CORRUPT_AFTER))

    # Exchange tables (which queues an exchange routes to).

    def get_table(self, exchange):
        return [filesystem.exchange_queue_t(*row) for row in self._read_table(exchange)]

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        binding = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._table_lock(exchange):
            table = [filesystem.exchange_queue_t(*row) for row in self._read_table(exchange)]
            if binding not in table:
                table.insert(0, binding)
                self._write_table(exchange, table)

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs):
        virtual.Channel._delete(self, queue, exchange, routing_key, pattern, *args, **kwargs)
        binding = filesystem.exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._table_lock(exchange):
            table = [filesystem.exchange_queue_t(*row) for row in self._read_table(exchange)]
            if binding in table:
                table.remove(binding)
                self._write_table(exchange, table)

    def _read_table(self, exchange) -> list:
        file = self._exchange_file(exchange)
        for attempt in range(TABLE_READ_ATTEMPTS):
            try:
                data = file.read_bytes()
            except FileNotFoundError:
                return []
            except OSError as exc:
                raise ChannelError(f"Cannot open {file}") from exc
            try:
                return loads(bytes_to_str(data))
            except ValueError:
                time.sleep(0.01 * (attempt + 1))
        raise ChannelError(f"Exchange table {file} is not valid JSON.")

    def _write_table(self, exchange, table) -> None:
        write_atomically(self._exchange_file(exchange), str_to_bytes(dumps(table)))

    @contextlib.contextmanager
    def _table_lock(self, exchange):
        """Serialises read-modify-write of one table across threads and processes."""
        file = self._exchange_file(exchange)
        file.parent.mkdir(parents=True, exist_ok=True)
        try:
            lock_file = open(f"{file}.lock", "ab")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise ChannelError(f"Cannot open {file}.lock") from exc
        try:
            filesystem.lock(lock_file, filesystem.LOCK_EX)
            try:
                yield
            finally:
                filesystem.unlock(lock_file)
        finally:
            lock_file.close()


class Transport(filesystem.Transport):
    """kombu's filesystem transport with :class:`Channel`; same options and URL."""

    Channel = Channel


TRANSPORT_PATH = f"{__name__}:Transport"


def use_for_filesystem_urls() -> None:
    """Make ``filesystem://`` resolve to :class:`Transport` in this process (idempotent)."""
    kombu_transport.TRANSPORT_ALIASES["filesystem"] = TRANSPORT_PATH
    # kombu caches resolved names; drop a stock class resolved before this call.
    cache = getattr(kombu_transport, "_transport_cache", {})
    cache.pop("filesystem", None)
