"""What happened with a client, and the next step each interaction leads to."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from milepost.accounts.access import AnyUser, can_edit_client, require
from milepost.accounts.models import User
from milepost.accounts.services import notify
from milepost.clients.models import Client, Contact, Interaction, InteractionKind
from milepost.clients.services.clients import require_editor

SUMMARY_MAX = 10_000
NEXT_STEP_MAX = 500


def clean_interaction_fields(
    *,
    client: Client,
    kind: str,
    occurred_at: datetime.datetime | None,
    summary: str,
    contacts: Iterable[Contact] = (),
    next_step: str = "",
    next_step_owner: User | None = None,
    next_step_due: datetime.date | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind not in InteractionKind.values:
        errors["kind"] = f"Kind must be one of {', '.join(InteractionKind.values)}."
    if occurred_at is None:
        errors["occurred_at"] = "Say when it happened."
    elif occurred_at > timezone.now() + datetime.timedelta(days=1):
        errors["occurred_at"] = "An interaction is logged once it has happened, not in advance."
    elif occurred_at.year < 2000:
        errors["occurred_at"] = f"{occurred_at:%Y-%m-%d} is not a plausible date."
    if not summary.strip():
        errors["summary"] = "Summarise what happened."
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = f"The summary is {len(summary):,} characters; keep it to 10,000."
    strangers = [c.name for c in contacts if c.client_id != client.pk]
    if strangers:
        errors["contacts"] = f"Not contacts of {client}: {', '.join(strangers)}."
    if len(next_step) > NEXT_STEP_MAX:
        errors["next_step"] = f"Keep the next step to {NEXT_STEP_MAX} characters."
    if next_step.strip():
        if next_step_owner is None:
            errors["next_step_owner"] = "Name who owns the next step."
        elif not next_step_owner.is_active or next_step_owner.role == "employer_contact":
            errors["next_step_owner"] = f"{next_step_owner} cannot own a next step here."
        if next_step_due is None:
            errors["next_step_due"] = "Give the next step a due date."
    elif next_step_owner is not None or next_step_due is not None:
        errors["next_step"] = "Say what the next step is, or leave its owner and date empty."
    return errors


@transaction.atomic
def record_interaction(
    *,
    acting_user: User,
    client: Client,
    kind: str,
    occurred_at: datetime.datetime,
    summary: str,
    internal_only: bool = False,
    contacts: Iterable[Contact] = (),
    colleagues: Iterable[User] = (),
    next_step: str = "",
    next_step_owner: User | None = None,
    next_step_due: datetime.date | None = None,
    needs: Iterable[Any] = (),
) -> Interaction:
    """Log an interaction; the client's last contact moves, and the next step's owner is told.

    `needs` are needs of this client the interaction was about (linked from the need's side,
    `Need.interactions`, so clients never imports needs)."""
    require_editor(acting_user, client)
    contacts = list(contacts)
    needs = list(needs)
    errors = clean_interaction_fields(
        client=client,
        kind=kind,
        occurred_at=occurred_at,
        summary=summary,
        contacts=contacts,
        next_step=next_step,
        next_step_owner=next_step_owner,
        next_step_due=next_step_due,
    )
    strangers = [need.title for need in needs if need.client_id != client.pk]
    if strangers:
        errors["needs"] = f"Not needs of {client}: {', '.join(strangers)}."
    if errors:
        raise ValidationError(errors)
    interaction = Interaction.objects.create(
        client=client,
        kind=kind,
        occurred_at=occurred_at,
        summary=summary.strip(),
        internal_only=internal_only,
        recorded_by=acting_user,
        next_step=next_step.strip(),
        next_step_owner=next_step_owner if next_step.strip() else None,
        next_step_due=next_step_due if next_step.strip() else None,
    )
    interaction.contacts.set(contacts)
    interaction.colleagues.set(list(colleagues))
    if needs:
        interaction.needs.set(needs)
    if client.last_contact_at is None or occurred_at > client.last_contact_at:
        client.last_contact_at = occurred_at
        client.save(update_fields=["last_contact_at"])
    if interaction.next_step_owner is not None and interaction.next_step_owner != acting_user:
        notify(
            recipient=interaction.next_step_owner,
            message=(
                f"Next step for {client} by {next_step_due:%d %b %Y}: {interaction.next_step}"
            ),
            url=client.get_absolute_url(),
        )
    from milepost.clients.services.health import refresh_health

    refresh_health(client=client)
    return interaction


def can_close_next_step(user: AnyUser, interaction: Interaction) -> bool:
    return bool(
        user.is_authenticated
        and (
            interaction.next_step_owner_id == user.pk
            or can_edit_client(user, owner_id=interaction.client.owner_id)
        )
    )


@transaction.atomic
def complete_next_step(*, acting_user: User, interaction: Interaction) -> Interaction:
    """Mark the next step done: its owner or anyone who may edit the client."""
    require(
        can_close_next_step(acting_user, interaction),
        "Only the next step's owner or the client's editors can close it.",
    )
    if not interaction.has_open_next_step:
        raise ValidationError("This interaction has no open next step.")
    interaction.next_step_done_at = timezone.now()
    interaction.save(update_fields=["next_step_done_at"])
    from milepost.clients.services.health import refresh_health

    refresh_health(client=interaction.client)
    return interaction


def remind_overdue_next_steps(*, today: datetime.date | None = None) -> int:
    """Tell each owner of an overdue next step, once a day (the `milepost client_reminders`
    command and its timer); returns how many reminders went."""
    today = today or timezone.localdate()
    overdue = (
        Interaction.objects.filter(
            next_step_done_at__isnull=True,
            next_step_due__lt=today,
            next_step_owner__isnull=False,
            next_step_owner__is_active=True,
        )
        .exclude(next_step="")
        .exclude(next_step_reminded_on=today)
        .select_related("client", "next_step_owner")
        .order_by("next_step_due", "pk")
    )
    sent = 0
    with transaction.atomic():
        for interaction in overdue:
            assert interaction.next_step_owner is not None
            assert interaction.next_step_due is not None
            days = (today - interaction.next_step_due).days
            notify(
                recipient=interaction.next_step_owner,
                message=(
                    f"Overdue by {days} day{'s' if days != 1 else ''}: {interaction.next_step} "
                    f"({interaction.client})"
                ),
                url=interaction.client.get_absolute_url(),
            )
            interaction.next_step_reminded_on = today
            interaction.save(update_fields=["next_step_reminded_on"])
            sent += 1
    return sent
