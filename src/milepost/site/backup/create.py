"""Write a backup archive: every table streamed in primary-key order from one consistent
snapshot, then the media files, then the manifest."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import os
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import django
from django.db import connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

import milepost
from milepost.site.backup.archive import (
    CHUNK,
    FORMAT_VERSION,
    MANIFEST_NAME,
    MEDIA_DIR,
    BackupError,
    Manifest,
    MediaEntry,
    TableEntry,
    backed_up_models,
    columns,
    data_member,
    encode_row,
    media_files,
    media_root,
)

ROWS_PER_FETCH = 2000
PROGRESS_EVERY = 100_000  # rows between progress lines within one table


def applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


@contextlib.contextmanager
def consistent_snapshot(using: str) -> Iterator[None]:
    """Read every table as of one moment, without holding up writers where the database allows.

    PostgreSQL: one REPEATABLE READ, READ ONLY transaction. SQLite: a deferred read transaction
    (Django's atomic() would BEGIN IMMEDIATE and block every writer for the whole backup; in WAL
    mode a read transaction sees one snapshot and lets them write).
    """
    connection = connections[using]
    if connection.in_atomic_block:  # already inside a transaction (a test, a caller's atomic)
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic(using=using):
        yield


def create_backup(
    *, path: Path, using: str = "default", report: Callable[[str], None] = lambda line: None
) -> Manifest:
    """Write the database `using` and MEDIA_ROOT to the archive `path` (replaced only once the
    new archive is complete) and return its manifest."""
    started = time.perf_counter()
    partial = path.with_name(path.name + ".partial")
    connection = connections[using]
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        milepost_version=milepost.__version__,
        django_version=django.get_version(),
        database_vendor=connection.vendor,
        created_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        migrations={},
    )
    try:
        # Password hashes and personal data: readable by the owner only, from the start.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with (
            open(descriptor, "wb") as archive_file,
            zipfile.ZipFile(
                archive_file,
                "w",
                compression=zipfile.ZIP_DEFLATED,
                compresslevel=6,
                allowZip64=True,
            ) as archive,
            consistent_snapshot(using),
        ):
            manifest.migrations = applied_migrations(using)
            for model in backed_up_models(using):
                label = model._meta.label_lower
                manifest.tables[label] = _write_table(archive, model, using, report)
            total_rows = sum(entry.rows for entry in manifest.tables.values())
            report(
                f"{len(manifest.tables)} tables, {total_rows:,} rows "
                f"in {time.perf_counter() - started:.1f} s"
            )
            root = media_root()
            for relative, media_path in media_files(root):
                manifest.media[relative] = _write_media(archive, relative, media_path)
            if manifest.media:
                size = sum(entry.size for entry in manifest.media.values())
                report(f"{len(manifest.media):,} media files, {size:,} bytes from {root}")
            archive.writestr(_member_info(MANIFEST_NAME), manifest.to_json())
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"cannot write the backup to {path}: {error}") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    report(f"Wrote {path} ({path.stat().st_size:,} bytes) in {time.perf_counter() - started:.1f} s")
    return manifest


def _write_table(
    archive: zipfile.ZipFile, model: type[Model], using: str, report: Callable[[str], None]
) -> TableEntry:
    label = model._meta.label_lower
    names = [column.attname for column in columns(model)]
    digest = hashlib.sha256()
    rows = 0
    member = data_member(label)
    started = time.perf_counter()
    query = model._base_manager.using(using).order_by("pk").values_list(*names)
    with archive.open(_member_info(member), "w", force_zip64=True) as out:
        pending: list[bytes] = []
        for row in query.iterator(chunk_size=ROWS_PER_FETCH):
            pending.append(encode_row(row))
            rows += 1
            if rows % ROWS_PER_FETCH == 0:
                block = b"".join(pending)
                out.write(block)
                digest.update(block)
                pending = []
            if rows % PROGRESS_EVERY == 0:
                report(f"  {label}: {rows:,} rows")
        block = b"".join(pending)
        out.write(block)
        digest.update(block)
    if rows >= PROGRESS_EVERY:
        report(f"  {label}: {rows:,} rows in {time.perf_counter() - started:.1f} s")
    return TableEntry(
        table=model._meta.db_table,
        member=member,
        columns=names,
        rows=rows,
        sha256=digest.hexdigest(),
    )


def _write_media(archive: zipfile.ZipFile, relative: str, file: Path) -> MediaEntry:
    digest = hashlib.sha256()
    size = 0
    with (
        file.open("rb") as source,
        archive.open(_member_info(f"{MEDIA_DIR}/{relative}"), "w", force_zip64=True) as out,
    ):
        while chunk := source.read(CHUNK):
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return MediaEntry(size=size, sha256=digest.hexdigest())


def _member_info(name: str) -> zipfile.ZipInfo:
    # ZipFile.open(name, "w") would date every member 1980-01-01.
    info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info
