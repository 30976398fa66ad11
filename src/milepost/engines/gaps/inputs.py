"""Compact array inputs of the gap engine, their validation, and the weighting rules.

Everything is indexed densely from 0: employee i, unit u, job profile p, competency c. The
Django adapter maps database ids to these indices (`dense_index`) after bulk `values_list` queries.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.integer]
BoolArray = npt.NDArray[np.bool_]

NO_PROFILE = -1
NO_PARENT = -1


class GapInputError(ValueError):
    """The arrays handed to the gap engine are inconsistent; the message names the row."""


@dataclass(frozen=True)
class GapWeights:
    """How one level of gap on a requirement is weighted: importance (1-5) times this factor."""

    essential: float = 1.0
    optional: float = 0.5

    def __post_init__(self) -> None:
        if self.essential < 0 or self.optional < 0:
            raise GapInputError("gap weights must not be negative")


@dataclass(frozen=True)
class GapInputs:
    """One organisation as arrays.

    employee_profile[i]: job profile index of employee i, or -1 (no profile, no requirements).
    employee_unit[i]: unit index of employee i.
    unit_parent[u]: parent unit index, or -1 for a root (several roots are allowed).
    requirement_*: one row per job profile requirement (profile, competency, required level,
        importance 1-5, essential). A (profile, competency) pair appears at most once.
    assessment_*: the current agreed level per (employee, competency) pair, at most one row per
        pair (use `current_levels` to reduce the full append-only history). A pair with no row is
        "not assessed": it counts as level 0 in gaps and is counted separately as unassessed.
    employee_active[i]: False for someone who has left (default: everyone active). An inactive
        employee keeps an index and their agreed levels, so `GapEngine.set_employee` can bring
        them back incrementally, but counts nowhere: no headcount, no profile, on no bench.
    """

    employee_profile: IntArray
    employee_unit: IntArray
    unit_parent: IntArray
    n_profiles: int
    n_competencies: int
    requirement_profile: IntArray
    requirement_competency: IntArray
    requirement_level: IntArray
    requirement_importance: IntArray
    requirement_essential: BoolArray
    assessment_employee: IntArray
    assessment_competency: IntArray
    assessment_level: IntArray
    employee_active: BoolArray | None = None

    @property
    def n_employees(self) -> int:
        return len(self.employee_profile)

    @property
    def n_units(self) -> int:
        return len(self.unit_parent)

    def active(self) -> BoolArray:
        """employee_active, or every employee active when it was not given."""
        if self.employee_active is None:
            return np.ones(self.n_employees, dtype=bool)
        return np.asarray(self.employee_active, dtype=bool)

    def validate(self) -> None:
        """Raise GapInputError naming the first bad row; cheap (vectorised) at 100k employees."""
        _same_length(
            "employee",
            employee_profile=self.employee_profile,
            employee_unit=self.employee_unit,
            **({} if self.employee_active is None else {"employee_active": self.employee_active}),
        )
        _same_length(
            "requirement",
            requirement_profile=self.requirement_profile,
            requirement_competency=self.requirement_competency,
            requirement_level=self.requirement_level,
            requirement_importance=self.requirement_importance,
            requirement_essential=self.requirement_essential,
        )
        _same_length(
            "assessment",
            assessment_employee=self.assessment_employee,
            assessment_competency=self.assessment_competency,
            assessment_level=self.assessment_level,
        )
        _in_range("employee_profile", self.employee_profile, -1, self.n_profiles)
        _in_range("employee_unit", self.employee_unit, 0, self.n_units)
        _in_range("unit_parent", self.unit_parent, -1, self.n_units)
        _in_range("requirement_profile", self.requirement_profile, 0, self.n_profiles)
        _in_range("requirement_competency", self.requirement_competency, 0, self.n_competencies)
        _in_range("requirement_level", self.requirement_level, 1, 128)
        _in_range("requirement_importance", self.requirement_importance, 1, 6)
        _in_range("assessment_employee", self.assessment_employee, 0, self.n_employees)
        _in_range("assessment_competency", self.assessment_competency, 0, self.n_competencies)
        _in_range("assessment_level", self.assessment_level, 0, 128)
        _unique_pairs(
            "requirement",
            self.requirement_profile,
            self.requirement_competency,
            self.n_competencies,
            "the same competency is required twice by job profile",
        )
        _unique_pairs(
            "assessment",
            self.assessment_employee,
            self.assessment_competency,
            self.n_competencies,
            "two current agreed levels for employee",
        )


def _same_length(kind: str, **arrays: npt.NDArray[np.generic]) -> None:
    lengths = {name: len(values) for name, values in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise GapInputError(f"{kind} arrays differ in length: {lengths}")


def _in_range(name: str, values: IntArray, low: int, high: int) -> None:
    """Check low <= values < high."""
    bad = np.flatnonzero((values < low) | (values >= high))
    if len(bad):
        row = int(bad[0])
        raise GapInputError(
            f"{name} row {row}: {int(values[row])} is outside {low}..{high - 1}"
            f" ({len(bad)} bad rows in all)"
        )


def _unique_pairs(kind: str, first: IntArray, second: IntArray, width: int, what: str) -> None:
    keys = first.astype(np.int64) * width + second
    order = np.argsort(keys, kind="stable")
    repeated = np.flatnonzero(np.diff(keys[order]) == 0)
    if len(repeated):
        row = int(order[repeated[0] + 1])
        raise GapInputError(
            f"{kind} row {row}: {what} {int(first[row])}, competency {int(second[row])}"
        )


def current_levels(
    employee: IntArray, competency: IntArray, level: IntArray, order: IntArray
) -> tuple[IntArray, IntArray, IntArray]:
    """Reduce an assessment history to the latest level per (employee, competency) pair.

    `order` sorts the rows in time (e.g. assessed_on as days, then id); the highest wins. Lets
    the adapter load agreed rows with one unordered `values_list` on SQLite and PostgreSQL alike.
    """
    rows = np.lexsort((order, competency, employee))
    e, c = employee[rows], competency[rows]
    last = np.ones(len(rows), dtype=bool)
    last[:-1] = (e[1:] != e[:-1]) | (c[1:] != c[:-1])
    keep = rows[last]
    return employee[keep], competency[keep], level[keep]


def dense_index(known_ids: IntArray, ids: IntArray, what: str) -> IntArray:
    """Map database ids to dense indices 0..n-1 given the sorted array of all known ids."""
    positions = np.searchsorted(known_ids, ids)
    positions = np.minimum(positions, max(len(known_ids) - 1, 0))
    unknown = np.flatnonzero(
        known_ids[positions] != ids if len(known_ids) else np.ones(len(ids), bool)
    )
    if len(unknown):
        raise GapInputError(f"{what} id {int(ids[unknown[0]])} is not known")
    return positions.astype(np.int32)
