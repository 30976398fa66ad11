"""Training recommendations for a person's, a team's or a unit's gaps: the Django adapter of
engines.recommend.

Reads the gaps from the cached gap engine and the catalogue's offers for those competencies,
hands both to the optimiser as arrays, and turns its answer back into rows a page can show:
which course or qualification to take, at what cost, and which gap each one closes.

A team or unit is aggregated with numpy straight from the engine's per-person requirement slots
(no query per person): its gap rows are (competency, current level, required level, weight) with
the number of people in each. Every item is priced by `catalogue.costing.cost_for` for the
people it would be bought for: one for a person, each distinct person it would raise on a gap
for a team or unit, in as many runs as its places need (docs/recommend.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from milepost.accounts.access import AnyUser
from milepost.accounts.models import OrgUnit
from milepost.catalogue.costing import cost_for
from milepost.catalogue.selectors import Offer, offers_for_competencies
from milepost.engines.gaps import GapEngine
from milepost.engines.recommend import Recommendation, RecommendInputs, recommend
from milepost.engines.recommend.inputs import MAX_LEVEL
from milepost.insights.gaps import GapSnapshot, current_gaps
from milepost.insights.selectors import (
    Unassessed,
    competency_names_by_pk,
    direct_reports,
    in_scope,
    person_gaps,
    subtree,
)
from milepost.people.models import Employee
from milepost.people.selectors import visible_employees

Ints = npt.NDArray[np.int64]

# A page must answer: after this many seconds without an exact answer the optimiser's greedy
# choice is shown, flagged. A unit of 100,000 people (15,000 gap rows, 500 courses) solves in
# 0.2-0.6 s, so this is a guard, not the usual path.
SOLVER_TIME_LIMIT = 2.0


@dataclass(frozen=True)
class GapRow:
    """`people` short on a competency from `current_level` to `required_level` (a person: 1)."""

    competency_pk: int
    competency_name: str
    current_level: int  # the agreed level, 0 when not assessed
    required_level: int
    weight: float
    people: int = 1

    @property
    def weighted_gap(self) -> float:
        return self.people * self.weight * (self.required_level - self.current_level)


@dataclass(frozen=True)
class ClosedGap:
    competency_pk: int
    competency_name: str
    from_level: int
    to_level: int
    required_level: int
    weighted_value: float
    people: int = 1

    @property
    def full(self) -> bool:
        return self.to_level >= self.required_level


@dataclass(frozen=True)
class RecommendedOffer:
    offer: Offer
    cost: Decimal  # for this target
    closes: list[ClosedGap] = field(default_factory=list)
    people: int = 1  # people it would be bought for: everyone it raises on a gap


@dataclass(frozen=True, kw_only=True)
class TrainingRecommendation:
    """The recommended set for one target (a person, a team or a unit)."""

    budget: Decimal | None
    people: int  # people whose gaps were counted
    gaps: list[GapRow]  # the target's gap rows, largest weighted gap first
    offers: list[RecommendedOffer]  # the chosen set, in catalogue order
    uncovered: list[GapRow]  # rows no active offer raises at all: gaps in the catalogue
    result: Recommendation | None  # None when there is nothing to close or nothing offered
    # Data coverage: requirements with an agreed level out of every requirement of the people
    # counted, and what the gaps did with the rest.
    assessed: int
    required_in_all: int
    unassessed: Unassessed

    @property
    def not_assessed(self) -> int:
        return self.required_in_all - self.assessed

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

    @property
    def per_person(self) -> bool:
        """One person's recommendation: prices are per person, rows have no head count."""
        return False


@dataclass(frozen=True, kw_only=True)
class PersonRecommendation(TrainingRecommendation):
    employee: Employee
    has_profile: bool

    @property
    def per_person(self) -> bool:
        return True


@dataclass(frozen=True, kw_only=True)
class TeamRecommendation(TrainingRecommendation):
    manager: Employee


@dataclass(frozen=True, kw_only=True)
class UnitRecommendation(TrainingRecommendation):
    unit: OrgUnit


@dataclass(frozen=True, kw_only=True)
class PeopleRecommendation(TrainingRecommendation):
    employees: list[Employee]  # the people asked for that the user may see and are active


# --- the three targets ----------------------------------------------------------------------


def recommend_for_person(
    user: AnyUser,
    employee: Employee,
    *,
    budget: Decimal | None = None,
    unassessed: Unassessed = Unassessed.COUNT,
) -> PersonRecommendation:
    """The least-cost set of catalogue items that closes the most of `employee`'s weighted gap
    (within `budget` if given). Each item is priced for one person: its cost per person plus
    the seat's share of a run (the whole run when its places are unlimited). A requirement
    nobody has assessed counts from level 0 unless `unassessed` leaves it out."""
    standing = person_gaps(user, employee, unassessed=unassessed)
    rows = [
        GapRow(
            competency_pk=row.competency_pk,
            competency_name=row.competency_name,
            current_level=row.agreed_level or 0,
            required_level=row.required_level,
            weight=row.weight,
        )
        for row in standing.requirements
        if row.gap > 0 and not row.left_out
    ]
    offers = offers_for_competencies(row.competency_pk for row in rows)
    chosen, uncovered, result = _optimise(
        rows, offers, [cost_for(offer, 1) for offer in offers], [1] * len(offers), budget
    )
    return PersonRecommendation(
        employee=employee,
        has_profile=employee.job_profile_id is not None,
        budget=budget,
        people=1 if standing.in_analysis else 0,
        gaps=rows,
        offers=chosen,
        uncovered=uncovered,
        result=result,
        assessed=standing.summary.assessed,
        required_in_all=standing.summary.required_in_all,
        unassessed=unassessed,
    )


def recommend_for_team(
    user: AnyUser,
    manager: Employee,
    *,
    budget: Decimal | None = None,
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> TeamRecommendation:
    """The recommended set for the manager's active direct reports that the user may see (the
    team gaps page's people), their gap vectors aggregated from the cached engine. Requirements
    nobody has assessed are left out unless `unassessed` says to count them from level 0."""
    pks = list(direct_reports(user, manager).values_list("pk", flat=True))
    return TeamRecommendation(manager=manager, **_for_group(_group_gaps(pks, unassessed), budget))


def recommend_for_people(
    user: AnyUser,
    employees: Sequence[Employee],
    *,
    budget: Decimal | None = None,
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> PeopleRecommendation:
    """The recommended set for a list of people, aggregated like a team: those of `employees`
    who are active and whom the user may see (the others are left out, never named)."""
    shown = list(
        visible_employees(user)
        .filter(pk__in=[employee.pk for employee in employees], is_active=True)
        .order_by("last_name", "first_name", "employee_id")
    )
    gaps = _group_gaps([employee.pk for employee in shown], unassessed)
    return PeopleRecommendation(employees=shown, **_for_group(gaps, budget))


def recommend_for_unit(
    user: AnyUser,
    unit: OrgUnit,
    *,
    budget: Decimal | None = None,
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> UnitRecommendation:
    """The recommended set for everyone active in `unit` and the units below it, within the
    user's scope, their gap vectors aggregated from the cached engine. Requirements nobody has
    assessed are left out unless `unassessed` says to count them from level 0."""
    snapshot = current_gaps()
    with snapshot.lock:
        row = snapshot.unit_index(unit.pk)
        if row is None:
            people: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        else:
            engine = snapshot.engine
            inside = np.isin(engine.employee_unit, subtree(snapshot, row))
            people = in_scope(snapshot, user, np.flatnonzero(inside & engine.employee_active))
        gaps = _GapSlots.of(snapshot, people, unassessed)
    return UnitRecommendation(unit=unit, **_for_group(gaps, budget))


# --- a group's gaps from the engine ---------------------------------------------------------


def _group_gaps(pks: Sequence[int], unassessed: Unassessed) -> _GapSlots:
    """The gap slots of these employees (by pk) from the cached engine."""
    snapshot = current_gaps()
    with snapshot.lock:
        return _GapSlots.of(snapshot, snapshot.employee_indices(pks), unassessed)


@dataclass(frozen=True)
class _GapSlots:
    """Every (person, requirement) with a gap in a group, as parallel arrays; `person` numbers
    the group's people from 0."""

    person: Ints
    competency_pk: Ints
    current: Ints
    required: Ints
    weight: npt.NDArray[np.float64]
    people: int  # size of the group
    assessed: int  # the group's requirements with an agreed level
    requirements: int  # all of the group's requirements
    unassessed: Unassessed

    @classmethod
    def of(
        cls, snapshot: GapSnapshot, employees: npt.ArrayLike, unassessed: Unassessed
    ) -> _GapSlots:
        """Vectorised `engine.person_gaps` over many people: read their requirement slots in one
        go (a Python call per person would take seconds at 100,000 people). Hold the lock."""
        engine: GapEngine = snapshot.engine
        employees = np.asarray(employees, dtype=np.int64)
        first, last = engine.slot_indptr[employees], engine.slot_indptr[employees + 1]
        sizes = last - first
        person = np.repeat(np.arange(len(employees), dtype=np.int64), sizes)
        slots = _ranges(first, sizes)
        reqs = engine.slot_req[slots]
        agreed = engine.slot_agreed[slots]
        current = np.maximum(agreed.astype(np.int64), 0)
        required = engine.req_level[reqs].astype(np.int64)
        short = current < required
        if unassessed is Unassessed.LEAVE_OUT:
            short &= agreed >= 0
        competency = engine.column_competency[engine.req_column[reqs[short]]]
        return cls(
            person=person[short],
            competency_pk=snapshot.competency_pks(competency),
            current=current[short],
            required=required[short],
            weight=engine.req_weight[reqs[short]].astype(np.float64),
            people=len(employees),
            assessed=int(np.count_nonzero(agreed >= 0)),
            requirements=len(slots),
            unassessed=unassessed,
        )

    def rows(self) -> tuple[Ints, Ints, Ints, npt.NDArray[np.float64], Ints]:
        """Aggregate by (competency, current, required, weight): the distinct rows and the
        number of people in each, from one integer key per slot."""
        competencies, competency_at = np.unique(self.competency_pk, return_inverse=True)
        weights, weight_at = np.unique(self.weight, return_inverse=True)
        levels = MAX_LEVEL + 1
        key = (competency_at.ravel() * levels + self.current) * levels + self.required
        key = key * max(len(weights), 1) + weight_at.ravel()
        distinct, people = np.unique(key, return_counts=True)
        key, weight_at = np.divmod(distinct, max(len(weights), 1))
        key, required = np.divmod(key, levels)
        competency_at, current = np.divmod(key, levels)
        return competencies[competency_at], current, required, weights[weight_at], people

    def people_raised(self, offers: Sequence[Offer]) -> Ints:
        """For each offer, the distinct people it raises above their current level on at least
        one competency they are short on: the people it would be bought for."""
        raised = np.zeros(len(offers), dtype=np.int64)
        if not len(self.person):
            return raised
        # Slots sorted by (competency, current): those an outcome (c, L) raises, current < L,
        # are one contiguous range.
        key = self.competency_pk * (MAX_LEVEL + 1) + self.current
        order = np.argsort(key, kind="stable")
        key, person = key[order], self.person[order]
        seen = np.zeros(self.people, dtype=bool)
        for item, offer in enumerate(offers):
            ranges = [
                (
                    int(np.searchsorted(key, pk * (MAX_LEVEL + 1))),
                    int(np.searchsorted(key, pk * (MAX_LEVEL + 1) + level)),
                )
                for pk, level in offer.levels.items()
            ]
            ranges = [(low, high) for low, high in ranges if high > low]
            if len(ranges) == 1:  # one requirement per person and competency: no repeats
                raised[item] = ranges[0][1] - ranges[0][0]
            elif ranges:
                for low, high in ranges:
                    seen[person[low:high]] = True
                raised[item] = int(np.count_nonzero(seen))
                seen[:] = False
        return raised


def _ranges(first: Ints, sizes: Ints) -> Ints:
    """first[0], ..., first[0] + sizes[0] - 1, first[1], ...: the indices of several slices."""
    offsets = np.repeat(first - np.cumsum(sizes) + sizes, sizes)
    return offsets + np.arange(int(sizes.sum()), dtype=np.int64)


def _for_group(gaps: _GapSlots, budget: Decimal | None) -> dict[str, Any]:
    """The shared fields of a team's or a unit's recommendation."""
    competency_pk, current, required, weight, counts = gaps.rows()
    names = competency_names_by_pk(sorted(set(competency_pk.tolist())))
    rows = [
        GapRow(
            competency_pk=pk,
            competency_name=names.get(pk, ""),
            current_level=at,
            required_level=need,
            weight=w,
            people=n,
        )
        for pk, at, need, w, n in zip(
            competency_pk.tolist(),
            current.tolist(),
            required.tolist(),
            weight.tolist(),
            counts.tolist(),
            strict=True,
        )
    ]
    rows.sort(key=lambda r: (-r.weighted_gap, r.competency_name.lower(), r.current_level))
    offers = offers_for_competencies(row.competency_pk for row in rows)
    sent = gaps.people_raised(offers).tolist()
    costs = [cost_for(offer, n) for offer, n in zip(offers, sent, strict=True)]
    chosen, uncovered, result = _optimise(rows, offers, costs, sent, budget)
    return {
        "budget": budget,
        "people": gaps.people,
        "gaps": rows,
        "offers": chosen,
        "uncovered": uncovered,
        "result": result,
        "assessed": gaps.assessed,
        "required_in_all": gaps.requirements,
        "unassessed": gaps.unassessed,
    }


# --- shared by every target -----------------------------------------------------------------


def _outcomes(
    offers: Sequence[Offer], column: Callable[[int], int | None] | None
) -> tuple[Ints, Ints, Ints]:
    """(item, competency, level) for each learning outcome of the offers; competencies mapped
    through `column` (outcomes it maps to None are left out) or kept as pks."""
    items, competencies, levels = [], [], []
    for item, offer in enumerate(offers):
        for competency_pk, level in offer.levels.items():
            target = competency_pk if column is None else column(competency_pk)
            if target is not None and level > 0:
                items.append(item)
                competencies.append(target)
                levels.append(level)
    as_ints = (np.array(values, dtype=np.int64) for values in (items, competencies, levels))
    return tuple(as_ints)  # type: ignore[return-value]


def _optimise(
    rows: list[GapRow],
    offers: list[Offer],
    costs: list[Decimal],
    people: list[int],
    budget: Decimal | None,
) -> tuple[list[RecommendedOffer], list[GapRow], Recommendation | None]:
    """Hand the gap rows and the offers (with their cost for this target and the people each
    would be bought for) to the optimiser; the chosen offers, the rows nothing raises, and the
    optimiser's answer."""
    best: dict[int, int] = {}
    for offer in offers:
        for competency_pk, level in offer.levels.items():
            best[competency_pk] = max(best.get(competency_pk, 0), level)
    uncovered = [row for row in rows if best.get(row.competency_pk, 0) <= row.current_level]
    if not rows or not offers:
        return [], uncovered, None
    columns = {pk: at for at, pk in enumerate(sorted({row.competency_pk for row in rows}))}
    outcome_item, outcome_competency, outcome_level = _outcomes(offers, columns.get)
    inputs = RecommendInputs(
        n_competencies=len(columns),
        gap_competency=np.array([columns[row.competency_pk] for row in rows], dtype=np.int64),
        gap_current=np.array([row.current_level for row in rows], dtype=np.int64),
        gap_required=np.array([row.required_level for row in rows], dtype=np.int64),
        gap_weight=np.array([row.weight for row in rows], dtype=float),
        gap_people=np.array([row.people for row in rows], dtype=np.int64),
        item_cost=np.array([float(cost) for cost in costs]),
        outcome_item=outcome_item,
        outcome_competency=outcome_competency,
        outcome_level=outcome_level,
    )
    result = recommend(
        inputs,
        budget=float(budget) if budget is not None else None,
        time_limit=SOLVER_TIME_LIMIT,
    )
    chosen = []
    for item in result.items.tolist():
        closes = [
            ClosedGap(
                competency_pk=rows[closure.gap].competency_pk,
                competency_name=rows[closure.gap].competency_name,
                from_level=closure.from_level,
                to_level=closure.to_level,
                required_level=rows[closure.gap].required_level,
                weighted_value=closure.value,
                people=closure.people,
            )
            for closure in result.closes(item)
        ]
        chosen.append(RecommendedOffer(offers[item], costs[item], closes, people[item]))
    return chosen, uncovered, result
