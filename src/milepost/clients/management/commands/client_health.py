"""`milepost client_health`: work out every active client's relationship health again.

The age of the last contact grows by itself, so the scores the client list sorts on are
refreshed nightly (deploy/systemd/milepost-client-health.timer); `--client ID` refreshes one.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from milepost.clients.models import Client
from milepost.clients.services.health import refresh_health


class Command(BaseCommand):
    help = "Recompute the relationship health of every active client (nightly), or of one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--client", type=int, help="only this client (its id)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["client"] is not None:
            client = Client.objects.filter(pk=options["client"]).first()
            if client is None:
                raise CommandError(f"No client with id {options['client']}.")
            refresh_health(client=client)
            self.stdout.write(f"{client}: health {client.health_score} ({client.health_band}).")
            return
        written = refresh_health()
        noun = "client" if written == 1 else "clients"
        self.stdout.write(f"Refreshed the health of {written:,} active {noun}.")
