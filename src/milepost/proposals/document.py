"""The proposal document: the business issue and its metrics first, then the analysis, then the
solution, ending with the golden thread (issue -> metric -> item -> competencies -> evaluation).

`document_proposals` narrows proposals to what a reader may see; `build_document` reads one in a
fixed number of queries whatever its item count; `render_document_html` and
`render_document_pdf` print it (WeasyPrint, as the catalogue booklet does) with one template.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from milepost.accounts.access import AnyUser, proposal_filter
from milepost.catalogue.booklet import local_only_url_fetcher
from milepost.frameworks.models import Competency
from milepost.proposals.models import (
    BusinessIssue,
    CostLine,
    Engagement,
    Metric,
    Proposal,
    ProposalItem,
    ProposalStatus,
)
from milepost.proposals.services.proposals import forecast_roi


def document_proposals(user: AnyUser | None) -> QuerySet[Proposal]:
    """The proposals whose document `user` may read (None: an operator on the command line),
    each fetched with everything its document shows, in nine queries (eight without an
    engagement) whatever the number of items."""
    proposals = _with_everything(Proposal.objects.all())
    if user is None:
        return proposals
    scope = proposal_filter(user)
    return proposals if scope is None else proposals.filter(scope)


def figure(value: Decimal | None) -> str:
    """A stored measure as people write it: 130.0000 -> "130", 1250.5 -> "1,250.5"."""
    if value is None:
        return ""
    return format(value.normalize(), ",f")


# The golden thread repeats the evaluation plan on every row: a long plan is cut to its first
# sentence there (the whole plan is in the solution section), or 40 rows fill 15 pages.
THREAD_EVALUATION_MAX = 200


def thread_evaluation(plan: str) -> tuple[str, bool]:
    """The evaluation plan as the golden thread shows it, and whether it was shortened."""
    plan = " ".join(plan.split())
    if len(plan) <= THREAD_EVALUATION_MAX:
        return plan, False
    first = re.split(r"(?<=[.;])\s", plan, maxsplit=1)[0]
    if len(first) > THREAD_EVALUATION_MAX:
        first = first[:THREAD_EVALUATION_MAX].rsplit(" ", 1)[0] + "\u2026"
    return first, True


@dataclass(frozen=True)
class MetricLine:
    """A metric with its values written out; a missing part reads "not set yet"."""

    metric: Metric

    def _value(self, value: Decimal | None) -> str:
        if value is None:
            return ""
        unit = self.metric.unit.strip()
        return f"{figure(value)} {unit}" if unit else figure(value)

    @property
    def baseline(self) -> str:
        return self._value(self.metric.baseline_value)

    @property
    def target(self) -> str:
        return self._value(self.metric.target_value)


@dataclass(frozen=True)
class IssueSection:
    issue: BusinessIssue
    metrics: list[MetricLine]


@dataclass(frozen=True)
class Cause:
    label: str
    text: str


@dataclass(frozen=True)
class Analysis:
    """The engagement's performance analysis, as far as it has got."""

    engagement: Engagement
    capability: list[Competency]
    environment: list[Cause]  # only the causes written down


@dataclass(frozen=True)
class ItemLine:
    item: ProposalItem
    issues: list[BusinessIssue]
    metrics: list[Metric]
    competencies: list[Competency]


@dataclass(frozen=True)
class ThreadRow:
    """One strand of the golden thread: an issue, its measures, the item answering it."""

    issue: BusinessIssue | None
    metrics: list[MetricLine]
    item: ItemLine | None


@dataclass(frozen=True)
class ProposalDocument:
    proposal: Proposal
    sponsor: str
    issues: list[IssueSection]
    analysis: Analysis | None
    items: list[ItemLine]
    cost_lines: list[CostLine]
    items_cost: Decimal
    lines_cost: Decimal
    total_cost: Decimal
    roi: Decimal | None
    benefit_cost_ratio: Decimal | None
    thread: list[ThreadRow]
    thread_evaluation: str
    evaluation_shortened: bool
    currency: str
    generated_on: datetime.date

    @property
    def is_draft(self) -> bool:
        return self.proposal.status == ProposalStatus.DRAFT

    @property
    def filename(self) -> str:
        return f"proposal-{self.proposal.pk}-v{self.proposal.number}.pdf"


def _with_everything(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    by_name = Competency.objects.order_by("name", "pk")
    return proposals.select_related(
        "client", "engagement", "engagement__sponsor", "sponsor_contact", "sponsor_user"
    ).prefetch_related(
        Prefetch(
            "issues",
            queryset=BusinessIssue.objects.select_related("owner")
            .prefetch_related("metrics")
            .order_by("priority", "pk"),
        ),
        Prefetch(
            "items",
            queryset=ProposalItem.objects.order_by("position", "pk").prefetch_related(
                Prefetch("issues", queryset=BusinessIssue.objects.order_by("priority", "pk")),
                "metrics",
                Prefetch("competencies", queryset=by_name),
            ),
        ),
        "cost_lines",
        Prefetch("engagement__capability", queryset=by_name),
    )


def _analysis(engagement: Engagement | None) -> Analysis | None:
    if engagement is None:
        return None
    causes = [
        Cause("Tools", engagement.cause_tools),
        Cause("Process", engagement.cause_process),
        Cause("Incentives", engagement.cause_incentives),
        Cause("Information", engagement.cause_information),
    ]
    return Analysis(
        engagement=engagement,
        capability=list(engagement.capability.all()),
        environment=[cause for cause in causes if cause.text.strip()],
    )


def _thread(issues: list[IssueSection], items: list[ItemLine]) -> list[ThreadRow]:
    """A row per issue and item answering it (the measures the item names, else all the
    issue's); an issue no item answers and an item naming no issue get a row of their own, so
    a gap in the thread shows."""
    rows: list[ThreadRow] = []
    sections = {section.issue.pk: section for section in issues}
    # Issues an item names beyond the proposal's own list still belong in the thread.
    order = list(sections)
    for line in items:
        for issue in line.issues:
            if issue.pk not in order:
                order.append(issue.pk)
    for issue_pk in order:
        section = sections.get(issue_pk)
        answering = [line for line in items if any(i.pk == issue_pk for i in line.issues)]
        if section is not None and not answering:
            rows.append(ThreadRow(issue=section.issue, metrics=section.metrics, item=None))
        for line in answering:
            issue = next(i for i in line.issues if i.pk == issue_pk)
            named = [MetricLine(m) for m in line.metrics if m.issue_id == issue_pk]
            if not named and section is not None:
                named = section.metrics
            rows.append(ThreadRow(issue=issue, metrics=named, item=line))
    rows.extend(ThreadRow(issue=None, metrics=[], item=line) for line in items if not line.issues)
    return rows


def build_document(proposal: Proposal) -> ProposalDocument:
    """The document's content for `proposal`, found through `document_proposals` (so this
    reads nothing more from the database)."""
    issues = [
        IssueSection(issue=issue, metrics=[MetricLine(metric) for metric in issue.metrics.all()])
        for issue in proposal.issues.all()
    ]
    items = [
        ItemLine(
            item=item,
            issues=list(item.issues.all()),
            metrics=list(item.metrics.all()),
            competencies=list(item.competencies.all()),
        )
        for item in proposal.items.all()
    ]
    cost_lines = list(proposal.cost_lines.all())
    items_cost = sum((line.item.cost for line in items), Decimal("0"))
    lines_cost = sum((line.amount for line in cost_lines), Decimal("0"))
    # The services' own sums, over the rows prefetched above (no further query).
    roi, ratio = forecast_roi(proposal)
    evaluation, shortened = thread_evaluation(proposal.evaluation_plan)
    if proposal.sponsor_contact is not None:
        contact = proposal.sponsor_contact
        sponsor = f"{contact.name}, {contact.job_title}" if contact.job_title else contact.name
    elif proposal.sponsor_user is not None:
        sponsor = proposal.sponsor_user.get_full_name() or proposal.sponsor_user.username
    else:
        sponsor = ""
    return ProposalDocument(
        proposal=proposal,
        sponsor=sponsor,
        issues=issues,
        analysis=_analysis(proposal.engagement),
        items=items,
        cost_lines=cost_lines,
        items_cost=items_cost,
        lines_cost=lines_cost,
        total_cost=items_cost + lines_cost,
        roi=roi,
        benefit_cost_ratio=ratio,
        thread=_thread(issues, items),
        thread_evaluation=evaluation,
        evaluation_shortened=shortened,
        currency=settings.CATALOGUE_CURRENCY,
        generated_on=timezone.localdate(),
    )


def render_document_html(document: ProposalDocument) -> str:
    """The document as a standalone HTML page with its print stylesheet (what is printed)."""
    return render_to_string("proposals/document/print.html", {"document": document})


def render_document_pdf(document: ProposalDocument) -> bytes:
    """The document printed to A4 PDF. It is self-contained: nothing is fetched but data: URLs
    and local files (the booklet's fetcher), so a link in a title stays text."""
    from weasyprint import HTML  # imported here: loading pango costs ~0.3 s

    pdf = HTML(
        string=render_document_html(document), url_fetcher=local_only_url_fetcher()
    ).write_pdf()
    assert pdf is not None  # write_pdf returns bytes when no target is given
    return bytes(pdf)
