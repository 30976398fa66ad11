"""The level-step model shared by the greedy and the exact optimiser.

Only competencies with a gap matter ("columns" k, up to K). For each column and level
l = 1..L (L = the highest required level), `step[k, l]` is the weighted value of getting the
target from level l-1 to level l on it: the sum of `people x weight` over the gap rows with
current < l <= required. Whatever set of items is chosen, each column ends at the best level
any chosen item raises it to (several items on one competency do not add), and the weighted
gap closed is `reached[k, best_k]`, the cumulative sum of the steps up to that level. So a gap
row is closed fully when an item raises the competency to its required level or above, and
partially (the levels above its current one) otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from milepost.engines.recommend.inputs import RecommendInputs

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class LevelSteps:
    """Steps per (column, level) and the items' outcomes on the columns, CSR by item."""

    column_competency: Ints  # column k -> competency
    column_of: Ints  # competency -> column, -1 if the target has no gap on it
    step: Floats  # (K, L + 1); step[:, 0] == 0
    reached: Floats  # (K, L + 1); reached[k, l] = sum of step[k, :l + 1]
    item_cost: Floats
    outcome_indptr: Ints  # item i's outcomes on gap columns: rows indptr[i]:indptr[i + 1]
    outcome_item: Ints
    outcome_column: Ints
    outcome_level: Ints  # clipped to L: a level above every requirement closes nothing more
    total_gap: float

    @property
    def n_items(self) -> int:
        return len(self.item_cost)

    @property
    def n_columns(self) -> int:
        return len(self.column_competency)

    @property
    def top_level(self) -> int:
        return self.step.shape[1] - 1

    def best_levels(self, chosen: Bools) -> Ints:
        """Per column, the best level the chosen items reach (0: none)."""
        best = np.zeros(self.n_columns, dtype=np.int64)
        rows = chosen[self.outcome_item]
        np.maximum.at(best, self.outcome_column[rows], self.outcome_level[rows])
        return best

    def closed(self, chosen: Bools) -> float:
        """Weighted gap closed by a set of items."""
        best = self.best_levels(chosen)
        return float(self.reached[np.arange(self.n_columns), best].sum())

    def closable(self) -> float:
        """The weighted gap closed when every item is chosen (the most any answer can close)."""
        return self.closed(np.ones(self.n_items, dtype=bool))

    def tolerance(self) -> float:
        """Closure differences below this are rounding, not a step (a step is >= min weight)."""
        return 1e-9 * max(1.0, self.total_gap)


def level_steps(inputs: RecommendInputs) -> LevelSteps:
    """Build the step tables from validated inputs (vectorised)."""
    column_competency = np.unique(inputs.gap_competency).astype(np.int64)
    n_columns = len(column_competency)
    column_of = np.full(inputs.n_competencies, -1, dtype=np.int64)
    column_of[column_competency] = np.arange(n_columns)
    top = int(inputs.gap_required.max()) if inputs.n_gaps else 0

    # Each row adds people x weight to the steps current+1..required: a difference array.
    value = inputs.people() * np.asarray(inputs.gap_weight, dtype=np.float64)
    column = column_of[inputs.gap_competency]
    diff = np.zeros((n_columns, top + 2), dtype=np.float64)
    np.add.at(diff, (column, inputs.gap_current.astype(np.int64) + 1), value)
    np.add.at(diff, (column, inputs.gap_required.astype(np.int64) + 1), -value)
    step = np.cumsum(diff, axis=1)[:, : top + 1]
    step[np.abs(step) < 1e-12 * max(1.0, float(value.sum()))] = 0.0
    reached = np.cumsum(step, axis=1)
    gap_levels = (inputs.gap_required - inputs.gap_current).astype(np.float64)

    # Outcomes on gap columns only, CSR by item.
    o_column = column_of[inputs.outcome_competency]
    keep = o_column >= 0
    o_item = inputs.outcome_item[keep].astype(np.int64)
    order = np.argsort(o_item, kind="stable")
    o_item = o_item[order]
    o_column = o_column[keep][order]
    o_level = np.minimum(inputs.outcome_level[keep][order].astype(np.int64), top)
    indptr = np.zeros(inputs.n_items + 1, dtype=np.int64)
    np.cumsum(np.bincount(o_item, minlength=inputs.n_items), out=indptr[1:])
    return LevelSteps(
        column_competency=column_competency,
        column_of=column_of,
        step=step,
        reached=reached,
        item_cost=np.asarray(inputs.item_cost, dtype=np.float64),
        outcome_indptr=indptr,
        outcome_item=o_item,
        outcome_column=o_column,
        outcome_level=o_level,
        total_gap=float((value * gap_levels).sum()),
    )


def drop_redundant(steps: LevelSteps, chosen: Bools) -> Bools:
    """Remove chosen items, dearest first, whose removal closes no less (a greedy by-product, or
    a free item the solver kept). Never raises the cost, never lowers the closure."""
    chosen = chosen.copy()
    target = steps.closed(chosen)
    tolerance = steps.tolerance()
    candidates = np.flatnonzero(chosen)
    for item in candidates[np.argsort(-steps.item_cost[candidates], kind="stable")]:
        chosen[item] = False
        if steps.closed(chosen) < target - tolerance:
            chosen[item] = True
    return chosen
