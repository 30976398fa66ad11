"""Proposals: solution items tied to business issues, the rule that a proposal deals with a
business issue before it is sent, and the lifecycle from draft to accepted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.models import Role, User
from milepost.accounts.services import notify
from milepost.catalogue.costing import cost_for
from milepost.catalogue.models import Course, Qualification, Track
from milepost.clients.models import Client, Contact
from milepost.frameworks.models import Competency
from milepost.needs.models import PlannedTraining
from milepost.proposals.models import (
    TITLE_MAX,
    BusinessIssue,
    CostLine,
    Engagement,
    ItemKind,
    Metric,
    Proposal,
    ProposalEvent,
    ProposalItem,
    ProposalStatus,
)
from milepost.proposals.services.issues import number, require_editor
from milepost.proposals.signals import proposal_accepted

NOT_A_DRAFT = "Only a draft changes; make a new version of a sent proposal to change it."


def _require_draft(proposal: Proposal) -> None:
    if not proposal.is_editable:
        raise ValidationError(NOT_A_DRAFT)


def _check_sponsor(
    client: Client,
    sponsor_contact: Contact | None,
    sponsor_user: User | None,
    errors: dict[str, str],
) -> None:
    """A sponsor is one person: a contact of the client, or an internal user (a line manager)
    for a business unit of the group."""
    if sponsor_contact is not None and sponsor_contact.client_id != client.pk:
        errors["sponsor_contact"] = f"{sponsor_contact} is not a contact of {client}."
    if sponsor_user is not None:
        if sponsor_contact is not None:
            errors["sponsor_user"] = "Name one sponsor: a contact or a colleague, not both."
        elif client.unit_id is None:
            errors["sponsor_user"] = f"{client} is an employer: its sponsor is one of its contacts."
        elif sponsor_user.role == Role.EMPLOYER_CONTACT or not sponsor_user.is_active:
            errors["sponsor_user"] = "An internal sponsor is an active colleague, not a contact."


@transaction.atomic
def create_proposal(
    *,
    acting_user: User,
    client: Client,
    title: str,
    issues: Sequence[BusinessIssue],
    sponsor_contact: Contact | None = None,
    sponsor_user: User | None = None,
    engagement: Engagement | None = None,
) -> Proposal:
    """A draft proposal for `client` addressing `issues` (sending it checks the rule)."""
    require_editor(acting_user, client)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Give the proposal a title."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Keep the title to {TITLE_MAX} characters."
    strangers = [issue.title for issue in issues if issue.client_id != client.pk]
    if strangers:
        errors["issues"] = f"Not business issues of {client}: {', '.join(strangers)}."
    _check_sponsor(client, sponsor_contact, sponsor_user, errors)
    if engagement is not None and engagement.client_id != client.pk:
        errors["engagement"] = f"That engagement is with another client, not {client}."
    if errors:
        raise ValidationError(errors)
    proposal = Proposal.objects.create(
        client=client,
        title=title.strip(),
        sponsor_contact=sponsor_contact,
        sponsor_user=sponsor_user,
        engagement=engagement,
        created_by=acting_user,
    )
    proposal.issues.set(issues)
    return proposal


def _link(relation: Any, targets: list[Any], is_new: bool) -> None:
    """Set a many-to-many link; on a new row add straight away, with nothing to compare with
    (a third fewer queries when "suggest a solution" adds many items)."""
    if not is_new:
        relation.set(targets)
    elif targets:
        relation.add(*targets)


def _save_item(
    item: ProposalItem,
    *,
    kind: str,
    issues: Sequence[BusinessIssue],
    title: str,
    course: Course | None,
    qualification: Qualification | None,
    track: Track | None,
    people: int,
    cost: object,
    description: str,
    metrics: Iterable[Metric],
    competencies: Iterable[Competency],
) -> ProposalItem:
    """Check and write a solution item of a draft (a ValidationError naming each wrong field,
    and nothing written). A catalogue item the item already had may stay when since retired;
    without a cost a course or qualification is priced by the catalogue's costing rule."""
    proposal = item.proposal
    errors: dict[str, str] = {}
    offer = {ItemKind.COURSE: course, ItemKind.QUALIFICATION: qualification, ItemKind.TRACK: track}
    if kind not in ItemKind.values:
        errors["kind"] = f"Kind must be one of {', '.join(ItemKind.values)}."
    elif kind in offer:
        chosen = offer[ItemKind(kind)]
        kept = item.pk is not None and chosen is not None and getattr(item, kind) == chosen
        if chosen is None:
            errors[kind] = f"Choose the {ItemKind(kind).label.lower()}."
        elif not chosen.is_active and not kept:
            errors[kind] = f"{chosen} has been retired from the catalogue; choose a current one."
        title = title or getattr(chosen, "title", "") or str(chosen)
    if not title.strip():
        errors["title"] = "Say what this part of the solution is."
    if not 1 <= people <= 1_000_000:
        errors["people"] = "People must be between 1 and 1,000,000."
    amount = number(cost, "cost", errors)
    if amount is not None and amount < 0:
        errors["cost"] = "A cost cannot be negative."
    strangers = [issue.title for issue in issues if issue.client_id != proposal.client_id]
    if strangers:
        errors["issues"] = f"Not business issues of {proposal.client}: {', '.join(strangers)}."
    metrics = list(metrics)
    issue_ids = {issue.pk for issue in issues}
    loose = [metric.name for metric in metrics if metric.issue_id not in issue_ids]
    if loose:
        errors["metrics"] = (
            f"These measures belong to issues the item does not name: {', '.join(loose)}."
        )
    if errors:
        raise ValidationError(errors)
    if amount is None:
        if kind == ItemKind.COURSE and course is not None:
            amount = cost_for(course, people)
        elif kind == ItemKind.QUALIFICATION and qualification is not None:
            amount = qualification.cost_per_person * people  # a qualification has no runs
        else:
            amount = Decimal("0.00")
    item.kind = kind
    item.course = course if kind == ItemKind.COURSE else None
    item.qualification = qualification if kind == ItemKind.QUALIFICATION else None
    item.track = track if kind == ItemKind.TRACK else None
    item.title = title.strip()[:TITLE_MAX]
    item.description = description.strip()
    item.people = people
    item.cost = amount
    is_new = item.pk is None
    item.save()
    _link(item.issues, list(issues), is_new)
    _link(item.metrics, list(metrics), is_new)
    _link(item.competencies, list(competencies), is_new)
    return item


@transaction.atomic
def add_item(
    *,
    acting_user: User,
    proposal: Proposal,
    kind: str,
    issues: Sequence[BusinessIssue],
    title: str = "",
    course: Course | None = None,
    qualification: Qualification | None = None,
    track: Track | None = None,
    people: int = 1,
    cost: object = None,
    description: str = "",
    metrics: Iterable[Metric] = (),
    competencies: Iterable[Competency] = (),
) -> ProposalItem:
    """Add a solution item. A catalogue item is priced by the catalogue's costing rule unless a
    cost is given; a course, qualification or track since retired is refused."""
    require_editor(acting_user, proposal.client)
    _require_draft(proposal)
    fresh = ProposalItem(proposal=proposal, position=proposal.items.count() + 1)
    return _save_item(
        fresh,
        kind=kind,
        issues=issues,
        title=title,
        course=course,
        qualification=qualification,
        track=track,
        people=people,
        cost=cost,
        description=description,
        metrics=metrics,
        competencies=competencies,
    )


@transaction.atomic
def update_item(
    *,
    acting_user: User,
    item: ProposalItem,
    kind: str,
    issues: Sequence[BusinessIssue],
    title: str = "",
    course: Course | None = None,
    qualification: Qualification | None = None,
    track: Track | None = None,
    people: int = 1,
    cost: object = None,
    description: str = "",
    metrics: Iterable[Metric] = (),
    competencies: Iterable[Competency] = (),
) -> ProposalItem:
    """Change a draft's solution item; a newly chosen retired catalogue item is refused (one the
    item already had may stay). Without a cost the catalogue's costing rule prices it again."""
    require_editor(acting_user, item.proposal.client)
    _require_draft(item.proposal)
    return _save_item(
        item,
        kind=kind,
        issues=issues,
        title=title,
        course=course,
        qualification=qualification,
        track=track,
        people=people,
        cost=cost,
        description=description,
        metrics=metrics,
        competencies=competencies,
    )


@transaction.atomic
def remove_item(*, acting_user: User, item: ProposalItem) -> None:
    """Take a solution item off a draft."""
    require_editor(acting_user, item.proposal.client)
    _require_draft(item.proposal)
    item.delete()


@transaction.atomic
def add_cost_line(*, acting_user: User, proposal: Proposal, label: str, amount: object) -> CostLine:
    require_editor(acting_user, proposal.client)
    _require_draft(proposal)
    errors: dict[str, str] = {}
    if not label.strip():
        errors["label"] = "Say what the cost is for."
    value = number(amount, "amount", errors)
    if value is None and "amount" not in errors:
        errors["amount"] = "Give the amount."
    elif value is not None and value < 0:
        errors["amount"] = "A cost cannot be negative."
    if errors:
        raise ValidationError(errors)
    assert value is not None
    return CostLine.objects.create(proposal=proposal, label=label.strip()[:200], amount=value)


@transaction.atomic
def remove_cost_line(*, acting_user: User, line: CostLine) -> None:
    require_editor(acting_user, line.proposal.client)
    _require_draft(line.proposal)
    line.delete()


PROPOSAL_TEXT_FIELDS = (
    "learning_objectives",
    "evaluation_plan",
    "benefit_assumptions",
    "timeline",
    "responsibilities",
    "risks",
)


@transaction.atomic
def update_proposal(
    *,
    acting_user: User,
    proposal: Proposal,
    title: str | None = None,
    issues: Sequence[BusinessIssue] | None = None,
    sponsor_contact: Contact | None = None,
    sponsor_user: User | None = None,
    forecast_benefit: object = None,
    **texts: str,
) -> Proposal:
    """Change a draft's title, issues, sponsor, forecast benefit and its text fields
    (PROPOSAL_TEXT_FIELDS); a field left out (None) keeps its value, except the sponsor and the
    forecast benefit, which are always set."""
    require_editor(acting_user, proposal.client)
    _require_draft(proposal)
    errors: dict[str, str] = {}
    unknown = set(texts) - set(PROPOSAL_TEXT_FIELDS)
    if unknown:
        raise ValueError(f"Not a proposal text field: {', '.join(sorted(unknown))}")
    if title is not None:
        if not title.strip():
            errors["title"] = "Give the proposal a title."
        elif len(title) > TITLE_MAX:
            errors["title"] = f"Keep the title to {TITLE_MAX} characters."
    if issues is not None:
        strangers = [issue.title for issue in issues if issue.client_id != proposal.client_id]
        if strangers:
            errors["issues"] = f"Not business issues of {proposal.client}: {', '.join(strangers)}."
    _check_sponsor(proposal.client, sponsor_contact, sponsor_user, errors)
    benefit = number(forecast_benefit, "forecast_benefit", errors)
    if benefit is not None and benefit < 0:
        errors["forecast_benefit"] = "A forecast benefit cannot be negative; leave it empty."
    if errors:
        raise ValidationError(errors)
    if title is not None:
        proposal.title = title.strip()
    proposal.sponsor_contact = sponsor_contact
    proposal.sponsor_user = sponsor_user
    proposal.forecast_benefit = benefit
    for name, value in texts.items():
        setattr(proposal, name, value.strip())
    proposal.save()
    if issues is not None:
        proposal.issues.set(issues)
    return proposal


def total_cost(proposal: Proposal) -> Decimal:
    """The fully loaded cost: every item and every extra cost line."""
    items = sum((item.cost for item in proposal.items.all()), Decimal("0"))
    lines = sum((line.amount for line in proposal.cost_lines.all()), Decimal("0"))
    return items + lines


def forecast_roi(proposal: Proposal) -> tuple[Decimal | None, Decimal | None]:
    """(ROI %, benefit-cost ratio) from the forecast benefit (Phillips: net benefit over cost)."""
    cost = total_cost(proposal)
    if proposal.forecast_benefit is None or cost <= 0:
        return None, None
    ratio = proposal.forecast_benefit / cost
    return ((proposal.forecast_benefit - cost) / cost * 100).quantize(
        Decimal("0.1")
    ), ratio.quantize(Decimal("0.01"))


# --- the rule -----------------------------------------------------------------------------------


def _related(proposal: Proposal, name: str, inner: str) -> list[Any]:
    """`proposal.<name>` with each row's `<inner>`: the rows a caller prefetched (a list page
    checks many proposals in a few queries), else fetched now without caching them on it."""
    if name in getattr(proposal, "_prefetched_objects_cache", {}):
        return list(getattr(proposal, name).all())
    return list(getattr(proposal, name).prefetch_related(inner))


def rule_problems(proposal: Proposal) -> list[str]:
    """Why `proposal` may not be sent yet (empty when it may): it deals with at least one
    business issue with a complete metric, and every solution item names the issue it answers."""
    problems: list[str] = []
    issues = _related(proposal, "issues", "metrics")
    if not issues:
        problems.append("Name at least one business issue the proposal addresses.")
    complete = [metric for issue in issues for metric in issue.metrics.all() if not metric.missing]
    if issues and not complete:
        for issue in issues:
            metrics = list(issue.metrics.all())
            if not metrics:
                problems.append(f"Business issue \u201c{issue}\u201d has no metric.")
            for metric in metrics:
                problems.append(
                    f"Metric \u201c{metric}\u201d of \u201c{issue}\u201d has no "
                    + ", no ".join(metric.missing)
                    + "."
                )
    items = _related(proposal, "items", "issues")
    if not items:
        problems.append("Add at least one solution item.")
    for item in items:
        if not item.issues.all():
            problems.append(f"Solution item \u201c{item}\u201d names no business issue it answers.")
    return problems


def meets_rule(proposal: Proposal) -> bool:
    return not rule_problems(proposal)


# --- lifecycle ----------------------------------------------------------------------------------


def _event(proposal: Proposal, status: str, by: User | None, note: str = "") -> None:
    ProposalEvent.objects.create(proposal=proposal, status=status, by=by, note=note)


def proposal_url(proposal: Proposal) -> str:
    return reverse("proposals:proposal-detail", args=[proposal.pk])


def sponsor_login(proposal: Proposal) -> User | None:
    if proposal.sponsor_user is not None:
        return proposal.sponsor_user
    if proposal.sponsor_contact is not None:
        return proposal.sponsor_contact.user
    return None


@transaction.atomic
def send_proposal(*, acting_user: User, proposal: Proposal) -> Proposal:
    """Send a draft to its sponsor, once it meets the rule (the error lists what is missing)."""
    require_editor(acting_user, proposal.client)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.DRAFT:
        raise ValidationError(
            f"This proposal is {proposal.get_status_display().lower()}, not a draft."
        )
    problems = rule_problems(proposal)
    if sponsor_login(proposal) is None:
        problems.append("Name a sponsor with a login, who will accept or decline it.")
    if problems:
        raise ValidationError(problems)
    proposal.status = ProposalStatus.SENT
    proposal.sent_at = timezone.now()
    proposal.save(update_fields=["status", "sent_at", "updated_at"])
    _event(proposal, ProposalStatus.SENT, acting_user)
    sponsor = sponsor_login(proposal)
    assert sponsor is not None
    notify(
        recipient=sponsor,
        message=f"A proposal for {proposal.client} waits for your answer: {proposal.title}",
        url=proposal_url(proposal),
    )
    return proposal


def _require_sponsor(acting_user: User, proposal: Proposal) -> None:
    if sponsor_login(proposal) != acting_user:
        raise PermissionDenied("Only the proposal's sponsor accepts or declines it.")


@transaction.atomic
def accept_proposal(*, acting_user: User, proposal: Proposal) -> Proposal:
    """The sponsor accepts: each training item becomes a training plan entry linked back to it."""
    proposal = Proposal.objects.select_for_update().select_related("client").get(pk=proposal.pk)
    _require_sponsor(acting_user, proposal)
    if proposal.status != ProposalStatus.SENT:
        raise ValidationError(
            f"This proposal is {proposal.get_status_display().lower()}; only a sent proposal "
            "can be accepted."
        )
    proposal.status = ProposalStatus.ACCEPTED
    proposal.decided_at = timezone.now()
    proposal.decided_by = acting_user
    proposal.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    for item in proposal.items.exclude(kind=ItemKind.NON_TRAINING):
        item.plan_entry = PlannedTraining.objects.create(
            title=item.title[:200],
            unit=proposal.client.unit,
            note=f"From proposal \u201c{proposal.title}\u201d (v{proposal.number}).",
            planned_by=acting_user,
        )
        item.save(update_fields=["plan_entry"])
    for issue in proposal.issues.filter(status="open"):
        issue.status = "addressing"
        issue.save(update_fields=["status", "updated_at"])
    _event(proposal, ProposalStatus.ACCEPTED, acting_user)
    proposal_accepted.send(sender=Proposal, proposal=proposal)
    if proposal.created_by is not None:
        notify(
            recipient=proposal.created_by,
            message=f"{acting_user} accepted the proposal \u201c{proposal.title}\u201d.",
            url=proposal_url(proposal),
        )
    return proposal


@transaction.atomic
def decline_proposal(*, acting_user: User, proposal: Proposal, reason: str) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _require_sponsor(acting_user, proposal)
    if proposal.status != ProposalStatus.SENT:
        raise ValidationError("Only a sent proposal can be declined.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the proposal is declined."})
    proposal.status = ProposalStatus.DECLINED
    proposal.decline_reason = reason.strip()
    proposal.decided_at = timezone.now()
    proposal.decided_by = acting_user
    proposal.save(
        update_fields=["status", "decline_reason", "decided_at", "decided_by", "updated_at"]
    )
    _event(proposal, ProposalStatus.DECLINED, acting_user, reason.strip())
    return proposal


@transaction.atomic
def withdraw_proposal(*, acting_user: User, proposal: Proposal, note: str = "") -> Proposal:
    require_editor(acting_user, proposal.client)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if ProposalStatus.WITHDRAWN not in proposal.next_statuses:
        raise ValidationError(
            f"A {proposal.get_status_display().lower()} proposal cannot be withdrawn."
        )
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    _event(proposal, ProposalStatus.WITHDRAWN, acting_user, note.strip())
    return proposal


@transaction.atomic
def new_version(*, acting_user: User, proposal: Proposal) -> Proposal:
    """A new draft copying a sent or declined proposal, which is superseded; versions keep their
    text."""
    require_editor(acting_user, proposal.client)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if ProposalStatus.SUPERSEDED not in proposal.next_statuses:
        raise ValidationError(
            f"A {proposal.get_status_display().lower()} proposal gets no new version."
        )
    copy_fields = [
        "client",
        "title",
        "engagement",
        "sponsor_contact",
        "sponsor_user",
        "learning_objectives",
        "evaluation_plan",
        "forecast_benefit",
        "benefit_assumptions",
        "timeline",
        "responsibilities",
        "risks",
    ]
    fresh = Proposal.objects.create(
        **{name: getattr(proposal, name) for name in copy_fields},
        number=proposal.number + 1,
        previous=proposal,
        created_by=acting_user,
    )
    fresh.issues.set(proposal.issues.all())
    for item in proposal.items.prefetch_related("issues", "metrics", "competencies"):
        copy = ProposalItem.objects.create(
            proposal=fresh,
            position=item.position,
            kind=item.kind,
            course=item.course,
            qualification=item.qualification,
            track=item.track,
            title=item.title,
            description=item.description,
            people=item.people,
            cost=item.cost,
        )
        copy.issues.set(item.issues.all())
        copy.metrics.set(item.metrics.all())
        copy.competencies.set(item.competencies.all())
    CostLine.objects.bulk_create(
        CostLine(proposal=fresh, label=line.label, amount=line.amount)
        for line in proposal.cost_lines.all()
    )
    proposal.status = ProposalStatus.SUPERSEDED
    proposal.save(update_fields=["status", "updated_at"])
    _event(proposal, ProposalStatus.SUPERSEDED, acting_user, f"Version {fresh.number} drafted.")
    return fresh


def rule_share(proposals: Iterable[Proposal]) -> tuple[int, int]:
    """(proposals meeting the rule, proposals sent) among `proposals` that left draft."""
    sent = [p for p in proposals if p.status != ProposalStatus.DRAFT]
    return sum(1 for p in sent if meets_rule(p)), len(sent)
