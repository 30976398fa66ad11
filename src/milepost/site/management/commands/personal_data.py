"""`milepost personal_data export EMPLOYEE_ID FILE.zip` and `... erase EMPLOYEE_ID --reason`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from milepost.people.models import Employee
from milepost.site import privacy


class Command(BaseCommand):
    help = "Export or erase one person's personal data (docs/privacy.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="write a ZIP of everything held about them")
        export.add_argument("employee_id")
        export.add_argument("file", type=Path)
        erase = actions.add_parser("erase", help="anonymise them; figures are kept")
        erase.add_argument("employee_id")
        erase.add_argument("--reason", required=True, help="the request's reference")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            employee = Employee.objects.get(employee_id=options["employee_id"])
        except Employee.DoesNotExist:
            raise CommandError(f"No employee with ID '{options['employee_id']}'.") from None
        if options["action"] == "export":
            options["file"].write_bytes(privacy.export_zip(employee))
            self.stdout.write(f"Wrote {options['file']}")
            return
        try:
            report = privacy.erase_person(
                acting_user=None, employee=employee, reason=options["reason"]
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Erased employee {options['employee_id']}:")
        for line in report.lines():
            self.stdout.write(f"  {line}")
