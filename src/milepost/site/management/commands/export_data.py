"""`milepost export KIND ...`: frameworks, job profiles, the catalogue, clients, contacts and
interactions in the format `import` reads (clients and the rest: CSV, or XLSX for a file
ending in .xlsx)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from milepost.catalogue.importers import export_courses_csv, export_qualifications_csv
from milepost.clients.importers import EXPORTS as CLIENT_EXPORTS
from milepost.frameworks.importers.tabular import export_framework_csv, export_profiles_csv
from milepost.frameworks.models import Framework
from milepost.lib.exports import write_csv, write_xlsx


class Command(BaseCommand):
    help = (
        "Export a framework, the job profiles, the catalogue or the clients' tables (the same "
        "format `import` reads)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        framework = subparsers.add_parser("framework", help="one competency framework")
        framework.add_argument("code", help="framework code, e.g. 'esco'")
        framework.add_argument("file", help="CSV file to write ('-' for standard output)")
        profiles = subparsers.add_parser("profiles", help="all job profiles and requirements")
        profiles.add_argument("file", help="CSV file to write ('-' for standard output)")
        courses = subparsers.add_parser("catalogue", help="all courses, prerequisites, outcomes")
        courses.add_argument("file", help="CSV file to write ('-' for standard output)")
        qualifications = subparsers.add_parser("qualifications", help="all qualifications")
        qualifications.add_argument("file", help="CSV file to write ('-' for standard output)")
        for kind in CLIENT_EXPORTS:
            table = subparsers.add_parser(kind, help=f"all {kind}, as `import {kind}` reads them")
            table.add_argument(
                "file",
                nargs="?",
                default="-",
                help="CSV or .xlsx file to write (default '-': CSV on standard output)",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        if (
            options["kind"] == "framework"
            and not Framework.objects.filter(code=options["code"]).exists()
        ):
            known = ", ".join(Framework.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(
                f"no framework with code '{options['code']}' (known: {known or 'none yet'})"
            )
        target = options["file"]
        if options["kind"] in CLIENT_EXPORTS and target != "-":
            path = Path(target)
            if not path.parent.is_dir():
                raise CommandError(f"{path.parent}: no such directory")
            if path.suffix.lower() == ".xlsx":
                columns, rows = CLIENT_EXPORTS[options["kind"]]
                count = write_xlsx(path, columns, rows(), sheet=options["kind"])
                self.stdout.write(f"{count} rows written to {path}")
                return
        if target == "-":
            count = self._export(options, sys.stdout)
            return
        path = Path(target)
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent}: no such directory")
        # A BOM lets Excel open the file as UTF-8; the importers accept it.
        with path.open("w", encoding="utf-8-sig", newline="") as stream:
            count = self._export(options, stream)
        self.stdout.write(f"{count} rows written to {path}")

    def _export(self, options: dict[str, Any], stream: TextIO) -> int:
        if options["kind"] in CLIENT_EXPORTS:
            columns, rows = CLIENT_EXPORTS[options["kind"]]
            return write_csv(stream, columns, rows())
        if options["kind"] == "framework":
            return export_framework_csv(options["code"], stream)
        if options["kind"] == "catalogue":
            return export_courses_csv(stream)
        if options["kind"] == "qualifications":
            return export_qualifications_csv(stream)
        return export_profiles_csv(stream)
