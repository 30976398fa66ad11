"""`milepost unlock USER` (or `--address IP`): lift a brute-force lockout before it runs out."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from milepost.accounts.lockout import unlock


class Command(BaseCommand):
    help = (
        "Unlock an account (or an address) locked after too many failed log-ins or wrong API "
        "tokens, by forgetting the failures recorded for it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", help="the username to unlock")
        parser.add_argument("--address", help="an IP address to unlock (wrong tokens, sprays)")

    def handle(self, *args: Any, username: str | None, address: str | None, **options: Any) -> None:
        if not username and not address:
            raise CommandError("Name a username to unlock, or give --address IP.")
        forgotten = unlock(username=username, address=address)
        who = " and ".join(filter(None, [username, address]))
        if forgotten:
            self.stdout.write(f"Unlocked {who}: {forgotten} failed log-ins forgotten.")
        else:
            self.stdout.write(f"{who} has no failed log-ins on record: nothing to unlock.")
