"""Each client's path through its journey, and who is responsible at each stage."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from milepost.accounts.models import User
from milepost.clients.models import Client, JourneyStage, StageChange, StageResponsibility
from milepost.clients.services.clients import require_editor


def _stage_of(client: Client, stage: JourneyStage) -> None:
    if stage.template_id != client.journey_id:
        raise ValidationError({"stage": f"{stage} is not a stage of {client}'s journey."})


@transaction.atomic
def move_to_stage(
    *, acting_user: User, client: Client, stage: JourneyStage, note: str = ""
) -> StageChange:
    """Move the client to another stage (forward, or back with a note), kept with its date."""
    require_editor(acting_user, client)
    _stage_of(client, stage)
    if stage.pk == client.stage_id:
        raise ValidationError({"stage": f"{client} is already at {stage}."})
    current = client.stage
    if current is not None and stage.position < current.position and not note.strip():
        raise ValidationError({"note": "Say why the client goes back to an earlier stage."})
    change = StageChange.objects.create(
        client=client,
        from_stage=current,
        to_stage=stage,
        note=note.strip(),
        changed_by=acting_user,
    )
    client.stage = stage
    client.save(update_fields=["stage", "updated_at"])
    return change


@transaction.atomic
def set_responsible(
    *, acting_user: User, client: Client, stage: JourneyStage, responsible: User | None
) -> StageResponsibility:
    """Name who takes responsibility for the client at `stage` (None: nobody, flagged)."""
    require_editor(acting_user, client)
    _stage_of(client, stage)
    if responsible is not None and (
        not responsible.is_active or responsible.role == "employer_contact"
    ):
        raise ValidationError(
            {"responsible": f"{responsible} cannot take responsibility for a client's stage."}
        )
    row, _ = StageResponsibility.objects.update_or_create(
        client=client, stage=stage, defaults={"responsible": responsible}
    )
    return row
