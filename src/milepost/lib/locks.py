"""One job of a kind at a time, across processes: `exclusive("import")`.

Two imports at once used to end with the second dying on "database is locked" after 20 s, with a
traceback. The lock is taken before any work and refused at once, naming who holds it:
on PostgreSQL a session advisory lock (so it holds across hosts sharing the database), on SQLite
an advisory file lock beside the database file (SQLite is one host anyway).
"""

from __future__ import annotations

import datetime
import fcntl
import os
import socket
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connections


class Busy(Exception):
    """Another job holds the lock; the message says which and what to do."""


def _holder_note(what: str) -> str:
    started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
    return f"{what} (process {os.getpid()} on {socket.gethostname()}, started {started})"


def _lock_path(name: str, database: str) -> Path:
    if database and database != ":memory:" and not database.startswith("file:"):
        return Path(database).with_name(f"{Path(database).name}.{name}.lock")
    key = zlib.crc32(database.encode())
    return Path(tempfile.gettempdir()) / f"milepost-{key:08x}.{name}.lock"


@contextmanager
def exclusive(name: str, *, what: str = "", using: str = "default") -> Iterator[None]:
    """Hold the lock called `name` for the block, or raise Busy at once if another holds it."""
    what = what or name
    connection = connections[using]
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"milepost:{name}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            (acquired,) = cursor.fetchone()
        if not acquired:
            raise Busy(
                f"Another {what} is running on this database; wait for it to finish and try again."
            )
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    path = _lock_path(name, str(connection.settings_dict["NAME"]))
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or f"another {what}"
            raise Busy(
                f"Another {what} is running: {holder}. Wait for it to finish and try again."
            ) from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(_holder_note(what))
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
