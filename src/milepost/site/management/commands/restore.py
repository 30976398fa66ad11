"""`milepost restore FILE`: load a `milepost backup` archive into an empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from milepost.site.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Load a `milepost backup` archive into an empty, migrated database and MEDIA_ROOT. "
        "Checks the archive first; loads in one transaction (all or nothing). Stop the web "
        "server and the worker first, start them after."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the archive `milepost backup` wrote")
        parser.add_argument(
            "--force",
            action="store_true",
            help="delete everything in the database and MEDIA_ROOT first (it is not empty)",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="the database alias (default: default)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["verbosity"] == 0
        try:
            restore_backup(
                path=options["file"],
                using=options["database"],
                force=options["force"],
                report=(lambda line: None) if quiet else self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(f"Restore refused: {error}") from error
