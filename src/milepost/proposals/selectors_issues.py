"""Reads of the business issues register and the consultancy pages, narrowed to what the
acting user may see (accounts.access.issue_filter and proposal_filter)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from milepost.accounts.access import (
    AnyUser,
    can_edit_proposals,
    client_filter,
    issue_filter,
    need_filter,
    proposal_filter,
)
from milepost.clients.models import Client, Contact, Interaction, InteractionKind
from milepost.frameworks.models import Competency
from milepost.needs.models import DemandTheme, Need
from milepost.proposals.models import BusinessIssue, Engagement, IssueStatus, Metric, Proposal


def visible_issues(user: AnyUser) -> QuerySet[BusinessIssue]:
    scope = issue_filter(user)
    return BusinessIssue.objects.filter(scope) if scope is not None else BusinessIssue.objects.all()


def visible_engagements(user: AnyUser) -> QuerySet[Engagement]:
    scope = issue_filter(user)
    return Engagement.objects.filter(scope) if scope is not None else Engagement.objects.all()


def visible_proposals(user: AnyUser) -> QuerySet[Proposal]:
    scope = proposal_filter(user)
    return Proposal.objects.filter(scope) if scope is not None else Proposal.objects.all()


def visible_clients(user: AnyUser) -> QuerySet[Client]:
    scope = client_filter(user)
    clients = Client.objects.all()
    return (clients if scope is None else clients.filter(scope)).distinct().order_by("name")


def editable_clients(user: AnyUser) -> list[Client]:
    """The clients whose issues and engagements the user may record (the form's choices)."""
    return [
        client
        for client in Client.objects.filter(is_active=True).order_by("name")
        if can_edit_proposals(user, owner_id=client.owner_id)
    ]


# --- the register ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueFilters:
    q: str = ""
    client: int | None = None
    status: str = ""
    priority: int | None = None
    owner: int | None = None


def issue_list(user: AnyUser, filters: IssueFilters) -> QuerySet[BusinessIssue]:
    issues = visible_issues(user).select_related("client", "owner")
    if filters.q:
        issues = issues.filter(
            Q(title__icontains=filters.q)
            | Q(description__icontains=filters.q)
            | Q(client__name__icontains=filters.q)
        )
    if filters.client is not None:
        issues = issues.filter(client_id=filters.client)
    if filters.status:
        issues = issues.filter(status=filters.status)
    if filters.priority is not None:
        issues = issues.filter(priority=filters.priority)
    if filters.owner is not None:
        issues = issues.filter(owner_id=filters.owner)
    return issues.annotate(metric_count=Count("metrics", distinct=True)).order_by(
        "priority", "-created_at", "pk"
    )


def issue_owners(user: AnyUser) -> QuerySet[Contact]:
    """Contacts owning an issue the user may see (the register's owner filter)."""
    return (
        Contact.objects.filter(owned_issues__in=visible_issues(user))
        .select_related("client")
        .distinct()
        .order_by("name")
    )


def get_issue(user: AnyUser, issue_id: int) -> BusinessIssue:
    return get_object_or_404(
        visible_issues(user).select_related("client", "owner", "created_by"), pk=issue_id
    )


@dataclass(frozen=True)
class IssuePage:
    metrics: list[Metric]
    needs: list[Need]
    themes: list[DemandTheme]
    engagements: list[Engagement]
    proposals: list[Proposal]


def issue_page(user: AnyUser, issue: BusinessIssue) -> IssuePage:
    """What the issue page lists: its metrics, the needs (those the user may see) and themes
    behind it, and the engagements and proposals that address it."""
    scope = need_filter(user)
    needs = issue.needs.select_related("unit")
    return IssuePage(
        metrics=list(issue.metrics.all()),
        needs=list(needs if scope is None else needs.filter(scope)),
        themes=list(issue.themes.all()),
        engagements=list(visible_engagements(user).filter(issues=issue).select_related("sponsor")),
        proposals=list(visible_proposals(user).filter(issues=issue)),
    )


@dataclass(frozen=True)
class StatusChange:
    at: datetime.datetime
    by: str
    before: str
    after: str


def status_history(issue: BusinessIssue) -> list[StatusChange]:
    """The issue's status changes, newest first, read from the audit trail (one query)."""
    labels = dict(IssueStatus.choices)
    entries = LogEntry.objects.get_for_object(issue).select_related("actor").order_by("-timestamp")
    changes = []
    for entry in entries:
        moved = (entry.changes or {}).get("status") if isinstance(entry.changes, dict) else None
        if not isinstance(moved, list) or len(moved) != 2:
            continue
        before, after = moved
        actor = entry.actor
        changes.append(
            StatusChange(
                at=entry.timestamp,
                by=(actor.get_full_name() or actor.username) if actor else "",
                before=labels.get(before, "") if before not in (None, "None") else "",
                after=labels.get(after, str(after)),
            )
        )
    return changes


def get_metric(issue: BusinessIssue, metric_id: int) -> Metric:
    return get_object_or_404(issue.metrics.select_related("issue__client"), pk=metric_id)


def issues_behind(
    user: AnyUser, *, need: Need | None = None, theme: DemandTheme | None = None
) -> list[BusinessIssue]:
    """The business issues a need or a demand theme is behind, as far as the user sees them."""
    issues = visible_issues(user).select_related("client")
    if need is not None:
        issues = issues.filter(needs=need)
    if theme is not None:
        issues = issues.filter(themes=theme)
    return list(issues.order_by("priority", "pk"))


# --- a client's page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientWork:
    issues: list[BusinessIssue]
    engagements: list[Engagement]
    proposals: list[Proposal]


def client_work(user: AnyUser, client: Client) -> ClientWork:
    """A client's business issues (with their metric counts), engagements and proposals."""
    return ClientWork(
        issues=list(
            visible_issues(user)
            .filter(client=client)
            .annotate(metric_count=Count("metrics"))
            .order_by("priority", "-created_at", "pk")
        ),
        engagements=list(visible_engagements(user).filter(client=client)),
        proposals=list(visible_proposals(user).filter(client=client).order_by("-created_at")),
    )


# --- engagements ----------------------------------------------------------------------------


@dataclass(frozen=True)
class EngagementFilters:
    q: str = ""
    client: int | None = None
    status: str = ""


def engagement_list(user: AnyUser, filters: EngagementFilters) -> QuerySet[Engagement]:
    engagements = visible_engagements(user).select_related("client", "sponsor", "consultant")
    if filters.q:
        engagements = engagements.filter(
            Q(title__icontains=filters.q)
            | Q(client__name__icontains=filters.q)
            | Q(business_goal__icontains=filters.q)
        )
    if filters.client is not None:
        engagements = engagements.filter(client_id=filters.client)
    if filters.status:
        engagements = engagements.filter(status=filters.status)
    return engagements.annotate(issue_count=Count("issues", distinct=True)).order_by(
        "-created_at", "-pk"
    )


def get_engagement(user: AnyUser, engagement_id: int) -> Engagement:
    return get_object_or_404(
        visible_engagements(user)
        .select_related("client__unit", "sponsor", "consultant")
        .prefetch_related(
            Prefetch("issues", queryset=BusinessIssue.objects.order_by("priority", "pk")),
            Prefetch(
                "capability",
                queryset=Competency.objects.select_related("framework").order_by("name"),
            ),
        ),
        pk=engagement_id,
    )


def consultancy_sessions(client: Client) -> QuerySet[Interaction]:
    """The client's interactions of kind "consultancy", newest first."""
    return client.interactions.filter(kind=InteractionKind.CONSULTANCY).order_by("-occurred_at")


def engagement_proposals(user: AnyUser, engagement: Engagement) -> list[Proposal]:
    return list(visible_proposals(user).filter(engagement=engagement).order_by("-created_at"))
