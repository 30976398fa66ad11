"""Training recommendations for one person's gaps: the Django adapter of engines.recommend.

Reads the person's gaps from the cached gap engine and the catalogue's offers for those
competencies, hands both to the optimiser as arrays, and turns its answer back into rows a page
can show: which course or qualification to take, at what cost, and which gap each one closes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from milepost.accounts.access import AnyUser
from milepost.catalogue.selectors import Offer, offers_for_competencies
from milepost.engines.recommend import Recommendation, RecommendInputs, recommend
from milepost.insights.selectors import RequirementGap, person_gaps
from milepost.people.models import Employee


@dataclass(frozen=True)
class ClosedGap:
    competency_name: str
    from_level: int
    to_level: int
    required_level: int
    weighted_value: float

    @property
    def full(self) -> bool:
        return self.to_level >= self.required_level


@dataclass(frozen=True)
class RecommendedOffer:
    offer: Offer
    cost: Decimal
    closes: list[ClosedGap] = field(default_factory=list)


@dataclass(frozen=True)
class PersonRecommendation:
    employee: Employee
    has_profile: bool
    budget: Decimal | None
    gaps: list[RequirementGap]  # the person's requirements with a gap, largest first
    offers: list[RecommendedOffer]  # the chosen set, in catalogue order
    uncovered: list[RequirementGap]  # gaps no active offer raises at all: gaps in the catalogue
    result: Recommendation | None  # None when there is nothing to close or nothing offered

    @property
    def cost(self) -> Decimal:
        return sum((chosen.cost for chosen in self.offers), Decimal("0"))

    @property
    def total_gap(self) -> float:
        return sum(gap.weighted_gap for gap in self.gaps)

    @property
    def closed(self) -> float:
        return self.result.closed if self.result else 0.0

    @property
    def share_closed(self) -> float:
        return self.closed / self.total_gap if self.total_gap else 0.0


def recommend_for_person(
    user: AnyUser, employee: Employee, *, budget: Decimal | None = None
) -> PersonRecommendation:
    """The least-cost set of catalogue items that closes the most of `employee`'s weighted gap
    (within `budget` if given). An individual pays the per-person price; per-run costs are the
    organiser's and are left out for one person."""
    standing = person_gaps(user, employee)
    gaps = [row for row in standing.requirements if row.gap > 0]
    offers = offers_for_competencies(row.competency_pk for row in gaps)
    reached = {pk for offer in offers for pk in offer.levels}

    def current(row: RequirementGap) -> int:
        return row.agreed_level or 0

    uncovered = [
        row
        for row in gaps
        if row.competency_pk not in reached
        or not any(offer.levels.get(row.competency_pk, 0) > current(row) for offer in offers)
    ]
    if not gaps or not offers:
        return PersonRecommendation(
            employee, employee.job_profile_id is not None, budget, gaps, [], uncovered, None
        )
    column = {row.competency_pk: at for at, row in enumerate(gaps)}
    outcome_item, outcome_competency, outcome_level = [], [], []
    for item, offer in enumerate(offers):
        for competency_pk, level in offer.levels.items():
            if competency_pk in column and level > 0:
                outcome_item.append(item)
                outcome_competency.append(column[competency_pk])
                outcome_level.append(level)
    inputs = RecommendInputs(
        n_competencies=len(gaps),
        gap_competency=np.arange(len(gaps)),
        gap_current=np.array([current(row) for row in gaps]),
        gap_required=np.array([row.required_level for row in gaps]),
        gap_weight=np.array([row.weight for row in gaps], dtype=float),
        item_cost=np.array([float(offer.cost_per_person) for offer in offers]),
        outcome_item=np.array(outcome_item, dtype=np.int64),
        outcome_competency=np.array(outcome_competency, dtype=np.int64),
        outcome_level=np.array(outcome_level, dtype=np.int64),
    )
    result = recommend(inputs, budget=float(budget) if budget is not None else None)
    chosen = []
    for item in result.items.tolist():
        offer = offers[item]
        closes = [
            ClosedGap(
                competency_name=gaps[row.gap].competency_name,
                from_level=row.from_level,
                to_level=row.to_level,
                required_level=gaps[row.gap].required_level,
                weighted_value=row.value,
            )
            for row in result.closes(item)
        ]
        chosen.append(RecommendedOffer(offer, offer.cost_per_person, closes))
    return PersonRecommendation(
        employee, employee.job_profile_id is not None, budget, gaps, chosen, uncovered, result
    )
