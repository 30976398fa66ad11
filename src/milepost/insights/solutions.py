""" "Suggest a solution": fill a draft proposal's items from the recommendation engine for the
people concerned (the client's unit, a team, or a list of people), within an optional budget.

It lives in insights (floor 4) because it reads the gap engine; the proposal is written only
through `proposals.services.proposals.add_item`, so every item is checked as one typed by hand
(an editor of the client, a draft, a current catalogue offer, a cost that is not negative).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from milepost.accounts.access import AnyUser
from milepost.accounts.models import OrgUnit, User
from milepost.catalogue.models import Course, Qualification
from milepost.frameworks.models import Competency
from milepost.insights.recommendations import (
    GapRow,
    RecommendedOffer,
    TrainingRecommendation,
    recommend_for_people,
    recommend_for_team,
    recommend_for_unit,
)
from milepost.insights.selectors import Unassessed
from milepost.people.models import Employee
from milepost.proposals.models import ItemKind, Proposal, ProposalItem
from milepost.proposals.services.issues import require_editor
from milepost.proposals.services.proposals import NOT_A_DRAFT, add_item

# A team is named by its manager; a list of people by the people.
Target = OrgUnit | Employee | Sequence[Employee]

NO_ISSUE = (
    "Name the business issues the proposal addresses before suggesting a solution: every "
    "suggested item names them, as the rule asks."
)


@dataclass(frozen=True)
class SolutionSummary:
    """What "suggest a solution" added to the proposal."""

    recommendation: TrainingRecommendation
    items: list[ProposalItem] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)  # offers the proposal already held

    @property
    def total_cost(self) -> Decimal:
        return sum((item.cost for item in self.items), Decimal("0"))

    @property
    def gap_closed(self) -> float:
        return self.recommendation.closed

    @property
    def total_gap(self) -> float:
        return self.recommendation.total_gap

    @property
    def uncovered(self) -> list[GapRow]:
        return self.recommendation.uncovered


def check_target(proposal: Proposal, target: Target) -> None:
    """A unit must be the proposal's client's unit (or below it); a list must name someone."""
    if isinstance(target, OrgUnit):
        unit = proposal.client.unit
        if unit is None or not target.path.startswith(unit.path):
            raise ValidationError(
                {"target": f"{target.name} is not the unit of {proposal.client} or below it."}
            )
    elif not isinstance(target, Employee) and not list(target):
        raise ValidationError({"people": "Choose at least one person to recommend for."})


def recommend_for_target(
    user: AnyUser,
    target: Target,
    *,
    budget: Decimal | None = None,
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> TrainingRecommendation:
    """The recommendation for a unit, a team (its manager) or a list of people."""
    if isinstance(target, OrgUnit):
        return recommend_for_unit(user, target, budget=budget, unassessed=unassessed)
    if isinstance(target, Employee):
        return recommend_for_team(user, target, budget=budget, unassessed=unassessed)
    return recommend_for_people(user, list(target), budget=budget, unassessed=unassessed)


def preview_solution(
    *,
    acting_user: User,
    proposal: Proposal,
    target: Target,
    budget: Decimal | None = None,
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> TrainingRecommendation:
    """What `suggest_solution` would add, without writing (same checks)."""
    require_editor(acting_user, proposal.client)
    if not proposal.is_editable:
        raise ValidationError(NOT_A_DRAFT)
    check_target(proposal, target)
    return recommend_for_target(acting_user, target, budget=budget, unassessed=unassessed)


def _offer_records(
    offers: list[RecommendedOffer],
) -> tuple[dict[int, Course], dict[int, Qualification]]:
    courses = [chosen.offer.pk for chosen in offers if chosen.offer.kind == "course"]
    qualifications = [chosen.offer.pk for chosen in offers if chosen.offer.kind != "course"]
    return Course.objects.in_bulk(courses), Qualification.objects.in_bulk(qualifications)


def _description(chosen: RecommendedOffer) -> str:
    closes = "; ".join(
        f"{closed.people} {'person' if closed.people == 1 else 'people'} on "
        f"{closed.competency_name} from level {closed.from_level} to {closed.to_level}"
        for closed in chosen.closes
    )
    return f"Suggested from the gap analysis. Raises: {closes}."


@transaction.atomic
def suggest_solution(
    *,
    acting_user: User,
    proposal: Proposal,
    target: Target,
    budget: Decimal | None = None,
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> SolutionSummary:
    """Add one item per recommended course or qualification to a draft proposal: for the people
    it raises, at the recommendation's cost, raising the gaps it closes, naming every issue of
    the proposal. Offers the proposal already holds are not added twice. One transaction."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("client__unit")
        .get(pk=proposal.pk)
    )
    result = preview_solution(
        acting_user=acting_user,
        proposal=proposal,
        target=target,
        budget=budget,
        unassessed=unassessed,
    )
    issues = list(proposal.issues.all())
    if not issues:
        raise ValidationError(NO_ISSUE)
    held = set(
        proposal.items.filter(kind__in=[ItemKind.COURSE, ItemKind.QUALIFICATION]).values_list(
            "kind", "course_id", "qualification_id"
        )
    )
    held_offers = {(kind, course or qualification) for kind, course, qualification in held}
    courses, qualifications = _offer_records(result.offers)
    competencies = Competency.objects.in_bulk(
        {closed.competency_pk for chosen in result.offers for closed in chosen.closes}
    )
    added: list[ProposalItem] = []
    already: list[str] = []
    for chosen in result.offers:
        offer = chosen.offer
        kind = ItemKind.COURSE if offer.kind == "course" else ItemKind.QUALIFICATION
        if (kind, offer.pk) in held_offers:
            already.append(offer.title)
            continue
        added.append(
            add_item(
                acting_user=acting_user,
                proposal=proposal,
                kind=kind,
                issues=issues,
                course=courses.get(offer.pk) if kind == ItemKind.COURSE else None,
                qualification=qualifications.get(offer.pk)
                if kind == ItemKind.QUALIFICATION
                else None,
                people=max(chosen.people, 1),
                cost=chosen.cost,
                description=_description(chosen),
                competencies=[
                    competencies[closed.competency_pk]
                    for closed in chosen.closes
                    if closed.competency_pk in competencies
                ],
            )
        )
    return SolutionSummary(recommendation=result, items=added, already_there=already)
