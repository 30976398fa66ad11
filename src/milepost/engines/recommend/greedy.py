"""Greedy: repeatedly take the item with the best marginal closed value per unit of cost."""

from __future__ import annotations

import numpy as np

from milepost.engines.recommend.steps import Bools, LevelSteps, drop_redundant


def greedy(steps: LevelSteps, budget: float | None = None) -> Bools:
    """Chosen items: best gain/cost first (a free item with a gain first of all; ties to the
    larger gain, then the lower index), skipping items that no longer fit the budget; stops
    when nothing fitting adds anything, then drops items the later ones made redundant."""
    n_items = steps.n_items
    chosen = np.zeros(n_items, dtype=bool)
    best = np.zeros(steps.n_columns, dtype=np.int64)
    left = np.inf if budget is None else float(budget)
    tolerance = steps.tolerance()
    column, level, item = steps.outcome_column, steps.outcome_level, steps.outcome_item
    rows = np.arange(steps.n_columns)
    cost = steps.item_cost
    while True:
        # Marginal value of each outcome over the best level reached so far, summed per item.
        now = steps.reached[rows, best]
        gain_row = np.maximum(steps.reached[column, level] - now[column], 0.0)
        gain = np.bincount(item, weights=gain_row, minlength=n_items)
        open_ = ~chosen & (gain > tolerance) & (cost <= left + 1e-9 * max(1.0, left))
        if not open_.any():
            break
        with np.errstate(divide="ignore"):
            ratio = np.where(cost > 0, gain / np.where(cost > 0, cost, 1.0), np.inf)
        ratio[~open_] = -1.0
        top = np.flatnonzero(ratio == ratio.max())
        pick = int(top[np.argmax(gain[top])])
        chosen[pick] = True
        left -= cost[pick]
        first, last = steps.outcome_indptr[pick], steps.outcome_indptr[pick + 1]
        np.maximum.at(best, column[first:last], level[first:last])
    return drop_redundant(steps, chosen)
