"""A client's business issues and their metrics."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from milepost.accounts.access import PROPOSAL_DENIED, can_edit_proposals, require
from milepost.accounts.models import User
from milepost.clients.models import Client, Contact
from milepost.needs.models import DemandTheme, Need
from milepost.proposals.models import (
    TITLE_MAX,
    BusinessIssue,
    IssueStatus,
    Metric,
    Priority,
)


def require_editor(user: User, client: Client) -> None:
    require(can_edit_proposals(user, owner_id=client.owner_id), PROPOSAL_DENIED)


def number(value: object, field: str, errors: dict[str, str]) -> Decimal | None:
    """`value` as a Decimal, or None when empty; a field error when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        result = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        errors[field] = f"{value!r} is not a number."
        return None
    if not result.is_finite() or abs(result) >= Decimal("1e10"):
        errors[field] = f"{value!r} is not a number Milepost can keep."
        return None
    return result


def _issue_errors(
    *, client: Client, title: str, owner: Contact | None, priority: int
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "State the issue in business terms."
    elif len(title) > TITLE_MAX:
        errors["title"] = (
            f"Keep the issue to {TITLE_MAX} characters; put the rest in the description."
        )
    if owner is not None and owner.client_id != client.pk:
        errors["owner"] = f"{owner} is not a contact of {client}."
    if priority not in Priority.values:
        errors["priority"] = "Priority is 1 (high), 2 (medium) or 3 (low)."
    return errors


@transaction.atomic
def create_issue(
    *,
    acting_user: User,
    client: Client,
    title: str,
    description: str = "",
    owner: Contact | None = None,
    priority: int = Priority.MEDIUM,
    needs: list[Need] | None = None,
    themes: list[DemandTheme] | None = None,
) -> BusinessIssue:
    """Record a business issue of `client`, optionally with the needs or themes behind it."""
    require_editor(acting_user, client)
    title = title.strip()
    errors = _issue_errors(client=client, title=title, owner=owner, priority=priority)
    strangers = [need.title for need in needs or [] if need.client_id != client.pk]
    if strangers:
        errors["needs"] = f"Not needs of {client}: {', '.join(strangers)}."
    if errors:
        raise ValidationError(errors)
    issue = BusinessIssue.objects.create(
        client=client,
        title=title,
        description=description.strip(),
        owner=owner,
        priority=priority,
        created_by=acting_user,
    )
    issue.needs.set(needs or [])
    issue.themes.set(themes or [])
    return issue


@transaction.atomic
def promote_need(*, acting_user: User, need: Need, title: str = "") -> BusinessIssue:
    """Turn a need into a business issue of its client, the need listed behind it."""
    if need.client is None:
        raise ValidationError("This need belongs to no client; set its client first.")
    words = title or need.business_issue.strip().split("\n")[0] or need.title
    return create_issue(
        acting_user=acting_user,
        client=need.client,
        title=words[:TITLE_MAX],
        description=need.description,
        needs=[need],
    )


@transaction.atomic
def add_metric(
    *,
    acting_user: User,
    issue: BusinessIssue,
    name: str,
    unit: str = "",
    baseline_value: object = None,
    baseline_on: datetime.date | None = None,
    target_value: object = None,
    target_on: datetime.date | None = None,
    data_source: str = "",
) -> Metric:
    """A measure of the issue: from a baseline (value, date) to a target (value, date)."""
    require_editor(acting_user, issue.client)
    errors, baseline, target = _metric_errors(
        name=name,
        unit=unit,
        data_source=data_source,
        baseline_value=baseline_value,
        target_value=target_value,
        baseline_on=baseline_on,
        target_on=target_on,
    )
    if errors:
        raise ValidationError(errors)
    return Metric.objects.create(
        issue=issue,
        name=name.strip(),
        unit=unit.strip(),
        baseline_value=baseline,
        baseline_on=baseline_on,
        target_value=target,
        target_on=target_on,
        data_source=data_source.strip(),
    )


@transaction.atomic
def change_issue_status(
    *, acting_user: User, issue: BusinessIssue, status: str, reason: str = ""
) -> BusinessIssue:
    require_editor(acting_user, issue.client)
    if status not in IssueStatus.values:
        raise ValidationError({"status": f"Status must be one of {', '.join(IssueStatus.values)}."})
    if status == IssueStatus.DROPPED and not reason.strip():
        raise ValidationError({"reason": "Say why the issue is dropped."})
    issue.status = status
    issue.drop_reason = reason.strip() if status == IssueStatus.DROPPED else ""
    issue.save(update_fields=["status", "drop_reason", "updated_at"])
    return issue


@transaction.atomic
def update_issue(
    *,
    acting_user: User,
    issue: BusinessIssue,
    title: str,
    description: str = "",
    owner: Contact | None = None,
    priority: int = Priority.MEDIUM,
) -> BusinessIssue:
    """Reword an issue, change its owner at the client or its priority (the client stays)."""
    require_editor(acting_user, issue.client)
    title = title.strip()
    errors = _issue_errors(client=issue.client, title=title, owner=owner, priority=priority)
    if errors:
        raise ValidationError(errors)
    issue.title = title
    issue.description = description.strip()
    issue.owner = owner
    issue.priority = priority
    issue.save(update_fields=["title", "description", "owner", "priority", "updated_at"])
    return issue


@transaction.atomic
def promote_theme(
    *, acting_user: User, theme: DemandTheme, client: Client, title: str = ""
) -> BusinessIssue:
    """Turn a demand theme into a business issue of `client`: the theme, and its needs from that
    client, listed behind it."""
    needs = list(theme.needs.filter(client=client))
    return create_issue(
        acting_user=acting_user,
        client=client,
        title=(title.strip() or theme.title)[:TITLE_MAX],
        description=theme.description,
        needs=needs,
        themes=[theme],
    )


def _metric_errors(
    *,
    name: str,
    unit: str,
    data_source: str,
    baseline_value: object,
    target_value: object,
    baseline_on: datetime.date | None,
    target_on: datetime.date | None,
) -> tuple[dict[str, str], Decimal | None, Decimal | None]:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Name the measure (e.g. 'complaints a month')."
    elif len(name) > 200:
        errors["name"] = "Keep the measure's name to 200 characters."
    if len(unit) > 50:
        errors["unit"] = "Keep the unit to 50 characters."
    if len(data_source) > 200:
        errors["data_source"] = "Keep the data source to 200 characters."
    baseline = number(baseline_value, "baseline_value", errors)
    target = number(target_value, "target_value", errors)
    if baseline_on and target_on and target_on <= baseline_on:
        errors["target_on"] = (
            f"The target date ({target_on:%d %b %Y}) must come after the baseline date "
            f"({baseline_on:%d %b %Y})."
        )
    return errors, baseline, target


@transaction.atomic
def update_metric(
    *,
    acting_user: User,
    metric: Metric,
    name: str,
    unit: str = "",
    baseline_value: object = None,
    baseline_on: datetime.date | None = None,
    target_value: object = None,
    target_on: datetime.date | None = None,
    data_source: str = "",
) -> Metric:
    """Correct a measure of an issue; the same rules as adding one."""
    require_editor(acting_user, metric.issue.client)
    errors, baseline, target = _metric_errors(
        name=name,
        unit=unit,
        data_source=data_source,
        baseline_value=baseline_value,
        target_value=target_value,
        baseline_on=baseline_on,
        target_on=target_on,
    )
    if errors:
        raise ValidationError(errors)
    metric.name = name.strip()
    metric.unit = unit.strip()
    metric.baseline_value = baseline
    metric.baseline_on = baseline_on
    metric.target_value = target
    metric.target_on = target_on
    metric.data_source = data_source.strip()
    metric.save()
    return metric


@transaction.atomic
def remove_metric(*, acting_user: User, metric: Metric) -> None:
    """Remove a measure no solution item names yet (a proposal that counts on it keeps it)."""
    require_editor(acting_user, metric.issue.client)
    named = list(metric.proposal_items.values_list("proposal__title", flat=True)[:3])
    if named:
        raise ValidationError(
            f"'{metric.name}' is named by solution items of {', '.join(named)}: take it off "
            "those items first."
        )
    metric.delete()
