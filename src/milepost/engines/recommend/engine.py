"""recommend(): the catalogue items that close the most weighted gap at the least cost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from milepost.engines.recommend.exact import solve_exact
from milepost.engines.recommend.greedy import greedy
from milepost.engines.recommend.inputs import RecommendInputError, RecommendInputs, check_budget
from milepost.engines.recommend.results import Closure, Recommendation
from milepost.engines.recommend.steps import Bools, LevelSteps, drop_redundant, level_steps

Method = Literal["optimal", "greedy"]


def recommend(
    inputs: RecommendInputs,
    *,
    budget: float | None = None,
    method: Method = "optimal",
    time_limit: float | None = 10.0,
    mip_rel_gap: float = 0.0,
) -> Recommendation:
    """Choose items maximising the weighted gap closed, then minimising cost, within `budget`.

    "optimal" solves integer programmes (HiGHS via scipy.optimize.milp) and also runs the greedy,
    so both costs are reported; if the solver fails or hits `time_limit` (seconds) before any
    answer, the greedy answer is returned with `fallback=True`.
    """
    if method not in ("optimal", "greedy"):
        raise RecommendInputError(f"method {method!r} is not 'optimal' or 'greedy'")
    inputs.validate()
    check_budget(budget)
    steps = level_steps(inputs)
    quick = greedy(steps, budget)
    shared = _Shared(
        budget=budget,
        total_gap=steps.total_gap,
        closable=steps.closable(),
        greedy_cost=_cost(steps, quick),
        greedy_closed=steps.closed(quick),
    )
    if method == "greedy":
        return _answer(inputs, steps, quick, shared, method="greedy")
    exact = solve_exact(
        steps,
        budget=budget,
        full_closure_fits=shared.greedy_closed >= shared.closable - steps.tolerance(),
        time_limit=time_limit,
        mip_rel_gap=mip_rel_gap,
    )
    if exact.chosen is None:
        note = f"exact solver gave no answer ({exact.message}); greedy answer returned"
        return _answer(
            inputs, steps, quick, shared, method="greedy", fallback=True, note=note,
            solve_seconds=exact.seconds,
        )  # fmt: skip
    chosen = drop_redundant(steps, exact.chosen)
    return _answer(
        inputs, steps, chosen, shared, method="optimal", optimal=True, proven=exact.proven,
        note=exact.message, solve_seconds=exact.seconds,
    )  # fmt: skip


@dataclass(frozen=True)
class _Shared:
    """What every answer reports, whichever method produced its items."""

    budget: float | None
    total_gap: float
    closable: float
    greedy_cost: float
    greedy_closed: float


def _cost(steps: LevelSteps, chosen: Bools) -> float:
    return float(steps.item_cost[chosen].sum())


def _answer(
    inputs: RecommendInputs,
    steps: LevelSteps,
    chosen: Bools,
    shared: _Shared,
    *,
    method: str,
    optimal: bool = False,
    fallback: bool = False,
    proven: bool = False,
    note: str = "",
    solve_seconds: float = 0.0,
) -> Recommendation:
    cost, closed = _cost(steps, chosen), steps.closed(chosen)
    return Recommendation(
        method=method,
        fallback=fallback,
        proven=proven,
        note=note,
        budget=shared.budget,
        items=np.flatnonzero(chosen).astype(np.int64),
        cost=cost,
        closed=closed,
        total_gap=shared.total_gap,
        closable=shared.closable,
        explanation=explain(inputs, steps, chosen),
        greedy_cost=shared.greedy_cost,
        greedy_closed=shared.greedy_closed,
        optimal_cost=cost if optimal else None,
        optimal_closed=closed if optimal else None,
        solve_seconds=solve_seconds,
    )


def explain(inputs: RecommendInputs, steps: LevelSteps, chosen: Bools) -> tuple[Closure, ...]:
    """Credit each gap row to the chosen item raising its competency highest (ties: cheaper,
    then lower index); one Closure per (item, gap row) with a level gained."""
    rows = np.flatnonzero(chosen[steps.outcome_item])
    # Per column the crediting outcome: sort by (column, -level, cost, item); first per column.
    order = np.lexsort(
        (
            steps.outcome_item[rows],
            steps.item_cost[steps.outcome_item[rows]],
            -steps.outcome_level[rows],
            steps.outcome_column[rows],
        )
    )
    rows = rows[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = steps.outcome_column[rows[1:]] != steps.outcome_column[rows[:-1]]
    rows = rows[first]
    credit_item = np.full(steps.n_columns, -1, dtype=np.int64)
    credit_level = np.zeros(steps.n_columns, dtype=np.int64)
    credit_item[steps.outcome_column[rows]] = steps.outcome_item[rows]
    credit_level[steps.outcome_column[rows]] = steps.outcome_level[rows]

    people = inputs.people()
    closures = []
    for gap in range(inputs.n_gaps):
        column = int(steps.column_of[inputs.gap_competency[gap]])
        current, required = int(inputs.gap_current[gap]), int(inputs.gap_required[gap])
        reached = min(int(credit_level[column]), required)
        if credit_item[column] < 0 or reached <= current:
            continue
        closures.append(
            Closure(
                item=int(credit_item[column]),
                gap=gap,
                competency=int(inputs.gap_competency[gap]),
                people=int(people[gap]),
                from_level=current,
                to_level=reached,
                levels=reached - current,
                value=float(people[gap] * inputs.gap_weight[gap] * (reached - current)),
                full=reached == required,
            )
        )
    closures.sort(key=lambda row: (row.item, row.competency, row.gap))
    return tuple(closures)
