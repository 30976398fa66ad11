"""`milepost client_reminders` and `milepost client_health`, and their daily systemd timers."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from milepost.accounts.models import Notification
from milepost.clients.models import Client
from milepost.testing.factories import InteractionFactory

pytestmark = pytest.mark.django_db
DEPLOY = Path(__file__).resolve().parents[4] / "deploy" / "systemd"


def test_client_reminders_tells_owners_of_overdue_steps_once_a_day(book, capsys):
    InteractionFactory.create(
        client=book.harbour,
        next_step="Send the outline",
        next_step_owner=book.account_manager,
        next_step_due=timezone.localdate() - datetime.timedelta(days=3),
    )
    InteractionFactory.create(
        client=book.harbour,
        next_step="Not due yet",
        next_step_owner=book.account_manager,
        next_step_due=timezone.localdate() + datetime.timedelta(days=3),
    )
    call_command("client_reminders")
    assert "Sent 1 reminder of overdue next steps." in capsys.readouterr().out
    messages = Notification.objects.filter(user=book.account_manager)
    assert [note.message for note in messages] == [
        "Overdue by 3 days: Send the outline (Harbour Brokers)"
    ]
    call_command("client_reminders")
    assert "Sent 0 reminders" in capsys.readouterr().out
    assert messages.count() == 1


def test_client_health_scores_every_active_client_or_one(book, capsys):
    InteractionFactory.create(
        client=book.harbour, occurred_at=timezone.now() - datetime.timedelta(days=2)
    )
    Client.objects.filter(pk=book.northgate.pk).update(is_active=False)
    call_command("client_health")
    assert "Refreshed the health of 3 active clients." in capsys.readouterr().out
    book.harbour.refresh_from_db()
    book.northgate.refresh_from_db()
    assert book.harbour.health_score is not None and book.harbour.last_contact_at is not None
    assert book.northgate.health_score is None
    call_command("client_health", "--client", str(book.northgate.pk))
    book.northgate.refresh_from_db()
    assert book.northgate.health_score is not None
    assert "Northgate Insurance: health" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No client with id 999999"):
        call_command("client_health", "--client", "999999")


@pytest.mark.parametrize(
    ("unit", "command"),
    [
        ("milepost-client-reminders", "client_reminders"),
        ("milepost-client-health", "client_health"),
    ],
)
def test_each_command_has_a_daily_systemd_timer(unit, command):
    service = (DEPLOY / f"{unit}.service").read_text()
    timer = (DEPLOY / f"{unit}.timer").read_text()
    assert f"ExecStart=/srv/milepost/venv/bin/milepost {command}\n" in service
    assert "Type=oneshot" in service
    assert "OnCalendar=*-*-* " in timer and "Persistent=true" in timer
