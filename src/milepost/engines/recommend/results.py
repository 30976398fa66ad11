"""What the recommendation engine returns: the chosen items, their cost and what they close."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Closure:
    """One row of an explanation: what a chosen item closes on one gap row."""

    item: int
    gap: int  # row of the inputs' gap arrays
    competency: int
    people: int
    from_level: int  # the row's current level
    to_level: int  # the level reached (the required level when closed fully)
    levels: int  # to_level - from_level, per person
    value: float  # people x weight x levels
    full: bool  # to_level == the required level


@dataclass(frozen=True)
class Recommendation:
    """A set of catalogue items for one target.

    Each closed gap row is credited to the chosen item that raises its competency highest (the
    best level reached is what counts; ties go to the cheaper, then the lower index), so the
    explanation's values add up to `closed`.
    """

    method: str  # "optimal" or "greedy": what produced `items`
    fallback: bool  # the optimal answer was asked for, the solver gave none: greedy instead
    proven: bool  # optimal and proven so by the solver (within mip_rel_gap)
    note: str  # the solver's message, useful when fallback or not proven
    budget: float | None
    items: Ints  # chosen item indices, ascending
    cost: float
    closed: float  # weighted gap closed
    total_gap: float  # the target's whole weighted gap
    closable: float  # the most any set of items can close (every item chosen, no budget)
    explanation: tuple[Closure, ...]
    greedy_cost: float
    greedy_closed: float
    optimal_cost: float | None  # None for method="greedy" and for a fallback
    optimal_closed: float | None
    solve_seconds: float = 0.0  # the exact solver's wall-clock time (0 for greedy)

    @property
    def remaining(self) -> float:
        return self.total_gap - self.closed

    @property
    def share_closed(self) -> float:
        """closed / total gap; NaN when there is no gap."""
        return self.closed / self.total_gap if self.total_gap else float("nan")

    @property
    def cost_ratio(self) -> float | None:
        """greedy cost / optimal cost (1.0 when both are free); None without an optimum."""
        if self.optimal_cost is None:
            return None
        if self.optimal_cost == 0:
            return 1.0 if self.greedy_cost == 0 else float("inf")
        return self.greedy_cost / self.optimal_cost

    def closes(self, item: int) -> tuple[Closure, ...]:
        """The explanation rows of one chosen item (empty for an item not chosen)."""
        return tuple(row for row in self.explanation if row.item == item)
