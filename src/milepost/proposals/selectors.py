"""Reads for the proposal pages, already narrowed to what the viewer may see
(`accounts.access.proposal_filter`); another client's proposal is simply not found (404)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Q, QuerySet, When
from django.http import Http404

from milepost.accounts.access import (
    AnyUser,
    can_edit_proposals,
    has_role,
    issue_filter,
    proposal_filter,
)
from milepost.accounts.models import Role, User
from milepost.catalogue.models import Course, Qualification, Track
from milepost.clients.models import Client, Contact
from milepost.frameworks.models import Competency
from milepost.proposals.models import (
    BusinessIssue,
    Engagement,
    Metric,
    Proposal,
    ProposalEvent,
    ProposalItem,
    ProposalStatus,
)
from milepost.proposals.services.proposals import rule_share

RULE_CHOICES = [("", "Any"), ("meets", "Meets the rule"), ("fails", "Does not meet it yet")]


def visible_proposals(user: AnyUser) -> QuerySet[Proposal]:
    scope = proposal_filter(user)
    proposals = Proposal.objects.all()
    return proposals if scope is None else proposals.filter(scope)


def meets_rule_q() -> Q:
    """The rule of `services.proposals.rule_problems`, in SQL: a business issue with a complete
    metric, at least one item, and no item without an issue."""
    complete = Metric.objects.filter(
        issue__proposals=OuterRef("pk"),
        baseline_value__isnull=False,
        baseline_on__isnull=False,
        target_value__isnull=False,
        target_on__isnull=False,
    )
    items = ProposalItem.objects.filter(proposal=OuterRef("pk"))
    bare = items.filter(issues__isnull=True)
    return Q(Exists(complete)) & Q(Exists(items)) & ~Q(Exists(bare))


def with_rule_flag(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Each proposal with `meets`: whether it meets the rule (`meets_rule_q`)."""
    return proposals.annotate(
        meets=Case(When(meets_rule_q(), then=True), default=False, output_field=BooleanField())
    )


@dataclass(frozen=True)
class ProposalFilters:
    q: str = ""
    client: int | None = None
    status: str = ""
    rule: str = ""  # "meets", "fails" or "" (any)


def proposal_list(user: AnyUser, filters: ProposalFilters) -> QuerySet[Proposal]:
    """The proposal list with its search and filters, newest first; one query a page."""
    proposals = with_rule_flag(
        visible_proposals(user).select_related("client", "sponsor_contact", "sponsor_user")
    )
    if filters.q:
        proposals = proposals.filter(
            Q(title__icontains=filters.q)
            | Q(client__name__icontains=filters.q)
            | Q(sponsor_contact__name__icontains=filters.q)
        )
    if filters.client:
        proposals = proposals.filter(client_id=filters.client)
    if filters.status:
        proposals = proposals.filter(status=filters.status)
    if filters.rule == "meets":
        proposals = proposals.filter(meets_rule_q())
    elif filters.rule == "fails":
        proposals = proposals.exclude(meets_rule_q())
    return proposals.order_by("-created_at", "-pk")


def list_clients(user: AnyUser) -> QuerySet[Client]:
    """The clients of the proposals `user` sees, for the list's filter."""
    return Client.objects.filter(pk__in=visible_proposals(user).values("client_id")).order_by(
        "name", "pk"
    )


@dataclass(frozen=True)
class RuleShare:
    client: str  # "" for the overall line
    meeting: int
    sent: int

    @property
    def percent(self) -> int | None:
        return round(self.meeting * 100 / self.sent) if self.sent else None


def can_see_rule_share(user: AnyUser) -> bool:
    """The quality figure: coordinators, admins, the quality lead and executives."""
    return has_role(user, {Role.ADMIN, Role.COORDINATOR, Role.QUALITY_LEAD, Role.EXECUTIVE})


def rule_shares(user: AnyUser) -> tuple[list[RuleShare], RuleShare]:
    """The share of sent proposals meeting the rule, per client and overall: the rule's own
    check (`services.proposals.rule_share`) over prefetched rows, five queries in all."""
    sent = (
        visible_proposals(user)
        .filter(sent_at__isnull=False)
        .exclude(status=ProposalStatus.DRAFT)
        .select_related("client")
        .prefetch_related("issues__metrics", "items__issues")
    )
    by_client: dict[tuple[str, int], list[Proposal]] = defaultdict(list)
    for proposal in sent:
        by_client[(proposal.client.name, proposal.client_id)].append(proposal)
    rows = [
        RuleShare(name, *rule_share(proposals))
        for (name, _), proposals in sorted(by_client.items())
    ]
    overall = RuleShare("", sum(row.meeting for row in rows), sum(row.sent for row in rows))
    return rows, overall


def get_proposal(user: AnyUser, pk: int) -> Proposal:
    """A proposal `user` may see, with everything its page shows, in a fixed number of queries
    however many items it has (404 otherwise)."""
    proposal = (
        visible_proposals(user)
        .select_related(
            "client__unit",
            "client__owner",
            "sponsor_contact__user",
            "sponsor_user",
            "engagement",
            "previous",
            "next_version",
            "decided_by",
            "created_by",
        )
        .prefetch_related(
            Prefetch(
                "issues",
                queryset=BusinessIssue.objects.select_related("owner").prefetch_related("metrics"),
            ),
            Prefetch(
                "items",
                queryset=ProposalItem.objects.select_related(
                    "course", "qualification", "track"
                ).prefetch_related(
                    "issues",
                    Prefetch("metrics", queryset=Metric.objects.select_related("issue")),
                    "competencies",
                ),
            ),
            "cost_lines",
            Prefetch("events", queryset=ProposalEvent.objects.select_related("by")),
        )
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


def get_item(proposal: Proposal, pk: int) -> ProposalItem:
    item = proposal.items.select_related("proposal__client").filter(pk=pk).first()
    if item is None:
        raise Http404("No such item on this proposal.")
    return item


# --- choices for the forms ----------------------------------------------------------------------


def editable_clients(user: User) -> QuerySet[Client]:
    """Active clients whose proposals `user` may write: all for coordinators and admins, the
    clients they own for an account manager."""
    clients = Client.objects.filter(is_active=True).order_by("name", "pk")
    if can_edit_proposals(user, owner_id=None):
        return clients
    return clients.filter(owner_id=user.pk) if user.role == Role.ACCOUNT_MANAGER else clients.none()


def client_issues(client: Client) -> QuerySet[BusinessIssue]:
    return client.business_issues.order_by("priority", "title", "pk")


def client_metrics(client: Client) -> QuerySet[Metric]:
    return (
        Metric.objects.filter(issue__client=client)
        .select_related("issue")
        .order_by("issue__title", "name", "pk")
    )


def sponsor_contacts(client: Client) -> QuerySet[Contact]:
    return client.contacts.filter(is_active=True).select_related("user").order_by("name", "pk")


def sponsor_colleagues(client: Client) -> QuerySet[User]:
    """Who may sponsor a business unit's proposal: active line managers in the unit's subtree."""
    unit = client.unit
    if unit is None:
        return User.objects.none()
    return User.objects.filter(
        role=Role.LINE_MANAGER,
        is_active=True,
        employee__unit__path__startswith=unit.path,
    ).order_by("first_name", "last_name", "username")


def active_courses() -> QuerySet[Course]:
    return Course.objects.filter(is_active=True).order_by("title", "pk")


def active_qualifications() -> QuerySet[Qualification]:
    return Qualification.objects.filter(is_active=True).order_by("title", "pk")


def active_tracks() -> QuerySet[Track]:
    return Track.objects.filter(is_active=True).order_by("title", "pk")


def suggested_competencies(proposal: Proposal) -> QuerySet[Competency]:
    """Competencies an item is likely to raise: the engagement's capability causes and those
    already on the proposal's items."""
    wanted = Q(
        pk__in=ProposalItem.competencies.through.objects.filter(
            proposalitem__proposal=proposal
        ).values("competency_id")
    )
    if proposal.engagement_id is not None:
        wanted |= Q(pk__in=proposal.engagement.capability.values("pk"))  # type: ignore[union-attr]
    return Competency.objects.filter(wanted).select_related("framework").order_by("name", "pk")


# --- home and portal ----------------------------------------------------------------------------


def waiting_for_answer(user: AnyUser) -> QuerySet[Proposal]:
    """Sent proposals `user` sponsors (as a colleague or as the client's contact), oldest
    first."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    return (
        visible_proposals(user)
        .filter(status=ProposalStatus.SENT)
        .filter(Q(sponsor_user=user) | Q(sponsor_contact__user=user))
        .select_related("client")
        .order_by("sent_at", "pk")
    )


def own_drafts(user: AnyUser) -> QuerySet[Proposal]:
    """Drafts `user` started or of clients they own, latest changed first."""
    if not user.is_authenticated:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(status=ProposalStatus.DRAFT)
        .filter(Q(created_by=user) | Q(client__owner=user))
        .select_related("client")
        .order_by("-updated_at", "-pk")
    )


def portal_proposals(user: AnyUser) -> QuerySet[Proposal]:
    """An employer contact's own organisation's proposals that left draft, newest first."""
    return (
        visible_proposals(user)
        .exclude(status=ProposalStatus.DRAFT)
        .select_related("sponsor_contact")
        .order_by("-sent_at", "-pk")
    )


def engagement_for(user: AnyUser, pk: int) -> Engagement | None:
    """An engagement `user` may see (to start a proposal from it), or None."""
    scope = issue_filter(user)
    engagements = Engagement.objects.select_related("client", "sponsor")
    if scope is not None:
        engagements = engagements.filter(scope)
    return engagements.filter(pk=pk).first()
