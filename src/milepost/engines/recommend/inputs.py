"""Compact array inputs of the recommendation engine and their validation.

Everything is indexed densely from 0: competency c, catalogue item i (a course or a
qualification), gap row g. The Django adapter maps database ids to these indices.

A target is a person, a team or a unit. Its gaps are rows of (competency, current level,
required level, weight, people): a person has one row per requirement short; a team or unit
aggregates its people by (competency, current level, required level, weight) and counts them,
so a row is "`people` short on this competency from `current` to `required`, each level worth
`weight`". Closing it to level L is worth `people x weight x (min(L, required) - current)`.

Costs are one number per item for this target: the adapter computes them from the catalogue
(for a team typically `cost_per_run + cost_per_person x people it would send`), because who
attends depends on the catalogue's rules, not on the optimisation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.integer]
FloatArray = npt.NDArray[np.floating]

MAX_LEVEL = 127


class RecommendInputError(ValueError):
    """Inconsistent arrays handed to the recommendation engine; the message names the row."""


@dataclass(frozen=True)
class RecommendInputs:
    """Gaps of one target and the catalogue items that could close them.

    gap_competency[g], gap_current[g], gap_required[g]: competency and levels of gap row g;
        current < required (a row with no gap is left out by the adapter).
    gap_weight[g]: importance x essential factor, per level and person (as the gap engine).
    gap_people[g]: people in the row (default: 1 each, a person's own gaps).
    item_cost[i]: the cost of choosing item i for this target, >= 0.
    outcome_*: the items' learning outcomes, one row per (item, competency): the item raises the
        competency to `outcome_level` (at most one row per pair).
    """

    n_competencies: int
    gap_competency: IntArray
    gap_current: IntArray
    gap_required: IntArray
    gap_weight: FloatArray
    item_cost: FloatArray
    outcome_item: IntArray
    outcome_competency: IntArray
    outcome_level: IntArray
    gap_people: IntArray | None = None

    @property
    def n_gaps(self) -> int:
        return len(self.gap_competency)

    @property
    def n_items(self) -> int:
        return len(self.item_cost)

    def people(self) -> IntArray:
        """gap_people, or one person per row when it was not given."""
        if self.gap_people is None:
            return np.ones(self.n_gaps, dtype=np.int64)
        return np.asarray(self.gap_people, dtype=np.int64)

    def validate(self) -> None:
        """Raise RecommendInputError naming the first bad row."""
        if self.n_competencies < 0:
            raise RecommendInputError(f"n_competencies {self.n_competencies} is negative")
        _same_length(
            "gap",
            gap_competency=self.gap_competency,
            gap_current=self.gap_current,
            gap_required=self.gap_required,
            gap_weight=self.gap_weight,
            **({} if self.gap_people is None else {"gap_people": self.gap_people}),
        )
        _same_length(
            "outcome",
            outcome_item=self.outcome_item,
            outcome_competency=self.outcome_competency,
            outcome_level=self.outcome_level,
        )
        _in_range("gap_competency", self.gap_competency, 0, self.n_competencies)
        _in_range("gap_current", self.gap_current, 0, MAX_LEVEL + 1)
        _in_range("gap_required", self.gap_required, 1, MAX_LEVEL + 1)
        no_gap = np.flatnonzero(self.gap_current >= self.gap_required)
        if len(no_gap):
            row = int(no_gap[0])
            raise RecommendInputError(
                f"gap row {row}: current level {int(self.gap_current[row])} is not below the"
                f" required level {int(self.gap_required[row])} (no gap: leave the row out)"
            )
        _positive("gap_weight", self.gap_weight, allow_zero=False)
        if self.gap_people is not None:
            _in_range("gap_people", self.gap_people, 1, np.iinfo(np.int32).max)
        _positive("item_cost", self.item_cost, allow_zero=True)
        _in_range("outcome_item", self.outcome_item, 0, self.n_items)
        _in_range("outcome_competency", self.outcome_competency, 0, self.n_competencies)
        _in_range("outcome_level", self.outcome_level, 1, MAX_LEVEL + 1)
        keys = self.outcome_item.astype(np.int64) * max(self.n_competencies, 1)
        keys = keys + self.outcome_competency
        order = np.argsort(keys, kind="stable")
        repeated = np.flatnonzero(np.diff(keys[order]) == 0)
        if len(repeated):
            row = int(order[repeated[0] + 1])
            raise RecommendInputError(
                f"outcome row {row}: item {int(self.outcome_item[row])} raises competency"
                f" {int(self.outcome_competency[row])} twice (keep the highest level)"
            )


def check_budget(budget: float | None) -> None:
    if budget is not None and not (np.isfinite(budget) and budget >= 0):
        raise RecommendInputError(f"budget {budget} must be a finite number >= 0, or None")


def _same_length(kind: str, **arrays: npt.NDArray[np.generic]) -> None:
    lengths = {name: len(values) for name, values in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise RecommendInputError(f"{kind} arrays differ in length: {lengths}")


def _in_range(name: str, values: IntArray, low: int, high: int) -> None:
    """Check low <= values < high."""
    bad = np.flatnonzero((values < low) | (values >= high))
    if len(bad):
        row = int(bad[0])
        raise RecommendInputError(
            f"{name} row {row}: {int(values[row])} is outside {low}..{high - 1}"
            f" ({len(bad)} bad rows in all)"
        )


def _positive(name: str, values: FloatArray, *, allow_zero: bool) -> None:
    values = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(values) & ((values >= 0) if allow_zero else (values > 0))
    bad = np.flatnonzero(~ok)
    if len(bad):
        row = int(bad[0])
        wanted = ">= 0" if allow_zero else "> 0"
        raise RecommendInputError(
            f"{name} row {row}: {float(values[row])} must be finite and {wanted}"
            f" ({len(bad)} bad rows in all)"
        )
