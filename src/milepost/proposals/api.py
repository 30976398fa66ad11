"""REST endpoints for business issues, consultancy engagements and proposals (mounted at
/api/v1/; docs/api.md).

The same services and access rules as the pages: an object outside what the caller may see is
not found (404), an action their role may not take is 403, and a proposal that does not meet
the rule is refused when sent (422, code `rule_not_met`, each missing part under `rule`).
Business issues and engagements are the training function's working papers: employees are
refused (403), as on the pages; employer contacts may not list them (403) and find none
(404). An employer contact lists and answers the proposals sent to their own organisation.
"""

import datetime
from decimal import Decimal
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from milepost.accounts.access import (
    CLIENT_OWNERS,
    PROPOSAL_DENIED,
    can_view_clients,
    client_filter,
    has_role,
    issue_filter,
    proposal_filter,
    require,
)
from milepost.accounts.http import api_caller
from milepost.accounts.models import Role, User
from milepost.catalogue.models import Course, Qualification, Track
from milepost.clients.api import ContactRef, UserRef
from milepost.clients.models import Client, Contact
from milepost.frameworks.models import Competency
from milepost.lib.api_fields import api_field_names
from milepost.needs.models import DemandTheme, Need
from milepost.proposals.models import (
    TITLE_MAX,
    BusinessIssue,
    CostLine,
    Engagement,
    IssueStatus,
    Metric,
    Proposal,
    ProposalItem,
    ProposalStatus,
)
from milepost.proposals.services.issues import (
    add_metric,
    change_issue_status,
    create_issue,
    update_issue,
)
from milepost.proposals.services.proposals import (
    accept_proposal,
    add_item,
    create_proposal,
    decline_proposal,
    forecast_roi,
    rule_problems,
    send_proposal,
    total_cost,
)

router = Router(tags=["proposals"])

WORKING_PAPERS_DENIED = (
    "Business issues and consultancy engagements are for L&D, account managers, quality leads, "
    "executives and line managers (their unit's client)."
)
PROPOSALS_DENIED = (
    "Proposals are for L&D, account managers, quality leads, executives, line managers (their "
    "unit's client) and the employer contacts they are sent to."
)
RULE_NOT_MET = "rule_not_met"

M = TypeVar("M", bound=Model)


# --- schemas -------------------------------------------------------------------------------


class ClientRef(Schema):
    id: int
    name: str


class Ref(Schema):
    id: int
    title: str


class CompetencyRef(Schema):
    id: int
    name: str


class MetricOut(Schema):
    id: int
    name: str
    unit: str
    baseline_value: Decimal | None
    baseline_on: datetime.date | None
    target_value: Decimal | None
    target_on: datetime.date | None
    data_source: str
    missing: list[str] = Field(description="What the proposal rule still needs of this metric")


class IssueOut(Schema):
    id: int
    client: ClientRef
    title: str
    description: str
    owner: ContactRef | None = Field(description="Who owns the issue at the client")
    priority: int = Field(description="1 high, 2 medium, 3 low")
    status: str = Field(description="open, addressing, resolved or dropped")
    drop_reason: str
    metrics: list[MetricOut]
    need_ids: list[int] = Field(description="The needs behind the issue")
    theme_ids: list[int] = Field(description="The demand themes behind the issue")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_metrics(obj: BusinessIssue) -> list[Metric]:
        return list(obj.metrics.all())

    @staticmethod
    def resolve_need_ids(obj: BusinessIssue) -> list[int]:
        return [need.pk for need in obj.needs.all()]

    @staticmethod
    def resolve_theme_ids(obj: BusinessIssue) -> list[int]:
        return [theme.pk for theme in obj.themes.all()]


class IssueIn(Schema):
    client_id: int
    title: str = Field(max_length=TITLE_MAX, description="The issue in business terms")
    description: str = ""
    owner_id: int | None = Field(None, description="A contact of the client")
    priority: int = Field(2, ge=1, le=3, description="1 high, 2 medium, 3 low")
    need_ids: list[int] = Field([], description="The client's needs behind the issue")
    theme_ids: list[int] = Field([], description="Demand themes behind the issue")


class IssuePatch(Schema):
    title: str | None = Field(None, max_length=TITLE_MAX)
    description: str | None = None
    owner_id: int | None = Field(None, description="A contact of the client; 0 for nobody")
    priority: int | None = Field(None, ge=1, le=3)
    status: str | None = Field(None, description="open, addressing, resolved or dropped")
    reason: str = Field("", description="Why the issue is dropped (required then)")


class MetricIn(Schema):
    name: str = Field(max_length=200)
    unit: str = Field("", max_length=50)
    baseline_value: Decimal | None = None
    baseline_on: datetime.date | None = None
    target_value: Decimal | None = None
    target_on: datetime.date | None = Field(None, description="After the baseline date")
    data_source: str = Field("", max_length=200)


class IssueQuery(Schema):
    client: int | None = Field(None, description="A client's id")
    status: str = Field("", description="open, addressing, resolved or dropped")


class EngagementOut(Schema):
    id: int
    client: ClientRef
    title: str
    sponsor: ContactRef | None = Field(description="The engaged manager at the client")
    consultant: UserRef | None
    issues: list[Ref]
    status: str = Field(description="open, findings or closed")
    business_goal: str
    should_do: str
    actually_do: str
    capability: list[CompetencyRef] = Field(description="Causes in skills and knowledge")
    capability_notes: str
    cause_tools: str
    cause_process: str
    cause_incentives: str
    cause_information: str
    non_training_options: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_issues(obj: Engagement) -> list[BusinessIssue]:
        return list(obj.issues.all())

    @staticmethod
    def resolve_capability(obj: Engagement) -> list[Competency]:
        return list(obj.capability.all())


class ProposalOut(Schema):
    id: int
    client: ClientRef
    title: str
    number: int = Field(description="The version number")
    status: str = Field(description="draft, sent, accepted, declined, withdrawn or superseded")
    sponsor_contact: ContactRef | None
    sponsor_user: UserRef | None
    issues: list[Ref]
    sent_at: datetime.datetime | None
    decided_at: datetime.datetime | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_issues(obj: Proposal) -> list[BusinessIssue]:
        return list(obj.issues.all())


class ItemOut(Schema):
    id: int
    position: int
    kind: str = Field(description="course, qualification, track, bespoke or non_training")
    course_id: int | None
    qualification_id: int | None
    track_id: int | None
    title: str
    description: str
    people: int
    cost: Decimal
    issue_ids: list[int]
    metric_ids: list[int]
    competency_ids: list[int]

    @staticmethod
    def resolve_issue_ids(obj: ProposalItem) -> list[int]:
        return [issue.pk for issue in obj.issues.all()]

    @staticmethod
    def resolve_metric_ids(obj: ProposalItem) -> list[int]:
        return [metric.pk for metric in obj.metrics.all()]

    @staticmethod
    def resolve_competency_ids(obj: ProposalItem) -> list[int]:
        return [competency.pk for competency in obj.competencies.all()]


class CostLineOut(Schema):
    id: int
    label: str
    amount: Decimal


class ProposalDetailOut(ProposalOut):
    engagement_id: int | None
    previous_id: int | None = Field(description="The version this one replaced")
    learning_objectives: str
    evaluation_plan: str
    forecast_benefit: Decimal | None
    benefit_assumptions: str
    timeline: str
    responsibilities: str
    risks: str
    decline_reason: str
    items: list[ItemOut]
    cost_lines: list[CostLineOut]
    currency: str
    total_cost: Decimal = Field(description="Every item and every extra cost line")
    forecast_roi: Decimal | None = Field(description="(benefit - cost) / cost x 100, in %")
    benefit_cost_ratio: Decimal | None
    rule_problems: list[str] = Field(description="Why it may not be sent yet (empty: it may)")

    @staticmethod
    def resolve_items(obj: Proposal) -> list[ProposalItem]:
        return list(obj.items.all())

    @staticmethod
    def resolve_cost_lines(obj: Proposal) -> list[CostLine]:
        return list(obj.cost_lines.all())

    @staticmethod
    def resolve_currency(obj: Proposal) -> str:
        return str(settings.CATALOGUE_CURRENCY)

    @staticmethod
    def resolve_total_cost(obj: Proposal) -> Decimal:
        return total_cost(obj)

    @staticmethod
    def resolve_forecast_roi(obj: Proposal) -> Decimal | None:
        return forecast_roi(obj)[0]

    @staticmethod
    def resolve_benefit_cost_ratio(obj: Proposal) -> Decimal | None:
        return forecast_roi(obj)[1]

    @staticmethod
    def resolve_rule_problems(obj: Proposal) -> list[str]:
        return rule_problems(obj)


class ProposalIn(Schema):
    client_id: int
    title: str = Field(max_length=TITLE_MAX)
    issue_ids: list[int] = Field([], description="The client's business issues it addresses")
    sponsor_contact_id: int | None = Field(None, description="A contact of the client")
    sponsor_user_id: int | None = Field(None, description="An internal sponsor (a user)")
    engagement_id: int | None = Field(None, description="The engagement it comes from")


class ProposalQuery(Schema):
    client: int | None = Field(None, description="A client's id")
    status: str = Field("", description="draft, sent, accepted, declined, withdrawn, superseded")


class ItemIn(Schema):
    kind: str = Field(description="course, qualification, track, bespoke or non_training")
    issue_ids: list[int] = Field(description="The proposal's business issues it answers")
    title: str = Field("", max_length=TITLE_MAX, description="Defaults to the offer's title")
    course_id: int | None = None
    qualification_id: int | None = None
    track_id: int | None = None
    people: int = Field(1, ge=1, le=1_000_000)
    cost: Decimal | None = Field(None, ge=0, description="Defaults to the catalogue's costing")
    description: str = ""
    metric_ids: list[int] = Field([], description="Metrics of the issues it names")
    competency_ids: list[int] = Field([], description="The competencies it raises")


class DeclineIn(Schema):
    reason: str = Field(description="Why the proposal is declined (required)")


# --- lookups -------------------------------------------------------------------------------


def _scoped(queryset: QuerySet[M], scope: Q | None) -> QuerySet[M]:
    return queryset if scope is None else queryset.filter(scope)


def _require_working_papers(user: User) -> None:
    require(can_view_clients(user), WORKING_PAPERS_DENIED)


def _require_reader(user: User) -> None:
    """Before an object is looked up: a role that reads none of these is refused (403); an
    employer contact goes on to the scoped lookup (what is not theirs is not found: 404)."""
    if user.role != Role.EMPLOYER_CONTACT:
        require(can_view_clients(user), PROPOSALS_DENIED)


def _require_proposal_editing(user: User) -> None:
    """A role that edits no client's proposals is refused before its input is looked at."""
    require(has_role(user, CLIENT_OWNERS), PROPOSAL_DENIED)


def _issues(user: User) -> QuerySet[BusinessIssue]:
    return _scoped(
        BusinessIssue.objects.select_related("client", "owner").prefetch_related(
            "metrics", "needs", "themes"
        ),
        issue_filter(user),
    )


def _engagements(user: User) -> QuerySet[Engagement]:
    return _scoped(
        Engagement.objects.select_related("client", "sponsor", "consultant").prefetch_related(
            "issues", "capability"
        ),
        issue_filter(user),
    )


def _proposals(user: User) -> QuerySet[Proposal]:
    return _scoped(
        Proposal.objects.select_related(
            "client", "sponsor_contact", "sponsor_user"
        ).prefetch_related("issues"),
        proposal_filter(user),
    )


def _issue(user: User, issue_id: int) -> BusinessIssue:
    _require_reader(user)
    return get_object_or_404(_issues(user), pk=issue_id)


def _proposal(user: User, proposal_id: int) -> Proposal:
    _require_reader(user)
    return get_object_or_404(_proposals(user), pk=proposal_id)


def _proposal_detail(user: User, proposal_id: int) -> Proposal:
    _require_reader(user)
    return get_object_or_404(
        _proposals(user).prefetch_related(
            "items__issues", "items__metrics", "items__competencies", "cost_lines"
        ),
        pk=proposal_id,
    )


def _many(model: type[M], ids: list[int], field: str, among: QuerySet[M] | None = None) -> list[M]:
    """The rows with these ids, or a field error naming the ids not found."""
    wanted = set(ids)
    rows = list(
        (among if among is not None else model._default_manager.all()).filter(pk__in=wanted)
    )
    missing = sorted(wanted - {row.pk for row in rows})
    if missing:
        raise ValidationError({field: f"not found: {', '.join(map(str, missing))}."})
    return rows


def _one(model: type[M], pk: int | None, field: str, among: QuerySet[M] | None = None) -> M | None:
    if pk is None:
        return None
    return _many(model, [pk], field, among)[0]


def _visible_client(user: User, client_id: int) -> Client:
    client = _one(Client, client_id, "client", _scoped(Client.objects.all(), client_filter(user)))
    assert client is not None
    return client


# --- business issues -----------------------------------------------------------------------


@router.get(
    "/business-issues",
    response=list[IssueOut],
    summary="Business issues of the clients you can see, by priority",
)
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_issues_api(request: HttpRequest, filters: Query[IssueQuery]) -> QuerySet[BusinessIssue]:
    user = api_caller(request)
    _require_working_papers(user)
    if filters.status and filters.status not in IssueStatus.values:
        raise ValidationError(
            {"status": f"'{filters.status}' is not a status; use {', '.join(IssueStatus.values)}."}
        )
    issues = _issues(user)
    if filters.client is not None:
        issues = issues.filter(client_id=filters.client)
    if filters.status:
        issues = issues.filter(status=filters.status)
    return issues


@router.post("/business-issues", response={201: IssueOut}, summary="Record a business issue")
@api_field_names(client="client_id", owner="owner_id", needs="need_ids", themes="theme_ids")
def create_issue_api(request: HttpRequest, payload: IssueIn) -> Status[BusinessIssue]:
    user = api_caller(request)
    _require_proposal_editing(user)
    client = _visible_client(user, payload.client_id)
    issue = create_issue(
        acting_user=user,
        client=client,
        title=payload.title,
        description=payload.description,
        owner=_one(Contact, payload.owner_id, "owner"),
        priority=payload.priority,
        needs=_many(Need, payload.need_ids, "needs"),
        themes=_many(DemandTheme, payload.theme_ids, "themes"),
    )
    return Status(201, _issues(user).get(pk=issue.pk))


@router.get("/business-issues/{issue_id}", response=IssueOut, summary="One business issue")
def get_issue_api(request: HttpRequest, issue_id: int) -> BusinessIssue:
    return _issue(api_caller(request), issue_id)


@router.patch(
    "/business-issues/{issue_id}",
    response=IssueOut,
    summary="Change an issue's wording, owner, priority or status",
)
@api_field_names(owner="owner_id")
def update_issue_api(request: HttpRequest, issue_id: int, payload: IssuePatch) -> BusinessIssue:
    user = api_caller(request)
    issue = _issue(user, issue_id)
    # A field left out keeps its value; owner_id 0 means nobody.
    owner = issue.owner
    if payload.owner_id is not None:
        owner = None if payload.owner_id == 0 else _one(Contact, payload.owner_id, "owner")
    update_issue(
        acting_user=user,
        issue=issue,
        title=issue.title if payload.title is None else payload.title,
        description=issue.description if payload.description is None else payload.description,
        owner=owner,
        priority=issue.priority if payload.priority is None else payload.priority,
    )
    if payload.status is not None and payload.status != issue.status:
        change_issue_status(
            acting_user=user, issue=issue, status=payload.status, reason=payload.reason
        )
    return _issues(user).get(pk=issue.pk)


@router.post(
    "/business-issues/{issue_id}/metrics",
    response={201: MetricOut},
    summary="Add a metric: from a baseline (value, date) to a target (value, date)",
)
def add_metric_api(request: HttpRequest, issue_id: int, payload: MetricIn) -> Status[Metric]:
    user = api_caller(request)
    issue = _issue(user, issue_id)
    metric = add_metric(acting_user=user, issue=issue, **payload.model_dump())
    return Status(201, metric)


# --- engagements ---------------------------------------------------------------------------


@router.get(
    "/engagements",
    response=list[EngagementOut],
    summary="Consultancy engagements with their performance analysis, newest first",
)
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_engagements_api(request: HttpRequest, client: int | None = None) -> QuerySet[Engagement]:
    user = api_caller(request)
    _require_working_papers(user)
    engagements = _engagements(user)
    return engagements if client is None else engagements.filter(client_id=client)


@router.get("/engagements/{engagement_id}", response=EngagementOut, summary="One engagement")
def get_engagement_api(request: HttpRequest, engagement_id: int) -> Engagement:
    user = api_caller(request)
    _require_reader(user)
    return get_object_or_404(_engagements(user), pk=engagement_id)


# --- proposals -----------------------------------------------------------------------------


@router.get("/proposals", response=list[ProposalOut], summary="Proposals, newest first")
@paginate(PageNumberPagination, page_size=settings.PAGE_SIZE)
def list_proposals_api(request: HttpRequest, filters: Query[ProposalQuery]) -> QuerySet[Proposal]:
    user = api_caller(request)
    require(
        has_role(
            user,
            CLIENT_OWNERS
            | {Role.QUALITY_LEAD, Role.EXECUTIVE, Role.LINE_MANAGER, Role.EMPLOYER_CONTACT},
        ),
        PROPOSALS_DENIED,
    )
    if filters.status and filters.status not in ProposalStatus.values:
        raise ValidationError(
            {
                "status": f"'{filters.status}' is not a status; use "
                f"{', '.join(ProposalStatus.values)}."
            }
        )
    proposals = _proposals(user)
    if filters.client is not None:
        proposals = proposals.filter(client_id=filters.client)
    if filters.status:
        proposals = proposals.filter(status=filters.status)
    return proposals


@router.post("/proposals", response={201: ProposalDetailOut}, summary="Draft a proposal")
@api_field_names(
    client="client_id",
    issues="issue_ids",
    sponsor_contact="sponsor_contact_id",
    sponsor_user="sponsor_user_id",
    engagement="engagement_id",
)
def create_proposal_api(request: HttpRequest, payload: ProposalIn) -> Status[Proposal]:
    user = api_caller(request)
    _require_proposal_editing(user)
    client = _visible_client(user, payload.client_id)
    proposal = create_proposal(
        acting_user=user,
        client=client,
        title=payload.title,
        issues=_many(BusinessIssue, payload.issue_ids, "issues", _issues(user)),
        sponsor_contact=_one(Contact, payload.sponsor_contact_id, "sponsor_contact"),
        sponsor_user=_one(User, payload.sponsor_user_id, "sponsor_user"),
        engagement=_one(Engagement, payload.engagement_id, "engagement", _engagements(user)),
    )
    return Status(201, _proposal_detail(user, proposal.pk))


@router.get(
    "/proposals/{proposal_id}",
    response=ProposalDetailOut,
    summary="One proposal with its items, cost lines, total cost, forecast ROI and the rule",
)
def get_proposal_api(request: HttpRequest, proposal_id: int) -> Proposal:
    return _proposal_detail(api_caller(request), proposal_id)


@router.post(
    "/proposals/{proposal_id}/items",
    response={201: ItemOut},
    summary="Add a solution item to a draft",
)
@api_field_names(
    issues="issue_ids",
    metrics="metric_ids",
    competencies="competency_ids",
    course="course_id",
    qualification="qualification_id",
    track="track_id",
)
def add_item_api(request: HttpRequest, proposal_id: int, payload: ItemIn) -> Status[ProposalItem]:
    user = api_caller(request)
    proposal = _proposal(user, proposal_id)
    item = add_item(
        acting_user=user,
        proposal=proposal,
        kind=payload.kind,
        issues=_many(BusinessIssue, payload.issue_ids, "issues", proposal.issues.all()),
        title=payload.title,
        course=_one(Course, payload.course_id, "course"),
        qualification=_one(Qualification, payload.qualification_id, "qualification"),
        track=_one(Track, payload.track_id, "track"),
        people=payload.people,
        cost=payload.cost,
        description=payload.description,
        metrics=_many(Metric, payload.metric_ids, "metrics"),
        competencies=_many(Competency, payload.competency_ids, "competencies"),
    )
    return Status(201, item)


@router.post(
    "/proposals/{proposal_id}/send",
    response=ProposalDetailOut,
    summary="Send a draft to its sponsor (422 `rule_not_met` listing what is missing)",
)
def send_proposal_api(request: HttpRequest, proposal_id: int) -> Proposal:
    user = api_caller(request)
    proposal = _proposal(user, proposal_id)
    try:
        send_proposal(acting_user=user, proposal=proposal)
    except ValidationError as exc:
        if proposal.status != ProposalStatus.DRAFT or hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {"rule": [ValidationError(message, code=RULE_NOT_MET) for message in exc.messages]}
        ) from None
    return _proposal_detail(user, proposal.pk)


@router.post(
    "/proposals/{proposal_id}/accept",
    response=ProposalDetailOut,
    summary="Accept a sent proposal (its sponsor only): its training goes on the plan",
)
def accept_proposal_api(request: HttpRequest, proposal_id: int) -> Proposal:
    user = api_caller(request)
    proposal = _proposal(user, proposal_id)
    accept_proposal(acting_user=user, proposal=proposal)
    return _proposal_detail(user, proposal.pk)


@router.post(
    "/proposals/{proposal_id}/decline",
    response=ProposalDetailOut,
    summary="Decline a sent proposal with the reason (its sponsor only)",
)
def decline_proposal_api(request: HttpRequest, proposal_id: int, payload: DeclineIn) -> Proposal:
    user = api_caller(request)
    proposal = _proposal(user, proposal_id)
    decline_proposal(acting_user=user, proposal=proposal, reason=payload.reason)
    return _proposal_detail(user, proposal.pk)
