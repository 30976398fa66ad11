"""What the gap engine returns: small dataclasses of arrays for tables, charts and exports."""

from __future__ import annotations

from dataclasses import dataclass
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
