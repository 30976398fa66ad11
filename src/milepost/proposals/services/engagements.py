"""Consultancy engagements: a performance analysis with an engaged manager, whose findings feed
a proposal in one step."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from milepost.accounts.models import User
from milepost.clients.models import Client, Contact, Interaction, InteractionKind
from milepost.frameworks.models import Competency
from milepost.proposals.models import (
    TITLE_MAX,
    BusinessIssue,
    Engagement,
    EngagementStatus,
    Proposal,
)
from milepost.proposals.services.issues import require_editor
from milepost.proposals.services.proposals import create_proposal

ANALYSIS_FIELDS = (
    "business_goal",
    "should_do",
    "actually_do",
    "capability_notes",
    "cause_tools",
    "cause_process",
    "cause_incentives",
    "cause_information",
    "non_training_options",
)


@transaction.atomic
def start_engagement(
    *,
    acting_user: User,
    client: Client,
    title: str,
    issues: Sequence[BusinessIssue],
    sponsor: Contact | None = None,
) -> Engagement:
    """Consultancy with `sponsor` (the engaged manager) on one or more of `client`'s issues."""
    require_editor(acting_user, client)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Give the engagement a title."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Keep the title to {TITLE_MAX} characters."
    if not issues:
        errors["issues"] = "Consultancy starts from at least one business issue."
    strangers = [issue.title for issue in issues if issue.client_id != client.pk]
    if strangers:
        errors["issues"] = f"Not business issues of {client}: {', '.join(strangers)}."
    if sponsor is not None and sponsor.client_id != client.pk:
        errors["sponsor"] = f"{sponsor} is not a contact of {client}."
    if errors:
        raise ValidationError(errors)
    engagement = Engagement.objects.create(
        client=client, title=title.strip(), sponsor=sponsor, consultant=acting_user
    )
    engagement.issues.set(issues)
    return engagement


@transaction.atomic
def record_analysis(
    *,
    acting_user: User,
    engagement: Engagement,
    capability: Iterable[Competency] | None = None,
    **analysis: Any,
) -> Engagement:
    """Write the performance analysis: goal, should versus actual, causes (capability as
    competencies, environment as tools, process, incentives, information), non-training options."""
    require_editor(acting_user, engagement.client)
    unknown = set(analysis) - set(ANALYSIS_FIELDS)
    if unknown:
        raise ValidationError(f"Not part of the analysis: {', '.join(sorted(unknown))}.")
    for field, value in analysis.items():
        setattr(engagement, field, str(value).strip())
    engagement.save()
    if capability is not None:
        engagement.capability.set(list(capability))
    return engagement


@transaction.atomic
def link_session(*, acting_user: User, engagement: Engagement, interaction: Interaction) -> None:
    """Link a consultancy session (an interaction of that kind with the same client)."""
    require_editor(acting_user, engagement.client)
    if interaction.client_id != engagement.client_id:
        raise ValidationError("That interaction is with another client.")
    if interaction.kind != InteractionKind.CONSULTANCY:
        raise ValidationError("Only consultancy sessions link to an engagement.")
    engagement.interactions.add(interaction)


@transaction.atomic
def propose_from_findings(*, acting_user: User, engagement: Engagement) -> Proposal:
    """One step from findings to a draft proposal: the same client, issues and sponsor, the goal
    as the first learning objective, the analysis kept with the proposal."""
    require_editor(acting_user, engagement.client)
    if not engagement.business_goal.strip():
        raise ValidationError(
            {"business_goal": "State the measurable business goal before proposing anything."}
        )
    proposal = create_proposal(
        acting_user=acting_user,
        client=engagement.client,
        title=engagement.title,
        issues=list(engagement.issues.all()),
        sponsor_contact=engagement.sponsor,
        engagement=engagement,
    )
    proposal.learning_objectives = engagement.business_goal
    proposal.save(update_fields=["learning_objectives", "updated_at"])
    engagement.status = EngagementStatus.FINDINGS
    engagement.save(update_fields=["status", "updated_at"])
    return proposal
