"""Writes that follow a recommendation: its items onto a person's development plan, or a team's
or unit's items onto the training plan, in one step.

The recommendation is worked out again from the same inputs (budget, unassessed choice) rather
than taken from the form, so what is planned is what the page showed for the current data and
nobody can post items the optimiser did not choose. The plans' own services check who may write.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import transaction

from milepost.accounts.access import AnyUser, can_triage_needs, own_employee_id, require
from milepost.accounts.models import OrgUnit, User
from milepost.frameworks.models import Competency
from milepost.insights.recommendations import (
    RecommendedOffer,
    TrainingRecommendation,
    recommend_for_person,
    recommend_for_team,
    recommend_for_unit,
)
from milepost.insights.selectors import Unassessed
from milepost.needs.models import PlannedTraining
from milepost.needs.services import TRIAGE_DENIED, add_push_training
from milepost.people.models import Employee
from milepost.reviews.models import DevelopmentPlanItem
from milepost.reviews.services import add_development_item, can_plan_for

OPEN_STATUSES = (DevelopmentPlanItem.Status.PLANNED, DevelopmentPlanItem.Status.IN_PROGRESS)


def _offer_action(chosen: RecommendedOffer) -> str:
    offer = chosen.offer
    kind = "Course" if offer.kind == "course" else "Qualification"
    return f"{kind} {offer.code}: {offer.title}"[:500]


def can_plan_development(user: AnyUser, employee: Employee) -> bool:
    """The person themselves, their line manager or L&D (as `add_development_item`)."""
    return employee.pk == own_employee_id(user) or can_plan_for(user, employee)


@transaction.atomic
def plan_recommended_development(
    *,
    acting_user: User,
    employee: Employee,
    budget: Decimal | None = None,
    unassessed: Unassessed = Unassessed.COUNT,
) -> list[DevelopmentPlanItem]:
    """Put each recommended item on `employee`'s development plan: one plan item a competency it
    raises, to the level it raises it to. Items already planned (same competency and action,
    not done) are not added twice. Returns the new plan items."""
    require(
        can_plan_development(acting_user, employee),
        f"Only {employee.full_name}, their manager or an L&D coordinator plans their development.",
    )
    result = recommend_for_person(acting_user, employee, budget=budget, unassessed=unassessed)
    wanted = [
        (closed.competency_pk, closed.to_level, _offer_action(chosen))
        for chosen in result.offers
        for closed in chosen.closes
    ]
    planned = set(
        DevelopmentPlanItem.objects.filter(employee=employee, status__in=OPEN_STATUSES)
        .filter(competency_id__in=[pk for pk, _, _ in wanted])
        .values_list("competency_id", "action")
    )
    competencies = Competency.objects.select_related("framework__scale").in_bulk(
        [pk for pk, _, _ in wanted]
    )
    added = []
    for competency_pk, level, action in wanted:
        if (competency_pk, action) in planned:
            continue
        added.append(
            add_development_item(
                acting_user=acting_user,
                employee=employee,
                competency=competencies[competency_pk],
                target_level=level,
                action=action,
            )
        )
        planned.add((competency_pk, action))
    return added


def _training_note(result: TrainingRecommendation, chosen: RecommendedOffer, whom: str) -> str:
    closes = "; ".join(
        f"{closed.competency_name} {closed.from_level} to {closed.to_level} "
        f"({closed.people} {'person' if closed.people == 1 else 'people'})"
        for closed in chosen.closes
    )
    people = f"{chosen.people} {'person' if chosen.people == 1 else 'people'}"
    return (
        f"Recommended from the gap analysis of {whom} for {people}, "
        f"{settings.CATALOGUE_CURRENCY} {chosen.cost:,.2f}. Closes: {closes}. "
        f"Requirements assessed: {result.assessed} of {result.required_in_all} "
        f"(unassessed {result.unassessed.label})."
    )


def _plan_training(
    acting_user: User, result: TrainingRecommendation, unit: OrgUnit | None, whom: str
) -> list[PlannedTraining]:
    existing = set(
        PlannedTraining.objects.filter(
            unit=unit, need__isnull=True, theme__isnull=True
        ).values_list("title", flat=True)
    )
    added = []
    for chosen in result.offers:
        title = chosen.offer.title[:200]
        if title in existing:
            continue
        added.append(
            add_push_training(
                acting_user=acting_user,
                title=title,
                unit=unit,
                note=_training_note(result, chosen, whom),
            )
        )
        existing.add(title)
    return added


@transaction.atomic
def plan_team_training(
    *,
    acting_user: User,
    manager: Employee,
    budget: Decimal | None = None,
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> list[PlannedTraining]:
    """Put each item recommended for the manager's team on the training plan (for the manager's
    unit), unless the same title is already planned there without a need. L&D only."""
    require(can_triage_needs(acting_user), TRIAGE_DENIED)
    result = recommend_for_team(acting_user, manager, budget=budget, unassessed=unassessed)
    return _plan_training(acting_user, result, manager.unit, f"the team of {manager.full_name}")


@transaction.atomic
def plan_unit_training(
    *,
    acting_user: User,
    unit: OrgUnit,
    budget: Decimal | None = None,
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> list[PlannedTraining]:
    """Put each item recommended for the unit on the training plan, unless the same title is
    already planned for the unit without a need. L&D only."""
    require(can_triage_needs(acting_user), TRIAGE_DENIED)
    result = recommend_for_unit(acting_user, unit, budget=budget, unassessed=unassessed)
    return _plan_training(acting_user, result, unit, unit.name)
