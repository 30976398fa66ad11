"""`milepost client_reminders`: tell each owner of an overdue next step, once a day.

Run it daily (deploy/systemd/milepost-client-reminders.timer); running it twice on one day
sends nothing new (services.interactions.remind_overdue_next_steps).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from milepost.clients.services.interactions import remind_overdue_next_steps


class Command(BaseCommand):
    help = "Send each owner of an overdue client next step a reminder in their inbox (daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = remind_overdue_next_steps()
        noun = "reminder" if sent == 1 else "reminders"
        self.stdout.write(f"Sent {sent:,} {noun} of overdue next steps.")
