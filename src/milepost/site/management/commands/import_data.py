"""`milepost import KIND ...`: ESCO, O*NET, CSV frameworks and profiles, units, people, needs,
assessments, the catalogue's courses and qualifications, clients, their contacts and
interactions.

The work is done by the importers (milepost.frameworks.importers, milepost.people.importers,
milepost.needs.importers, milepost.people.assessment_import, milepost.clients.importers);
this command only parses arguments, shows progress, prints the summary and records the run in
the audit trail (one entry: who ran which file and what it changed; docs/audit.md).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from tqdm import tqdm

from milepost.accounts import audit
from milepost.accounts.models import OrgUnit, User
from milepost.catalogue.importers import import_courses_csv, import_qualifications_csv
from milepost.catalogue.models import Course, Qualification
from milepost.clients.importers import import_clients, import_contacts, import_interactions
from milepost.clients.models import Client, Contact, Interaction
from milepost.frameworks.importers.esco import import_esco
from milepost.frameworks.importers.onet import import_onet
from milepost.frameworks.importers.tabular import import_framework_csv, import_profiles_csv
from milepost.frameworks.models import Framework, JobProfile
from milepost.lib.db import BUSY_MESSAGE, is_busy
from milepost.lib.locks import Busy, exclusive
from milepost.lib.tabular import ImportFailed, ImportReport, Progress, no_progress
from milepost.needs.importers import import_needs_csv
from milepost.needs.models import Need
from milepost.people.importers import import_people_csv, import_units_csv
from milepost.people.models import Assessment, Employee
from milepost.reviews.importers import import_assessments_csv

T = TypeVar("T")

# The kinds that act as a user (--as is required); the others take it for the audit trail.
KINDS_RUN_AS_A_USER = frozenset({"needs", "assessments"})
# The model each kind of import is filed under in the audit trail (one entry per run).
AUDITED_AS = {
    "esco": Framework,
    "onet": Framework,
    "framework": Framework,
    "profiles": JobProfile,
    "units": OrgUnit,
    "catalogue": Course,
    "qualifications": Qualification,
    "people": Employee,
    "needs": Need,
    "assessments": Assessment,
    "clients": Client,
    "contacts": Contact,
    "interactions": Interaction,
}


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

        def add(
            name: str,
            help_text: str,
            target: str,
            target_help: str,
            as_help: str = "the user the audit trail names as running the import "
            "(default: 'command line', no user)",
        ) -> CommandParser:
            sub: CommandParser = subparsers.add_parser(name, help=help_text)
            sub.add_argument(target, type=Path, help=target_help)
            sub.add_argument(
                "--quiet", action="store_true", help="no progress bars (the summary still prints)"
            )
            sub.add_argument(
                "--as",
                dest="as_user",
                required=name in KINDS_RUN_AS_A_USER,
                default=None,
                metavar="USERNAME",
                help=as_help,
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
        needs = add(
            "needs",
            "training needs from survey or focus-group CSV",
            "file",
            "CSV file",
            as_help="the user the needs are raised as (typically an L&D coordinator)",
        )
        needs.add_argument(
            "--allow-duplicates",
            action="store_true",
            help="import rows that repeat a need already recorded (same title, description, unit)",
        )
        assessments = add(
            "assessments",
            "assessment history (ratings) from CSV",
            "file",
            "CSV file",
            as_help="the L&D coordinator or admin importing; assessor of rows without assessed_by",
        )
        assessments.add_argument(
            "--cycle",
            default=None,
            metavar="NAME",
            help="link every rating to this open review cycle (its participants only)",
        )
        add("clients", "clients (business units and employers) from CSV or XLSX", "file", "file")
        add("contacts", "contacts at clients already recorded, from CSV or XLSX", "file", "file")
        add(
            "interactions",
            "interactions with clients from CSV or XLSX",
            "file",
            "file",
            as_help="the user recorded as having logged the interactions (default: nobody)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        acting_user = self._user(options["as_user"]) if options["as_user"] else None
        source = options.get("file") or options["directory"]
        audit_entry = {
            "model": AUDITED_AS[kind],
            "file": source,
            "kind": kind,
            "acting_user": acting_user,
            "via": "command line",
        }
        try:
            with exclusive("import", what="import"), audit.acting_as(acting_user):
                report = self._import(kind, acting_user, options)
        except Busy as exc:
            raise CommandError(str(exc)) from None
        except DatabaseError as exc:
            if not is_busy(exc):
                raise
            raise CommandError(BUSY_MESSAGE) from None
        except ImportFailed as exc:
            audit.record_import(**audit_entry, failure=str(exc))
            raise CommandError(str(exc)) from exc
        audit.record_import(**audit_entry, report=report)
        self._print(report)

    def _import(self, kind: str, acting_user: User | None, options: dict[str, Any]) -> ImportReport:
        progress = tqdm_progress(quiet=options["quiet"])
        if kind == "esco":
            return import_esco(
                options["directory"],
                include_occupations=not options["no_occupations"],
                progress=progress,
            )
        if kind == "onet":
            return import_onet(options["directory"], progress=progress)
        if kind == "framework":
            return import_framework_csv(
                options["file"],
                code=options["code"],
                name=options["name"],
                scale_name=options["scale"],
                progress=progress,
            )
        if kind == "profiles":
            return import_profiles_csv(options["file"], progress=progress)
        if kind == "units":
            return import_units_csv(options["file"], progress=progress)
        if kind == "catalogue":
            return import_courses_csv(options["file"], progress=progress)
        if kind == "qualifications":
            return import_qualifications_csv(options["file"], progress=progress)
        if kind == "clients":
            return import_clients(options["file"], acting_user=acting_user, progress=progress)
        if kind == "contacts":
            return import_contacts(options["file"], progress=progress)
        if kind == "interactions":
            return import_interactions(options["file"], acting_user=acting_user, progress=progress)
        if kind in KINDS_RUN_AS_A_USER:
            assert acting_user is not None  # argparse requires --as for these kinds
            if kind == "needs":
                return import_needs_csv(
                    options["file"],
                    acting_user=acting_user,
                    allow_duplicates=options["allow_duplicates"],
                    progress=progress,
                )
            return import_assessments_csv(
                options["file"],
                acting_user=acting_user,
                cycle_name=options["cycle"],
                progress=progress,
            )
        return import_people_csv(options["file"], progress=progress)

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
