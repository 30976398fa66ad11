"""The exact optimiser: integer programmes over the level steps, solved by HiGHS (scipy.milp).

Variables: x_i binary (item i chosen), for the items that cover at least one step; y_s in
[0, 1] continuous, one per coverable step s = (column k, level l) with value v_s > 0 (a step
no item reaches cannot be closed and gets no variable). Coverage: y_s <= sum of x_i over the
items raising k to l or above. At integer x the best y_s is 1 exactly when some chosen item
covers s, so y needs no integrality, and sum v_s y_s is the weighted gap closed (each step
counts once however many items reach it: several items on one competency do not add).
Modelling levels as steps is tighter than one "which item serves competency k" assignment per
column: a step row only lists the items that actually reach that level.

Objective, lexicographic: the most weighted gap closed, then the least cost.

- No budget: the most that can be closed is known without solving (every coverable step), and
  covering a column's highest coverable step covers all its lower ones, so the answer is a
  weighted set cover: minimise cost.x, one row per column, sum of the x_i reaching its top
  coverable step >= 1. One solve.
- Budget, one solve: minimise cost.x - K (v.y) subject to the coverage rows and cost.x <= B.
  Why a penalty weight K is safe. Let q be the closure quantum: every step value is an integer
  multiple of q (weights are importance 1-5 x a factor like 0.5, times people; `_quantum` finds
  q among 1, 1/2, ..., 1/10^6), so two achievable closures are equal or differ by >= q. Let
  Bbar = min(B, sum of the useful items' costs) >= the cost of any feasible answer, and
  K = 2 max(Bbar, 1) / q. For feasible x1, x2 with Z(x1) >= Z(x2) + q:
      obj(x1) - obj(x2) = (C1 - C2) - K (Z1 - Z2) <= Bbar - 2 max(Bbar, 1) <= -max(Bbar, 1) <= -1,
  so any answer closing less is worse by at least one cost unit, far beyond the solver's
  absolute gap (1e-6, with mip_rel_gap 0): closure is never traded for cost. Among answers
  closing the same, the objectives differ by exactly the cost difference: the least cost wins.
- Budget, two solves, when no quantum exists (arbitrary real weights: closures may then differ
  by less than any fixed epsilon times the cost range, so no safe K exists) or K would make the
  objective too large for double precision: stage 1 maximises v.y subject to cost.x <= B;
  stage 2 minimises cost.x subject to the same rows and v.y >= Z1 - tolerance, Z1 the closure
  of the stage 1 answer recomputed exactly from its items. Stage 1's answer is feasible for
  stage 2, so stage 2 never does worse. Slower (stage 2's closure row is a hard knapsack row):
  about 1.1 s against 0.3 s for one solve on the worst benchmark case (3.4 s under load).
- When a budget admits closing everything (the greedy run under the budget already closes all
  that is closable), the set cover gives the answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, hstack, identity

from milepost.engines.recommend.steps import Bools, Floats, Ints, LevelSteps

# Above this the penalised objective loses the precision its absolute gap (1e-6) relies on.
MAX_OBJECTIVE = 1e11
SCALES = (1, 2, 4, 5, 8, 10, 20, 25, 40, 50, 100, 1_000, 10_000, 100_000, 1_000_000)


def _quantum(values: Floats) -> float | None:
    """The largest q = 1/scale such that every value is an integer multiple of q, or None."""
    for scale in SCALES:
        scaled = values * scale
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-6):
            return 1.0 / scale
    return None


@dataclass(frozen=True)
class ExactAnswer:
    """chosen is None when the solver found no answer (failure, or a time limit hit first)."""

    chosen: Bools | None
    proven: bool  # the solver proved optimality (within mip_rel_gap) at every stage
    message: str
    seconds: float


@dataclass(frozen=True)
class _StepRows:
    """Coverable steps and which useful items cover each (sparse, steps x useful items)."""

    value: Floats
    column: Ints
    cover: csr_array
    useful: Ints  # column j of `cover` -> item index


def _step_rows(steps: LevelSteps) -> _StepRows:
    n_columns, top = steps.n_columns, steps.top_level
    best_raise = np.zeros(n_columns, dtype=np.int64)
    np.maximum.at(best_raise, steps.outcome_column, steps.outcome_level)
    levels = np.arange(top + 1)
    coverable = (steps.step > 0) & (levels[None, :] <= best_raise[:, None])
    index = np.full(steps.step.shape, -1, dtype=np.int64)
    step_column, step_level = np.nonzero(coverable)
    index[step_column, step_level] = np.arange(len(step_column))
    # Outcome (i, k, l') covers the steps (k, l) with l <= l'.
    rows, items = [], []
    for level in range(1, top + 1):
        at = index[steps.outcome_column, level]
        hit = (steps.outcome_level >= level) & (at >= 0)
        rows.append(at[hit])
        items.append(steps.outcome_item[hit])
    row = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    item = np.concatenate(items) if items else np.zeros(0, dtype=np.int64)
    useful, col = np.unique(item, return_inverse=True)
    cover = csr_array((np.ones(len(row)), (row, col)), shape=(len(step_column), len(useful)))
    return _StepRows(
        value=steps.step[step_column, step_level], column=step_column, cover=cover, useful=useful
    )


def solve_exact(
    steps: LevelSteps,
    *,
    budget: float | None,
    full_closure_fits: bool,
    time_limit: float | None,
    mip_rel_gap: float,
) -> ExactAnswer:
    """The lexicographic optimum (closure, then cost) as a boolean mask over items."""
    start = time.perf_counter()
    rows = _step_rows(steps)
    chosen = np.zeros(steps.n_items, dtype=bool)
    if not len(rows.value):
        return ExactAnswer(chosen, True, "nothing coverable", time.perf_counter() - start)
    cost = steps.item_cost[rows.useful]
    n_x, n_y = len(rows.useful), len(rows.value)

    def remaining() -> float | None:
        return None if time_limit is None else max(time_limit - (time.perf_counter() - start), 0)

    def options() -> dict[str, float]:
        left = remaining()
        found: dict[str, float] = {"mip_rel_gap": mip_rel_gap}
        if left is not None:
            found["time_limit"] = left
        return found

    if budget is None or full_closure_fits:
        # Set cover over each column's top coverable step (a step is covered with all below it).
        top_row = np.zeros(steps.n_columns, dtype=np.int64) - 1
        np.maximum.at(top_row, rows.column, np.arange(n_y))  # steps are numbered by level
        top_row = top_row[top_row >= 0]
        cover = rows.cover[top_row]
        result = milp(
            cost,
            integrality=np.ones(n_x),
            bounds=Bounds(0, 1),
            constraints=[LinearConstraint(cover, lb=1, ub=np.inf)],
            options=options(),
        )
        if result.x is None:
            return ExactAnswer(None, False, result.message, time.perf_counter() - start)
        chosen[rows.useful[result.x > 0.5]] = True
        return ExactAnswer(chosen, result.status == 0, result.message, time.perf_counter() - start)

    coverage = LinearConstraint(
        hstack([-rows.cover, identity(n_y, format="csr")], format="csr"), lb=-np.inf, ub=0
    )
    spend = LinearConstraint(np.r_[cost, np.zeros(n_y)][None, :], lb=-np.inf, ub=budget)
    integrality = np.r_[np.ones(n_x), np.zeros(n_y)]
    quantum = _quantum(rows.value)
    if quantum is not None:
        weight = 2 * max(min(budget, float(cost.sum())), 1.0) / quantum
        if weight * float(rows.value.sum()) <= MAX_OBJECTIVE:
            result = milp(
                np.r_[cost, -weight * rows.value],
                integrality=integrality,
                bounds=Bounds(0, 1),
                constraints=[coverage, spend],
                options=options(),
            )
            if result.x is None:
                return ExactAnswer(None, False, result.message, time.perf_counter() - start)
            chosen[rows.useful[result.x[:n_x] > 0.5]] = True
            return ExactAnswer(
                chosen, result.status == 0, result.message, time.perf_counter() - start
            )

    # Stage 1: the most closure within the budget.
    first = milp(
        np.r_[np.zeros(n_x), -rows.value],
        integrality=integrality,
        bounds=Bounds(0, 1),
        constraints=[coverage, spend],
        options=options(),
    )
    if first.x is None:
        return ExactAnswer(None, False, first.message, time.perf_counter() - start)
    chosen[rows.useful[first.x[:n_x] > 0.5]] = True
    proven = first.status == 0
    closed = steps.closed(chosen)

    # Stage 2: the least cost for that closure.
    keep = LinearConstraint(
        np.r_[np.zeros(n_x), rows.value][None, :], lb=closed - steps.tolerance(), ub=np.inf
    )
    second = milp(
        np.r_[cost, np.zeros(n_y)],
        integrality=integrality,
        bounds=Bounds(0, 1),
        constraints=[coverage, spend, keep],
        options=options(),
    )
    if second.x is not None:
        cheaper = np.zeros(steps.n_items, dtype=bool)
        cheaper[rows.useful[second.x[:n_x] > 0.5]] = True
        if (
            steps.closed(cheaper) >= closed - steps.tolerance()
            and steps.item_cost[cheaper].sum() <= steps.item_cost[chosen].sum()
        ):
            chosen = cheaper
    proven = proven and second.status == 0
    message = (
        f"most closure found; the least-cost stage gave no answer ({second.message})"
        if second.x is None
        else second.message
    )
    return ExactAnswer(chosen, proven, message, time.perf_counter() - start)
