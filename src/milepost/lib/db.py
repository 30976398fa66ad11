"""The database being busy, told apart from the database failing.

On SQLite a write waits for another writer up to the connection's timeout (20 s, settings.py)
and then fails with "database is locked"; on PostgreSQL a lock or statement timeout fails the
same way. Either is a moment to retry, not a server error: the API answers 503 with
Retry-After and the web a 503 page (site), and work that may be skipped (recording when a
token was last used) does not wait at all (`without_waiting`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connections, transaction

RETRY_AFTER_SECONDS = 5
BUSY_MESSAGE = (
    "The database is busy with another write (an import, perhaps); nothing was changed. "
    "Try again in a few seconds."
)
_SQLITE_BUSY = ("database is locked", "database table is locked")
# PostgreSQL: lock_not_available, query_canceled (statement or lock timeout), deadlock_detected.
_POSTGRES_BUSY = {"55P03", "57014", "40P01"}


def is_busy(exc: BaseException) -> bool:
    """Whether `exc` says the database was busy (a retry may succeed), not broken."""
    if not isinstance(exc, DatabaseError):
        return False
    if any(words in str(exc) for words in _SQLITE_BUSY):
        return True
    cause = exc.__cause__
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return code in _POSTGRES_BUSY


@contextmanager
def without_waiting(using: str = "default") -> Iterator[None]:
    """Run the block's writes without waiting for another writer: they fail at once with a
    DatabaseError that `is_busy` recognises. For writes that may be skipped."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        timeout_ms = int(
            float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)) * 1000
        )
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 0")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '100ms'")
            yield
        return
    yield
