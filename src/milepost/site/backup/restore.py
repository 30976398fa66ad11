"""Restore a backup archive: check everything first (manifest, migrations, columns, every
member's SHA-256 and row count, an empty target), then load every table in one transaction, then
put the media files in place."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models import Model

from milepost.site.backup.archive import (
    CHUNK,
    FILLED_BY_MIGRATE,
    MANIFEST_NAME,
    MEDIA_DIR,
    BackupError,
    Manifest,
    TableEntry,
    backed_up_models,
    column_preparers,
    columns,
    media_files,
    media_root,
    safe_media_path,
)

ROWS_PER_INSERT = 1000
PROGRESS_EVERY = 100_000
Report = Callable[[str], None]


def restore_backup(
    *, path: Path, using: str = "default", force: bool = False, report: Report = lambda line: None
) -> Manifest:
    """Replace the (empty, or with force any) database `using` and MEDIA_ROOT with the archive's
    content; all or nothing for the database, and the media only once the database is in."""
    started = time.perf_counter()
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise BackupError(
            f"{path} is not a Milepost backup: it is not a readable zip archive ({error})."
        ) from error
    with archive:
        manifest = _read_manifest(archive)
        _check_migrations(manifest, using)
        models = _check_tables(manifest, using)
        _verify_members(archive, manifest, report)
        report(f"Checked {path}: every table and media file matches its SHA-256")
        _check_empty(models, using, force)
        root = media_root()
        if manifest.media and root is None:
            raise BackupError(
                f"the archive holds {len(manifest.media)} media files but MEDIA_ROOT is not set: "
                "set it, then restore."
            )
        try:
            staging = _extract_media(archive, manifest, root) if root is not None else None
        except OSError as error:
            raise BackupError(
                f"cannot unpack the media files next to {root} ({error}); nothing was restored."
            ) from error
        try:
            _load_database(archive, manifest, models, using, report)
        except BaseException:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            raise
    if root is not None and staging is not None:
        try:
            _replace_media(root, staging)
        except OSError as error:
            raise BackupError(
                f"the database was restored, but the media files could not be moved into {root} "
                f"({error}): they are unpacked in {staging}; move them there by hand."
            ) from error
        if manifest.media:
            report(f"Restored {len(manifest.media):,} media files into {root}")
    ContentType.objects.clear_cache()
    report(
        f"Restored {path} (made {manifest.created_at} on {manifest.database_vendor} by "
        f"Milepost {manifest.milepost_version}) in {time.perf_counter() - started:.1f} s"
    )
    return manifest


def _read_manifest(archive: zipfile.ZipFile) -> Manifest:
    try:
        raw = archive.read(MANIFEST_NAME)
    except KeyError:
        raise BackupError(
            f"{MANIFEST_NAME} is missing: this is not a Milepost backup, or it was cut short."
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise BackupError(f"{MANIFEST_NAME} is damaged ({error}).") from error
    return Manifest.from_json(raw)


def _check_migrations(manifest: Manifest, using: str) -> None:
    loader = MigrationLoader(connections[using], ignore_no_migrations=True)
    archived = {(app, name) for app, names in manifest.migrations.items() for name in names}
    unknown = sorted(archived - set(loader.disk_migrations))
    if unknown:
        listed = ", ".join(f"{app}.{name}" for app, name in unknown)
        raise BackupError(
            f"the archive was made by a newer Milepost ({manifest.milepost_version}): its "
            f"database has migrations this code does not have: {listed}. Install that version "
            "(or newer), run `milepost migrate`, then restore."
        )
    applied = set(loader.applied_migrations or {})
    if not applied:
        raise BackupError("the database has no tables yet: run `milepost migrate`, then restore.")
    behind = sorted(archived - applied)
    if behind:
        listed = ", ".join(f"{app}.{name}" for app, name in behind)
        raise BackupError(
            f"the database lacks migrations the archive has ({listed}): run `milepost migrate`, "
            "then restore."
        )
    ahead = sorted(applied - archived)
    if ahead:
        apps_ahead = sorted({app for app, _ in ahead})
        steps = " ".join(
            f"`milepost migrate {app} {max(manifest.migrations.get(app, ['zero']))}`"
            for app in apps_ahead
        )
        listed = ", ".join(f"{app}.{name}" for app, name in ahead)
        raise BackupError(
            f"the archive was made before migrations this database has ({listed}). Migrate the "
            f"empty database back to the archive's state ({steps}), restore, then run "
            "`milepost migrate`."
        )


def _check_tables(manifest: Manifest, using: str) -> list[type[Model]]:
    models = backed_up_models(using)
    here = {model._meta.label_lower: model for model in models}
    problems = [
        f"table {label} is not in this code" for label in manifest.tables if label not in here
    ]
    problems += [
        f"table {label} is not in the archive" for label in here if label not in manifest.tables
    ]
    for label, entry in manifest.tables.items():
        model = here.get(label)
        if model is None:
            continue
        names = [column.attname for column in columns(model)]
        if entry.columns != names:
            problems.append(f"{label} has columns {entry.columns}, this code {names}")
        if entry.table != model._meta.db_table:
            problems.append(f"{label} is table {entry.table}, this code {model._meta.db_table}")
    if problems:
        raise BackupError(
            "the archive's tables do not match this code although the migrations do: "
            + "; ".join(problems)
        )
    return models


def _verify_members(archive: zipfile.ZipFile, manifest: Manifest, report: Report) -> None:
    """Read every member once, before the database is touched: hashes, row counts, no extras."""
    expected = {MANIFEST_NAME}
    problems: list[str] = []
    for label, entry in manifest.tables.items():
        expected.add(entry.member)
        digest, lines = _digest_member(archive, entry.member, problems, count_lines=True)
        if digest is None:
            continue
        if digest != entry.sha256:
            problems.append(
                f"{entry.member} has SHA-256 {digest}, the manifest says {entry.sha256}"
            )
        elif lines != entry.rows:
            problems.append(
                f"{entry.member} holds {lines:,} rows, the manifest says {entry.rows:,}"
            )
        if entry.rows >= PROGRESS_EVERY:
            report(f"  checked {label}: {entry.rows:,} rows")
    for relative, media in manifest.media.items():
        member = f"{MEDIA_DIR}/{safe_media_path(relative)}"
        expected.add(member)
        digest, size = _digest_member(archive, member, problems, count_lines=False)
        if digest is not None and (digest != media.sha256 or size != media.size):
            problems.append(
                f"{member} has SHA-256 {digest} ({size:,} bytes), the manifest says "
                f"{media.sha256} ({media.size:,} bytes)"
            )
    extra = sorted(set(archive.namelist()) - expected)
    if extra:
        problems.append(f"members the manifest does not list: {', '.join(extra[:10])}")
    if problems:
        raise BackupError(
            "the archive is damaged, nothing was restored: " + "; ".join(problems[:20])
        )


def _digest_member(
    archive: zipfile.ZipFile, member: str, problems: list[str], *, count_lines: bool
) -> tuple[str | None, int]:
    """(SHA-256, number of lines or bytes) of one member, or (None, 0) with the problem noted."""
    digest = hashlib.sha256()
    count = 0
    try:
        with archive.open(member) as content:
            while chunk := content.read(CHUNK):
                digest.update(chunk)
                count += chunk.count(b"\n") if count_lines else len(chunk)
    except KeyError:
        problems.append(f"{member} is missing")
        return None, 0
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        problems.append(f"{member} cannot be read ({error})")
        return None, 0
    return digest.hexdigest(), count


def _check_empty(models: list[type[Model]], using: str, force: bool) -> None:
    if force:
        return
    filled = []
    for model in models:
        label = model._meta.label_lower
        if label in FILLED_BY_MIGRATE:
            continue
        rows = model._base_manager.using(using)
        if rows.exists():
            filled.append(f"{label} ({rows.count():,} rows)")
    root = media_root()
    media = sum(1 for _ in media_files(root))
    if media:
        filled.append(f"{root} ({media:,} files)")
    if filled:
        shown = ", ".join(filled[:8]) + (f" and {len(filled) - 8} more" if len(filled) > 8 else "")
        raise BackupError(
            f"the database or MEDIA_ROOT is not empty: {shown}. Restore into a new, migrated "
            "database, or pass "
            "--force to delete everything in it and in MEDIA_ROOT first."
        )


def _extract_media(archive: zipfile.ZipFile, manifest: Manifest, root: Path) -> Path:
    """Unpack the media files next to MEDIA_ROOT, to be swapped in once the database is."""
    staging = root.with_name(f".{root.name}.restoring-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for relative in manifest.media:
            target = staging.joinpath(*safe_media_path(relative).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(f"{MEDIA_DIR}/{relative}") as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _replace_media(root: Path, staging: Path) -> None:
    previous = root.with_name(f".{root.name}.replaced-{os.getpid()}")
    if root.exists():
        root.replace(previous)
    staging.replace(root)
    shutil.rmtree(previous, ignore_errors=True)


def _load_database(
    archive: zipfile.ZipFile,
    manifest: Manifest,
    models: list[type[Model]],
    using: str,
    report: Report,
) -> None:
    connection = connections[using]
    tables = [model._meta.db_table for model in models]
    started = time.perf_counter()
    try:
        with transaction.atomic(using=using):
            # Foreign keys are DEFERRABLE INITIALLY DEFERRED on SQLite and PostgreSQL, so tables
            # load in any order and are checked once, below.
            if connection.vendor == "postgresql":
                # TRUNCATE refuses tables with foreign-key checks still pending in this
                # transaction (rows a caller wrote before): run those checks now.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            flush = connection.ops.sql_flush(no_style(), tables, allow_cascade=False)
            connection.ops.execute_sql_flush(flush)
            for model in models:
                _load_table(archive, model, manifest.tables[model._meta.label_lower], using, report)
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(statement)
            loaded = time.perf_counter()
            report(f"Inserted the rows in {loaded - started:.1f} s; checking the foreign keys")
            connection.check_constraints(table_names=tables)
            report(f"Checked the foreign keys in {time.perf_counter() - loaded:.1f} s")
    except IntegrityError as error:
        raise BackupError(
            f"the archive's rows break a constraint ({error}); the database was left as it was."
        ) from error
    except DatabaseError as error:
        raise BackupError(
            f"the database refused the restore ({error}); it was left as it was."
        ) from error
    total = sum(entry.rows for entry in manifest.tables.values())
    report(f"Loaded {len(models)} tables, {total:,} rows in {time.perf_counter() - started:.1f} s")


def _load_table(
    archive: zipfile.ZipFile, model: type[Model], entry: TableEntry, using: str, report: Report
) -> None:
    """Insert the stored values as they are, a batch at a time, with no model code in between:
    no save(), no auto_now or defaults, no signals (through the ORM the demo took 4 times as
    long on SQLite)."""
    connection = connections[using]
    preparers = column_preparers(model, connection)
    quote = connection.ops.quote_name
    # Names from the code, not the archive (_check_tables made sure they are the same).
    fields = columns(model)
    insert = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(column.column) for column in fields)}) VALUES "
    )
    placeholders = f"({', '.join(['%s'] * len(fields))})"
    # Many rows a statement, as bulk_create does, within the database's limit on parameters.
    per_statement = max(
        1, min(ROWS_PER_INSERT, connection.ops.bulk_batch_size(fields, [None] * ROWS_PER_INSERT))
    )
    label = model._meta.label_lower
    batch: list[Any] = []
    rows = 0

    def flush(cursor: Any, batch: list[Any], count: int) -> None:
        cursor.execute(insert + ", ".join([placeholders] * count), batch)

    with archive.open(entry.member) as content, connection.cursor() as cursor:
        for line in content:
            values = json.loads(line)
            for position, prepare in preparers:
                if values[position] is not None:
                    values[position] = prepare(values[position])
            batch.extend(values)
            rows += 1
            if rows % per_statement == 0:
                flush(cursor, batch, per_statement)
                batch = []
            if rows % PROGRESS_EVERY == 0:
                report(f"  {label}: {rows:,} / {entry.rows:,} rows")
        if batch:
            flush(cursor, batch, rows % per_statement)
