"""What the gap engine returns: small dataclasses of arrays for tables, charts and exports."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


def _share(part: npt.NDArray[Any], whole: npt.NDArray[Any]) -> Floats:
    """part / whole, NaN where whole is 0 (nothing required: no figure, not 0 % or 100 %)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, part / np.maximum(whole, 1), np.nan)


@dataclass(frozen=True)
class GapSummary:
    """Totals for a person, a team, a unit (optionally with sub-units) or the organisation."""

    headcount: int  # employees counted
    with_profile: int  # of whom have a job profile
    requirements: int  # (employee, requirement) pairs
    met: int  # pairs at or above the required level
    unassessed: int  # pairs with no agreed level yet (counted as level 0 in gaps)
    weighted_gap: float  # sum over pairs of importance x essential factor x levels short
    weighted_required: float  # the same sum with every agreed level at 0 (the worst case)
    ready_in_role: int  # people with a profile who meet all its essential requirements
    # Of `met` and of both weighted figures, the part from unassessed pairs (assessed_only).
    unassessed_met: int = 0
    weighted_unassessed: float = 0.0
    left_out: int = 0  # unassessed requirements left out of the figures (assessed_only)

    @property
    def required_in_all(self) -> int:
        """Every requirement, counted in the figures or left out."""
        return self.requirements + self.left_out

    @property
    def assessed(self) -> int:
        """Requirements with an agreed level: the data coverage is `assessed` of
        `required_in_all`."""
        return self.requirements - self.unassessed

    @property
    def not_assessed(self) -> int:
        return self.unassessed + self.left_out

    @property
    def coverage(self) -> float:
        """Share of requirements assessed, 0 to 1; NaN when nothing is required."""
        return self.assessed / self.required_in_all if self.required_in_all else float("nan")

    def assessed_only(self) -> GapSummary:
        """The same totals over the assessed requirements only: a requirement nobody has
        assessed is left out instead of counting as level 0 (a gap that is missing data).
        Readiness and head counts do not change: an unassessed essential requirement still
        stands between a person and "ready in role"."""
        return replace(
            self,
            requirements=self.assessed,
            met=self.met - self.unassessed_met,
            unassessed=0,
            weighted_gap=self.weighted_gap - self.weighted_unassessed,
            weighted_required=self.weighted_required - self.weighted_unassessed,
            unassessed_met=0,
            weighted_unassessed=0.0,
            left_out=self.left_out + self.unassessed,
        )

    @property
    def pct_met(self) -> float:
        return 100.0 * self.met / self.requirements if self.requirements else float("nan")

    @property
    def gap_index(self) -> float:
        """Weighted gap as a share of the worst case: 0 = no gap, 1 = nothing assessed or held."""
        if not self.weighted_required:
            return float("nan")
        return self.weighted_gap / self.weighted_required

    @property
    def mean_weighted_gap(self) -> float:
        return self.weighted_gap / self.with_profile if self.with_profile else float("nan")


@dataclass(frozen=True)
class PersonGaps:
    """One employee's gap vector over their job profile's requirements."""

    employee: int
    profile: int  # -1: no job profile, so no requirements
    competency: Ints
    required_level: Ints
    agreed_level: Ints  # -1: not assessed
    gap: Ints  # levels short, clipped at 0; unassessed counts from level 0
    weight: Floats  # importance x essential/optional factor
    weighted_gap: Floats
    essential: Bools
    summary: GapSummary


@dataclass(frozen=True)
class Heatmap:
    """Units (rows) x competencies (columns), each cell over the people required to hold it."""

    units: Ints
    competency: Ints  # columns: competencies required of at least one person in the rows
    required: Ints  # people whose profile requires the competency
    below: Ints  # of whom are below their required level (unassessed included)
    unassessed: Ints
    gap: Ints  # sum of levels short
    weighted_gap: Floats
    # The unassessed people's share of below, gap and weighted_gap (assessed_only).
    unassessed_below: Ints
    unassessed_gap: Ints
    unassessed_weighted_gap: Floats
    left_out: Ints | None = None  # unassessed people left out of each cell (assessed_only)

    def assessed_only(self) -> Heatmap:
        """Every cell over the people with an agreed level only: the unassessed are left out
        instead of counting as level 0. A cell where nobody is assessed requires nobody."""
        zeros = np.zeros_like(self.unassessed)
        return replace(
            self,
            required=self.required - self.unassessed,
            below=self.below - self.unassessed_below,
            unassessed=zeros,
            gap=self.gap - self.unassessed_gap,
            weighted_gap=self.weighted_gap - self.unassessed_weighted_gap,
            unassessed_below=zeros,
            unassessed_gap=zeros,
            unassessed_weighted_gap=np.zeros_like(self.unassessed_weighted_gap),
            left_out=self.unassessed if self.left_out is None else self.left_out + self.unassessed,
        )

    @property
    def holders(self) -> Ints:
        """People at or above their required level."""
        return self.required - self.below

    @property
    def share_below(self) -> Floats:
        return _share(self.below, self.required)

    @property
    def mean_gap(self) -> Floats:
        return _share(self.gap, self.required)

    @property
    def mean_weighted_gap(self) -> Floats:
        return _share(self.weighted_gap, self.required)


@dataclass(frozen=True)
class KeyPersonRisks:
    """Required competencies held at or above the required level by at most `max_holders` people.

    One row per (unit, competency); `sole_holder` is the one holder's employee index, else -1.
    """

    unit: Ints
    competency: Ints
    required: Ints
    holders: Ints
    sole_holder: Ints

    def __len__(self) -> int:
        return len(self.unit)


@dataclass(frozen=True)
class BenchStrength:
    """Who could fill a job profile, from all employees, on its readiness requirements.

    Ready: at or above the required level on every readiness requirement. Nearly ready: not
    ready, exactly one level short on at most `max_short` of them, at or above on the rest.
    """

    profile: int
    readiness_requirements: int
    max_short: int
    ready: Ints
    nearly_ready: Ints
    nearly_ready_short: Ints  # requirements short, per nearly-ready employee
