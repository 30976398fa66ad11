"""The exact optimiser: integer programmes over the level steps, solved by HiGHS (scipy.milp).

Variables: x_i binary (item i chosen), for the items that cover at least one step; y_s in
[0, 1] continuous, one per coverable step s = (column k, level l) with value v_s > 0 (a step
no item reaches cannot be closed and gets no variable). Coverage: y_s <= sum of x_i over the
items raising k to l or above. At integer x the best y_s is 1 exactly when some chosen item
covers s, so y needs no integrality, and sum v_s y_s is the weighted gap closed (each step
counts once however many items reach it: several items on one competency do not add).
Modelling levels as steps is tighter than one "which item serves competency k" assignment per
column: a step row only lists the items that actually reach that level.

Objective, lexicographic: the most weighted gap closed, then the least cost. There is no safe
single-solve epsilon in general: weights are real numbers, so two achievable closures can
differ by less than any fixed epsilon times the cost range, and a cost penalty could then buy
cost with closure. So it is solved in stages instead:

- no budget: the most that can be closed is known without solving (every coverable step), and
  covering a column's highest coverable step covers all its lower ones, so the answer is a
  weighted set cover: minimise cost x, one row per column, sum of x_i reaching its top
  coverable step >= 1. One solve.
- budget: stage 1 maximises sum v y subject to cost x <= budget; stage 2 minimises cost x
  subject to the same rows and sum v y >= Z1 - tolerance, Z1 the closure of the stage 1 answer
  (recomputed exactly from its items). Stage 1's answer is feasible for stage 2, so stage 2
  always has a solution at least as good. When a budget admits closing everything (the greedy
  run under the budget already closes all that is closable) the set cover gives the answer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, hstack, identity

from milepost.engines.recommend.steps import Bools, Floats, Ints, LevelSteps


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

    # Stage 1: the most closure within the budget.
    coverage = LinearConstraint(
        hstack([-rows.cover, identity(n_y, format="csr")], format="csr"), lb=-np.inf, ub=0
    )
    spend = LinearConstraint(np.r_[cost, np.zeros(n_y)][None, :], lb=-np.inf, ub=budget)
    integrality = np.r_[np.ones(n_x), np.zeros(n_y)]
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
    message = first.message if second.x is None else second.message
    return ExactAnswer(chosen, proven, message, time.perf_counter() - start)
