"""`milepost backup FILE`: the database and the uploaded files in one archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from milepost.site.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write the whole database and MEDIA_ROOT to one archive (a zip file) that `milepost "
        "restore` loads on SQLite or PostgreSQL. Reads one consistent snapshot; the site can "
        "stay up."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the archive to write, e.g. milepost.zip")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="the database alias (default: default)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if path.is_dir():
            raise CommandError(f"{path} is a directory: give the archive's file name.")
        quiet = options["verbosity"] == 0
        try:
            create_backup(
                path=path,
                using=options["database"],
                report=(lambda line: None) if quiet else self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(f"Backup failed: {error}") from error
