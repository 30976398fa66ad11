"""The archive format shared by backup and restore: the manifest, the tables it covers, how a
column value becomes JSON and back, and the media files."""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.utils.duration import duration_iso_string

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
DATA_DIR = "data"
MEDIA_DIR = "media"
CHUNK = 1 << 20  # bytes read or written at a time for media files
# Tables that `migrate` fills by itself: an otherwise freshly migrated database counts as empty.
FILLED_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission", "insights.gapstructure"}
# Column types whose JSON value the database driver takes as it is; every other column goes
# through Field.to_python and Field.get_db_prep_save (dates, decimals, UUIDs, JSON, binary...).
PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "BooleanField",
    "FloatField",
    "CharField",
    "TextField",
    "SlugField",
}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says what is wrong and what to do."""


@dataclass
class TableEntry:
    table: str
    member: str
    columns: list[str]
    rows: int
    sha256: str


@dataclass
class MediaEntry:
    size: int
    sha256: str


@dataclass
class Manifest:
    format_version: int
    milepost_version: str
    django_version: str
    database_vendor: str
    created_at: str
    migrations: dict[str, list[str]]
    tables: dict[str, TableEntry] = field(default_factory=dict)
    media: dict[str, MediaEntry] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=1, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            content = json.loads(raw)
            version = content["format_version"]
            if not isinstance(version, int) or version > FORMAT_VERSION:
                raise BackupError(
                    f"the archive's format version is {version!r}; this Milepost reads format "
                    f"{FORMAT_VERSION} and older: restore it with the Milepost version that made "
                    f"it ({content.get('milepost_version', 'unknown')}) or newer."
                )
            return cls(
                format_version=version,
                milepost_version=str(content["milepost_version"]),
                django_version=str(content["django_version"]),
                database_vendor=str(content["database_vendor"]),
                created_at=str(content["created_at"]),
                migrations={
                    str(app): [str(name) for name in names]
                    for app, names in content["migrations"].items()
                },
                tables={
                    str(label): TableEntry(**entry) for label, entry in content["tables"].items()
                },
                media={str(path): MediaEntry(**entry) for path, entry in content["media"].items()},
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(
                f"{MANIFEST_NAME} is damaged ({type(error).__name__}: {error}): the archive "
                "cannot be trusted."
            ) from error


def backed_up_models(using: str) -> list[type[Model]]:
    """Every table Django manages in this database, many-to-many tables included, by label."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and router.allow_migrate_model(using, model)
    ]
    return sorted(models, key=lambda model: model._meta.label_lower)


def columns(model: type[Model]) -> list[Field[Any, Any]]:
    """The model's own table columns (a child of multi-table inheritance: its table's only)."""
    return list(model._meta.local_concrete_fields)


def data_member(label: str) -> str:
    return f"{DATA_DIR}/{label}.jsonl"


class ColumnEncoder(json.JSONEncoder):
    """Column values JSON has no type for, as text Field.to_python parses back exactly
    (full microseconds: Django's own JSON encoder keeps milliseconds only)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime | datetime.date | datetime.time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        if isinstance(o, datetime.timedelta):
            return duration_iso_string(o)
        if isinstance(o, bytes | memoryview):
            return base64.b64encode(bytes(o)).decode("ascii")
        return super().default(o)


def encode_row(row: tuple[Any, ...]) -> bytes:
    return (
        json.dumps(row, cls=ColumnEncoder, ensure_ascii=False, separators=(",", ":")) + "\n"
    ).encode()


def column_preparers(
    model: type[Model], connection: BaseDatabaseWrapper
) -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, function) for each column whose JSON value must become a database value."""
    preparers: list[tuple[int, Callable[[Any], Any]]] = []
    for position, column in enumerate(columns(model)):
        target = column.target_field if column.is_relation else column  # type: ignore[attr-defined]
        if target.get_internal_type() not in PLAIN_TYPES:
            preparers.append((position, _preparer(column, connection)))
    return preparers


def _preparer(column: Field[Any, Any], connection: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    def prepare(value: Any) -> Any:
        return column.get_db_prep_save(column.to_python(value), connection)

    return prepare


def media_root() -> Path | None:
    """Where uploaded files live, or None when no MEDIA_ROOT is configured."""
    root = getattr(settings, "MEDIA_ROOT", "")
    return Path(root) if root else None


def media_files(root: Path | None) -> Iterator[tuple[str, Path]]:
    """(archive-relative POSIX path, file) for every regular file under root, sorted."""
    if root is None or not root.is_dir():
        return
    for directory, subdirectories, files in os.walk(root):
        subdirectories.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def safe_media_path(relative: str) -> PurePosixPath:
    """A media path from an archive, refused if it could land outside MEDIA_ROOT."""
    path = PurePosixPath(relative)
    if path.is_absolute() or not path.parts or ".." in path.parts or "\\" in relative:
        raise BackupError(f"media file {relative!r} in the archive points outside MEDIA_ROOT.")
    return path
