"""`milepost demo`: load the Northwind Insurance Group demo organisation and print its logins."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import ProtectedError, RestrictedError

from milepost.people.models import Employee
from milepost.site.demo.build import (
    DEFAULT_SEED,
    DEFAULT_SIZE,
    DEMO_PASSWORD,
    DemoError,
    build_demo,
    delete_demo,
    demo_exists,
    demo_logins,
)
from milepost.site.demo.organisation import ORGANISATION_NAME, ROOT_CODE

SITE_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Load the Northwind Insurance Group demo organisation (deterministic). Does nothing "
        "but print the logins when it is already loaded; --reset rebuilds it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo data and build it again"
        )
        parser.add_argument(
            "--size",
            type=int,
            default=DEFAULT_SIZE,
            help=f"number of employees (default {DEFAULT_SIZE})",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="random seed (default: fixed)"
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="load the demo even though DEBUG is off (its logins share a public password)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        debug_like = settings.DEBUG or getattr(settings, "TESTING", False)
        if not (debug_like or options["allow_without_debug"]):
            raise CommandError(
                "DEBUG is off. The demo creates logins with the public password "
                f"'{DEMO_PASSWORD}'; set DEBUG=1, or pass --allow-without-debug if this "
                "server is really meant to hold the demo."
            )
        if options["reset"]:
            self._delete()
        elif demo_exists():
            employees = Employee.objects.filter(unit__path__startswith=self._root_path()).count()
            self.stdout.write(
                f"The {ORGANISATION_NAME} demo is already loaded ({employees:,} employees); "
                "`milepost demo --reset` rebuilds it."
            )
            self._print_logins()
            return

        self.stdout.write(f"Loading the {ORGANISATION_NAME} demo ({options['size']:,} employees)")
        started = time.perf_counter()
        try:
            counts = build_demo(
                size=options["size"],
                seed=options["seed"],
                report=lambda line: self.stdout.write(f"  {line}"),
            )
        except DemoError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded in {elapsed:.1f} s: {counts.business_units} business units, "
                f"{counts.units} units, {counts.competencies} competencies, "
                f"{counts.job_profiles} job profiles, {counts.employees:,} employees, "
                f"{counts.assessments:,} assessments, {counts.needs} needs, "
                f"{counts.clients} clients."
            )
        )
        self._print_logins()

    def _root_path(self) -> str:
        from milepost.accounts.models import OrgUnit

        return OrgUnit.objects.only("path").get(code=ROOT_CODE).path

    def _delete(self) -> None:
        started = time.perf_counter()
        try:
            delete_demo()
        except (ProtectedError, RestrictedError) as error:
            raise CommandError(
                f"The demo data cannot be deleted: other records still refer to it ({error}). "
                "Delete those first or start from an empty database."
            ) from error
        self.stdout.write(f"Deleted the demo data in {time.perf_counter() - started:.1f} s.")

    def _print_logins(self) -> None:
        rows = demo_logins()
        header = ("username", "role", "who", "sees")
        table = [
            header,
            *[
                (
                    row.username,
                    row.role,
                    f"{row.name} ({row.employee})" if row.employee else row.name,
                    row.sees,
                )
                for row in rows
            ],
        ]
        widths = [max(len(row[column]) for row in table) for column in range(3)]
        self.stdout.write("")
        self.stdout.write(
            f"Demo logins (a demo: every login shares the public password '{DEMO_PASSWORD}'):"
        )
        for number, row in enumerate(table):
            cells = [row[column].ljust(widths[column]) for column in range(3)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
            if number == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in [*widths, 4]))
        self.stdout.write("")
        self.stdout.write(f"Open {SITE_URL} and log in as any of them.")
