"""`milepost retention`: erase the personal data of leavers past RETENTION_LEAVER_DAYS.

Run it daily (deploy/systemd/milepost-retention.timer). It queues the work for the task worker
(`--now` runs it here and lists who was erased); `--dry-run` only lists who is due.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from milepost.site import privacy
from milepost.site.tasks import apply_retention_task


class Command(BaseCommand):
    help = "Erase the personal data of leavers past the retention period (RETENTION_LEAVER_DAYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")
        parser.add_argument("--dry-run", action="store_true", help="only list who is due")

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.RETENTION_LEAVER_DAYS
        if not days:
            self.stdout.write("Retention is off (RETENTION_LEAVER_DAYS=0): nothing erased.")
            return
        due = list(privacy.leavers_due())
        if options["dry_run"]:
            self.stdout.write(f"{len(due)} leaver(s) past {days} days:")
            for employee in due:
                self.stdout.write(f"  {employee.employee_id} (left {employee.left_on:%Y-%m-%d})")
            return
        if options["now"]:
            erased = privacy.apply_retention()
            self.stdout.write(f"Erased {len(erased)} leaver(s) past {days} days.")
            return
        result = apply_retention_task.enqueue()
        self.stdout.write(f"Queued the retention task ({len(due)} due): {result.id}")
