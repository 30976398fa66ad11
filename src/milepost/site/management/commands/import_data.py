"""`milepost import KIND ...`: ESCO, O*NET, CSV frameworks and profiles, units, people, needs,
assessments, the catalogue's courses and qualifications.

The work is done by the importers (milepost.frameworks.importers, milepost.people.importers,
milepost.needs.importers, milepost.people.assessment_import);
this command only parses arguments, shows progress and prints the summary.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from tqdm import tqdm

from milepost.accounts.models import User
from milepost.catalogue.importers import import_courses_csv, import_qualifications_csv
from milepost.frameworks.importers.esco import import_esco
from milepost.frameworks.importers.onet import import_onet
from milepost.frameworks.importers.tabular import import_framework_csv, import_profiles_csv
from milepost.lib.db import BUSY_MESSAGE, is_busy
from milepost.lib.locks import Busy, exclusive
from milepost.lib.tabular import ImportFailed, ImportReport, Progress, no_progress
from milepost.needs.importers import import_needs_csv
from milepost.people.importers import import_people_csv, import_units_csv
from milepost.reviews.importers import import_assessments_csv

T = TypeVar("T")


def tqdm_progress(*, quiet: bool) -> Progress:
    """A progress bar per phase on stderr, only when someone is watching a terminal."""
    if quiet or not sys.stderr.isatty():
        return no_progress

    def progress(items: Iterable[T], *, desc: str, total: int | None = None) -> Iterable[T]:
        return tqdm(items, desc=desc, total=total, unit=" rows", file=sys.stderr, leave=False)

    return progress


class Command(BaseCommand):
    help = "Import reference data or customer files (all or nothing; safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="kind", required=True, metavar="KIND")

        def add(name: str, help_text: str, target: str, target_help: str) -> CommandParser:
            sub: CommandParser = subparsers.add_parser(name, help=help_text)
            sub.add_argument(target, type=Path, help=target_help)
            sub.add_argument(
                "--quiet", action="store_true", help="no progress bars (the summary still prints)"
            )
            return sub

        esco = add(
            "esco", "ESCO CSV release (skills, groups, occupations)", "directory", "ESCO folder"
        )
        esco.add_argument(
            "--no-occupations",
            action="store_true",
            help="import the skills framework only, not occupations and their skills",
        )
        add("onet", "O*NET text release (skills, knowledge, occupations)", "directory", "folder")
        framework = add(
            "framework", "a competency framework from CSV", "file", "CSV file (see docs)"
        )
        framework.add_argument("--code", required=True, help="framework code, e.g. 'core'")
        framework.add_argument("--name", required=True, help="framework name shown to people")
        framework.add_argument(
            "--scale", default=None, help="proficiency scale name (default 'Core 1-5')"
        )
        add("profiles", "job profiles and their requirements from CSV", "file", "CSV file")
        add("units", "organisation units from CSV", "file", "CSV file")
        add(
            "catalogue",
            "catalogue courses, prerequisites and outcomes from CSV",
            "file",
            "CSV file",
        )
        add("qualifications", "catalogue qualifications and outcomes from CSV", "file", "CSV file")
        add("people", "employees from an HRIS CSV export", "file", "CSV file")
        needs = add("needs", "training needs from survey or focus-group CSV", "file", "CSV file")
        needs.add_argument(
            "--as",
            dest="as_user",
            required=True,
            metavar="USERNAME",
            help="the user the needs are raised as (typically an L&D coordinator)",
        )
        needs.add_argument(
            "--allow-duplicates",
            action="store_true",
            help="import rows that repeat a need already recorded (same title, description, unit)",
        )
        assessments = add(
            "assessments", "assessment history (ratings) from CSV", "file", "CSV file"
        )
        assessments.add_argument(
            "--as",
            dest="as_user",
            required=True,
            metavar="USERNAME",
            help="the L&D coordinator or admin importing; assessor of rows without assessed_by",
        )
        assessments.add_argument(
            "--cycle",
            default=None,
            metavar="NAME",
            help="link every rating to this open review cycle (its participants only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        progress = tqdm_progress(quiet=options["quiet"])
        kind = options["kind"]
        try:
            with exclusive("import", what="import"):
                report = self._import(kind, options, progress)
        except Busy as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            if not is_busy(exc):
                raise
            raise CommandError(BUSY_MESSAGE) from None
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self._print(report)

    def _import(self, kind: str, options: dict[str, Any], progress: Progress) -> ImportReport:
        if kind == "esco":
            report = import_esco(
                options["directory"],
                include_occupations=not options["no_occupations"],
                progress=progress,
            )
        elif kind == "onet":
            report = import_onet(options["directory"], progress=progress)
        elif kind == "framework":
            report = import_framework_csv(
                options["file"],
                code=options["code"],
                name=options["name"],
                scale_name=options["scale"],
                progress=progress,
            )
        elif kind == "profiles":
            report = import_profiles_csv(options["file"], progress=progress)
        elif kind == "units":
            report = import_units_csv(options["file"], progress=progress)
        elif kind == "catalogue":
            report = import_courses_csv(options["file"], progress=progress)
        elif kind == "qualifications":
            report = import_qualifications_csv(options["file"], progress=progress)
        elif kind == "needs":
            report = import_needs_csv(
                options["file"],
                acting_user=self._user(options["as_user"]),
                allow_duplicates=options["allow_duplicates"],
                progress=progress,
            )
        elif kind == "assessments":
            report = import_assessments_csv(
                options["file"],
                acting_user=self._user(options["as_user"]),
                cycle_name=options["cycle"],
                progress=progress,
            )
        else:
            report = import_people_csv(options["file"], progress=progress)
        return report

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"--as: no user '{username}'; give the username of an existing user")
        if not user.is_active:
            raise CommandError(f"--as: user '{username}' is deactivated")
        return user

    def _print(self, report: ImportReport) -> None:
        for line in report.lines():
            self.stdout.write(line)
