"""The gap engine: organisation-wide recompute on arrays, then O(requirements + depth) updates.

State, all numpy:
- requirements in CSR by job profile, over the "columns" (competencies some profile requires;
  assessments of any other competency cannot change a gap and are dropped);
- one "slot" per (employee, requirement of their own profile), CSR by employee, holding the
  current agreed level (-1 = not assessed);
- agreed levels by column (CSC) for bench strength over all employees, plus a small overlay for
  pairs first assessed after the recompute;
- per-person totals, and per-unit totals and unit x column cells that cover each unit's whole
  subtree; row `organisation` is a virtual root above all units.

Incremental updates: `set_agreed_level` (one agreed level) and `set_employee` (a move to another
unit or job profile, leaving, coming back). The columns and the requirements are fixed at
`compute`: every profile's requirements are columns by construction, so a move to any profile
the engine knows is always incremental; a new or edited requirement needs a new `compute`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from milepost.engines.gaps.inputs import GapInputError, GapInputs, GapWeights
from milepost.engines.gaps.results import (
    BenchStrength,
    GapSummary,
    Heatmap,
    KeyPersonRisks,
    PersonGaps,
)
from milepost.engines.gaps.tree import UnitTree, build_tree, roll_up

# Internal state; dtypes are fixed in `compute` (int32 indices and counts, int64 sums, float64).
I32 = npt.NDArray[Any]
I64 = npt.NDArray[Any]
F64 = npt.NDArray[Any]


@dataclass
class _Totals:
    """Per-row totals; rows are employees or units. Field names match GapSummary."""

    headcount: I64
    with_profile: I64
    requirements: I64
    met: I64
    unassessed: I64
    weighted_gap: F64
    weighted_required: F64
    ready_in_role: I64
    # The part of `met` and of both weighted figures that comes from unassessed pairs, so a
    # page can leave the unassessed out (GapSummary.assessed_only).
    unassessed_met: I64
    weighted_unassessed: F64

    def summary(self, row: int) -> GapSummary:
        return GapSummary(
            headcount=int(self.headcount[row]),
            with_profile=int(self.with_profile[row]),
            requirements=int(self.requirements[row]),
            met=int(self.met[row]),
            unassessed=int(self.unassessed[row]),
            weighted_gap=float(self.weighted_gap[row]),
            weighted_required=float(self.weighted_required[row]),
            ready_in_role=int(self.ready_in_role[row]),
            unassessed_met=int(self.unassessed_met[row]),
            weighted_unassessed=float(self.weighted_unassessed[row]),
        )


@dataclass
class _Cells:
    """Unit x column cells over the people required to hold the column's competency."""

    required: I32
    below: I32
    unassessed: I32
    gap: I32
    weighted_gap: F64
    holder_sum: I64  # sum of holders' employee indices: the sole holder when there is one
    # The unassessed pairs' share of below, gap and weighted_gap (Heatmap.assessed_only).
    unassessed_below: I32
    unassessed_gap: I32
    unassessed_weighted_gap: F64

    def arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass
class GapEngine:
    """Cached gap results for one organisation; build with `GapEngine.compute(inputs)`."""

    weights: GapWeights
    tree: UnitTree
    employee_profile: I32
    employee_unit: I32
    employee_active: npt.NDArray[np.bool_]
    column_of: I32  # competency -> column, -1 if no profile requires it
    column_competency: I32
    req_indptr: I64
    req_column: I32
    req_level: I32
    req_weight: F64
    req_essential: npt.NDArray[np.bool_]
    req_readiness: npt.NDArray[np.bool_]
    slot_indptr: I64
    slot_req: I32
    slot_agreed: I32
    col_indptr: I64
    col_employee: I32
    col_level: I32
    people: _Totals
    units: _Totals
    cells: _Cells
    overlay: dict[int, dict[int, int]] = field(default_factory=dict)

    # ---------------------------------------------------------------- full recompute

    @classmethod
    def compute(cls, inputs: GapInputs, weights: GapWeights | None = None) -> GapEngine:
        """Validate the inputs and compute every cached result, vectorised."""
        weights = weights or GapWeights()
        inputs.validate()
        tree = build_tree(inputs.unit_parent)
        n_employees, n_rows = inputs.n_employees, inputs.n_units + 1
        active = inputs.active().copy()
        # Someone who has left keeps their agreed levels (bench reads skip them) but no profile.
        profile = np.where(active, inputs.employee_profile, -1).astype(np.int32)
        unit = inputs.employee_unit.astype(np.int32)

        # Columns: only competencies that some profile requires.
        column_competency = np.unique(inputs.requirement_competency).astype(np.int32)
        n_columns = len(column_competency)
        column_of = np.full(inputs.n_competencies, -1, dtype=np.int32)
        column_of[column_competency] = np.arange(n_columns, dtype=np.int32)

        # Requirements, CSR by profile.
        order = np.lexsort((inputs.requirement_competency, inputs.requirement_profile))
        req_profile = inputs.requirement_profile[order]
        req_indptr = np.zeros(inputs.n_profiles + 1, dtype=np.int64)
        np.cumsum(np.bincount(req_profile, minlength=inputs.n_profiles), out=req_indptr[1:])
        req_column = column_of[inputs.requirement_competency[order]]
        req_level = inputs.requirement_level[order].astype(np.int32)
        req_essential = inputs.requirement_essential[order].astype(bool)
        factor = np.where(req_essential, weights.essential, weights.optional)
        req_weight = (inputs.requirement_importance[order] * factor).astype(np.float64)
        # A profile with no essential requirement is judged for readiness on all of them.
        has_essential = np.bincount(req_profile, weights=req_essential, minlength=inputs.n_profiles)
        req_readiness = req_essential | (has_essential[req_profile] == 0)

        # Agreed levels, sorted by (employee, column): slots are in that order too, so the
        # lookup below is a merge of two sorted arrays (cache-friendly searchsorted).
        a_column = column_of[inputs.assessment_competency]
        keep = a_column >= 0
        a_column, a_employee = a_column[keep], inputs.assessment_employee[keep].astype(np.int64)
        a_key = a_employee * n_columns + a_column
        by_key = np.argsort(a_key)
        a_key, a_column, a_employee = a_key[by_key], a_column[by_key], a_employee[by_key]
        a_level = inputs.assessment_level[keep][by_key].astype(np.int32)

        # The same levels by column (CSC), employees ascending within a column.
        by_column = np.argsort(a_column, kind="stable")
        col_employee = a_employee[by_column].astype(np.int32)
        col_level = a_level[by_column]
        col_indptr = np.zeros(n_columns + 1, dtype=np.int64)
        np.cumsum(np.bincount(a_column, minlength=n_columns), out=col_indptr[1:])
        del by_column, a_column, a_employee

        # Slots: one per (employee, requirement of the employee's own profile).
        # A trailing 0 is what profile -1 (none) reads, even with no profiles at all.
        per_profile = np.append(np.diff(req_indptr), 0)
        n_slots = np.where(profile >= 0, per_profile[profile], 0)
        slot_indptr = np.zeros(n_employees + 1, dtype=np.int64)
        np.cumsum(n_slots, out=slot_indptr[1:])
        slot_employee = np.repeat(np.arange(n_employees, dtype=np.int32), n_slots)
        slot_req = (
            np.arange(slot_indptr[-1], dtype=np.int64)
            - slot_indptr[slot_employee]
            + req_indptr[profile[slot_employee]]
        ).astype(np.int32)
        slot_column = req_column[slot_req]
        slot_key = slot_employee.astype(np.int64) * n_columns + slot_column
        found_at = np.minimum(np.searchsorted(a_key, slot_key), max(len(a_key) - 1, 0))
        if len(a_key):
            found = a_key[found_at] == slot_key
            slot_agreed = np.where(found, a_level[found_at], -1).astype(np.int32)
        else:
            slot_agreed = np.full(len(slot_key), -1, dtype=np.int32)
        del slot_key, found_at, a_key, a_level

        # Per slot: levels short, met, weighted gap.
        level = req_level[slot_req]
        gap = np.maximum(level - np.maximum(slot_agreed, 0), 0)
        met = gap == 0
        weight = req_weight[slot_req]
        unassessed = slot_agreed < 0
        unassessed_gap = np.where(unassessed, gap, 0)
        essential_unmet = ~met & req_essential[slot_req]

        def per_person(values: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
            return np.bincount(slot_employee, weights=values, minlength=n_employees)

        with_profile = (profile >= 0).astype(np.int64)
        essential_short = per_person(essential_unmet).astype(np.int64)
        people = _Totals(
            headcount=active.astype(np.int64),
            with_profile=with_profile,
            requirements=n_slots.astype(np.int64),
            met=per_person(met).astype(np.int64),
            unassessed=per_person(unassessed).astype(np.int64),
            weighted_gap=per_person(gap * weight).astype(np.float64),
            weighted_required=per_person(level * weight).astype(np.float64),
            ready_in_role=with_profile * (essential_short == 0),
            unassessed_met=per_person(unassessed & met).astype(np.int64),
            weighted_unassessed=per_person(unassessed_gap * weight).astype(np.float64),
        )

        def per_unit(values: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
            direct = np.bincount(unit, weights=values, minlength=n_rows)
            return roll_up(tree, direct.astype(values.dtype))

        units = _Totals(**{name: per_unit(getattr(people, name)) for name in _TOTAL_FIELDS})

        # Unit x column cells, direct members first, then rolled up the tree.
        cell_key = unit[slot_employee].astype(np.int64) * n_columns + slot_column
        n_cells = n_rows * n_columns

        def per_cell(values: npt.NDArray[np.generic] | None, dtype: type) -> npt.NDArray:
            direct = np.bincount(cell_key, weights=values, minlength=n_cells)
            return roll_up(tree, direct.astype(dtype).reshape(n_rows, n_columns))

        cells = _Cells(
            required=per_cell(None, np.int32),
            below=per_cell(~met, np.int32),
            unassessed=per_cell(unassessed, np.int32),
            gap=per_cell(gap, np.int32),
            weighted_gap=per_cell(gap * weight, np.float64),
            holder_sum=per_cell(np.where(met, slot_employee, 0), np.int64),
            unassessed_below=per_cell(unassessed & ~met, np.int32),
            unassessed_gap=per_cell(unassessed_gap, np.int32),
            unassessed_weighted_gap=per_cell(unassessed_gap * weight, np.float64),
        )
        return cls(
            weights=weights,
            tree=tree,
            employee_profile=profile,
            employee_unit=unit,
            employee_active=active,
            column_of=column_of,
            column_competency=column_competency,
            req_indptr=req_indptr,
            req_column=req_column,
            req_level=req_level,
            req_weight=req_weight,
            req_essential=req_essential,
            req_readiness=req_readiness,
            slot_indptr=slot_indptr,
            slot_req=slot_req,
            slot_agreed=slot_agreed,
            col_indptr=col_indptr,
            col_employee=col_employee,
            col_level=col_level,
            people=people,
            units=units,
            cells=cells,
        )

    # ---------------------------------------------------------------- incremental update

    def set_agreed_level(self, employee: int, competency: int, level: int) -> None:
        """Record a new agreed level and update the employee's and their units' results.

        Costs O(requirements of the employee + depth of the unit tree); no other row is read.
        """
        if not 0 <= employee < len(self.employee_profile):
            raise GapInputError(f"employee {employee} is not in the organisation")
        if not 0 <= competency < len(self.column_of):
            raise GapInputError(f"competency {competency} is not known")
        if level < 0:
            raise GapInputError(f"level {level} for employee {employee} is below 0")
        column = int(self.column_of[competency])
        if column < 0:
            return  # no profile requires it: no gap, heatmap or bench can change
        self._store_level(employee, column, level)

        first, last = int(self.slot_indptr[employee]), int(self.slot_indptr[employee + 1])
        own = np.flatnonzero(self.req_column[self.slot_req[first:last]] == column)
        if not len(own):
            return  # not on the employee's own profile: only bench strength changes
        slot = first + int(own[0])
        old = int(self.slot_agreed[slot])
        if old == level:
            return
        self.slot_agreed[slot] = level
        req = int(self.slot_req[slot])
        required, weight = int(self.req_level[req]), float(self.req_weight[req])
        old_gap, new_gap = max(required - max(old, 0), 0), max(required - level, 0)
        d_met = int(new_gap == 0) - int(old_gap == 0)
        d_unassessed = -1 if old < 0 else 0
        d_gap = new_gap - old_gap
        d_weighted = d_gap * weight
        # A first agreed level takes the pair out of the unassessed figures.
        d_unassessed_met = -int(old_gap == 0) if old < 0 else 0
        d_unassessed_below = -int(old_gap > 0) if old < 0 else 0
        d_unassessed_gap = -old_gap if old < 0 else 0
        d_unassessed_weighted = d_unassessed_gap * weight

        people = self.people
        was_ready = people.ready_in_role[employee]
        people.met[employee] += d_met
        people.unassessed[employee] += d_unassessed
        people.weighted_gap[employee] += d_weighted
        people.unassessed_met[employee] += d_unassessed_met
        people.weighted_unassessed[employee] += d_unassessed_weighted
        if self.req_essential[req]:
            # ready_in_role holds "no essential requirement short"; recount this person only.
            reqs = self.slot_req[first:last]
            short = self.req_level[reqs] > np.maximum(self.slot_agreed[first:last], 0)
            people.ready_in_role[employee] = int(not np.any(short & self.req_essential[reqs]))
        d_ready = int(people.ready_in_role[employee] - was_ready)

        rows = self.tree.ancestors_of(int(self.employee_unit[employee]))
        units = self.units
        units.met[rows] += d_met
        units.unassessed[rows] += d_unassessed
        units.weighted_gap[rows] += d_weighted
        units.unassessed_met[rows] += d_unassessed_met
        units.weighted_unassessed[rows] += d_unassessed_weighted
        if d_ready:
            units.ready_in_role[rows] += d_ready
        cells = self.cells
        cells.below[rows, column] -= d_met
        cells.unassessed[rows, column] += d_unassessed
        cells.gap[rows, column] += d_gap
        cells.weighted_gap[rows, column] += d_weighted
        if old < 0:
            cells.unassessed_below[rows, column] += d_unassessed_below
            cells.unassessed_gap[rows, column] += d_unassessed_gap
            cells.unassessed_weighted_gap[rows, column] += d_unassessed_weighted
        if d_met:
            cells.holder_sum[rows, column] += d_met * employee

    def set_employee(self, employee: int, *, unit: int, profile: int, active: bool = True) -> None:
        """Move an employee to another unit and/or job profile (-1 = none), or record that they
        left (`active=False`: out of every figure, levels kept) or came back.

        Subtracts their old contributions along the old unit's ancestors, re-lays their slots for
        the new profile from the agreed levels by column, and adds them along the new unit's.
        Costs O(requirements + depth) plus, when the number of slots changes, one copy of the
        slot arrays (a few ms at 2.5 million slots).
        """
        if not 0 <= employee < len(self.employee_profile):
            raise GapInputError(f"employee {employee} is not in the organisation")
        if not 0 <= unit < self.organisation:
            raise GapInputError(f"unit {unit} is outside 0..{self.organisation - 1}")
        n_profiles = len(self.req_indptr) - 1
        if not -1 <= profile < n_profiles:
            raise GapInputError(f"job profile {profile} is outside -1..{n_profiles - 1}")
        if not active:
            profile = -1
        before = (
            int(self.employee_unit[employee]),
            int(self.employee_profile[employee]),
            bool(self.employee_active[employee]),
        )
        if before == (unit, profile, active):
            return
        self._add_to_units(employee, -1)

        first, last = int(self.slot_indptr[employee]), int(self.slot_indptr[employee + 1])
        if profile >= 0:
            start, end = int(self.req_indptr[profile]), int(self.req_indptr[profile + 1])
            reqs = np.arange(start, end, dtype=np.int32)
        else:
            reqs = np.zeros(0, dtype=np.int32)
        agreed = np.array(
            [self._level(employee, column) for column in self.req_column[reqs].tolist()],
            dtype=np.int32,
        )
        if len(reqs) == last - first:
            self.slot_req[first:last] = reqs
            self.slot_agreed[first:last] = agreed
        else:
            self.slot_req = np.concatenate((self.slot_req[:first], reqs, self.slot_req[last:]))
            self.slot_agreed = np.concatenate(
                (self.slot_agreed[:first], agreed, self.slot_agreed[last:])
            )
            self.slot_indptr[employee + 1 :] += len(reqs) - (last - first)
        self.employee_unit[employee] = unit
        self.employee_profile[employee] = profile
        self.employee_active[employee] = active
        self._count_person(employee)
        self._add_to_units(employee, 1)

    def _slot_figures(self, employee: int) -> tuple[I32, I32, I64, F64]:
        """The employee's slots as (requirements, agreed levels, levels short, weights)."""
        first, last = int(self.slot_indptr[employee]), int(self.slot_indptr[employee + 1])
        reqs, agreed = self.slot_req[first:last], self.slot_agreed[first:last]
        gap = np.maximum(self.req_level[reqs] - np.maximum(agreed, 0), 0).astype(np.int64)
        return reqs, agreed, gap, self.req_weight[reqs]

    def _count_person(self, employee: int) -> None:
        """Recount one person's totals from their slots, as `compute` does for everyone."""
        reqs, agreed, gap, weight = self._slot_figures(employee)
        has_profile = int(self.employee_profile[employee] >= 0)
        people = self.people
        people.headcount[employee] = int(self.employee_active[employee])
        people.with_profile[employee] = has_profile
        people.requirements[employee] = len(reqs)
        people.met[employee] = int(np.count_nonzero(gap == 0))
        people.unassessed[employee] = int(np.count_nonzero(agreed < 0))
        people.weighted_gap[employee] = float((gap * weight).sum())
        people.weighted_required[employee] = float((self.req_level[reqs] * weight).sum())
        unassessed = agreed < 0
        people.unassessed_met[employee] = int(np.count_nonzero(unassessed & (gap == 0)))
        people.weighted_unassessed[employee] = float((np.where(unassessed, gap, 0) * weight).sum())
        essential_short = bool(np.any((gap > 0) & self.req_essential[reqs]))
        people.ready_in_role[employee] = has_profile * int(not essential_short)

    def _add_to_units(self, employee: int, sign: int) -> None:
        """Add (sign 1) or take away (sign -1) one person's totals and cells along their unit's
        ancestors."""
        rows = self.tree.ancestors_of(int(self.employee_unit[employee]))
        for name in _TOTAL_FIELDS:
            getattr(self.units, name)[rows] += sign * getattr(self.people, name)[employee]
        reqs, agreed, gap, weight = self._slot_figures(employee)
        if not len(reqs):
            return
        met = gap == 0
        grid = (rows[:, None], self.req_column[reqs][None, :])  # a profile's columns are unique
        cells = self.cells
        cells.required[grid] += sign
        cells.below[grid] += sign * (~met).astype(np.int32)
        cells.unassessed[grid] += sign * (agreed < 0).astype(np.int32)
        cells.gap[grid] += sign * gap
        cells.weighted_gap[grid] += sign * (gap * weight)
        cells.holder_sum[grid] += sign * np.where(met, employee, 0)
        unassessed = agreed < 0
        cells.unassessed_below[grid] += sign * (unassessed & ~met).astype(np.int32)
        cells.unassessed_gap[grid] += sign * np.where(unassessed, gap, 0).astype(np.int32)
        cells.unassessed_weighted_gap[grid] += sign * (np.where(unassessed, gap, 0) * weight)

    def _level(self, employee: int, column: int) -> int:
        """The agreed level of a pair from the CSC or the overlay; -1 if not assessed."""
        start, end = int(self.col_indptr[column]), int(self.col_indptr[column + 1])
        at = start + int(np.searchsorted(self.col_employee[start:end], employee))
        if at < end and self.col_employee[at] == employee:
            return int(self.col_level[at])
        return self.overlay.get(column, {}).get(employee, -1)

    def _store_level(self, employee: int, column: int, level: int) -> None:
        start, end = int(self.col_indptr[column]), int(self.col_indptr[column + 1])
        at = start + int(np.searchsorted(self.col_employee[start:end], employee))
        if at < end and self.col_employee[at] == employee:
            self.col_level[at] = level
        else:
            self.overlay.setdefault(column, {})[employee] = level

    # ---------------------------------------------------------------- reads

    @property
    def organisation(self) -> int:
        """Row index of the whole organisation in unit-level results."""
        return self.tree.organisation

    def person_gaps(self, employee: int) -> PersonGaps:
        first, last = int(self.slot_indptr[employee]), int(self.slot_indptr[employee + 1])
        reqs = self.slot_req[first:last]
        agreed = self.slot_agreed[first:last].astype(np.int64)
        required = self.req_level[reqs].astype(np.int64)
        gap = np.maximum(required - np.maximum(agreed, 0), 0)
        weight = self.req_weight[reqs]
        return PersonGaps(
            employee=employee,
            profile=int(self.employee_profile[employee]),
            competency=self.column_competency[self.req_column[reqs]].astype(np.int64),
            required_level=required,
            agreed_level=agreed,
            gap=gap,
            weight=weight,
            weighted_gap=gap * weight,
            essential=self.req_essential[reqs],
            summary=self.people.summary(employee),
        )

    def unit_summary(self, unit: int, *, include_subunits: bool = True) -> GapSummary:
        """Totals for a unit with (by default) every unit below it."""
        if include_subunits:
            return self.units.summary(unit)
        children = self.tree.children_of(unit)
        values: dict[str, Any] = {}
        for name in _TOTAL_FIELDS:
            column = getattr(self.units, name)
            values[name] = column[unit] - column[children].sum()
        return _summary_from(values)

    def organisation_summary(self) -> GapSummary:
        return self.units.summary(self.organisation)

    def team_summary(self, employees: npt.ArrayLike) -> GapSummary:
        """Totals for any set of employees, e.g. a manager's direct reports."""
        rows = np.asarray(employees, dtype=np.int64)
        return _summary_from(
            {name: getattr(self.people, name)[rows].sum() for name in _TOTAL_FIELDS}
        )

    def heatmap(self, units: npt.ArrayLike, *, include_subunits: bool = True) -> Heatmap:
        """Units x competencies; columns are those required of someone in at least one row."""
        rows = np.asarray(units, dtype=np.int64).reshape(-1)
        blocks = {name: values[rows] for name, values in self.cells.arrays().items()}
        if not include_subunits:
            blocks = self._direct_only(rows, blocks)
        columns = np.flatnonzero(blocks["required"].any(axis=0))

        def block(name: str, dtype: type) -> npt.NDArray[Any]:
            return blocks[name][:, columns].astype(dtype)

        return Heatmap(
            units=rows,
            competency=self.column_competency[columns].astype(np.int64),
            required=block("required", np.int64),
            below=block("below", np.int64),
            unassessed=block("unassessed", np.int64),
            gap=block("gap", np.int64),
            weighted_gap=block("weighted_gap", np.float64),
            unassessed_below=block("unassessed_below", np.int64),
            unassessed_gap=block("unassessed_gap", np.int64),
            unassessed_weighted_gap=block("unassessed_weighted_gap", np.float64),
        )

    def unit_heatmap(self, unit: int) -> Heatmap:
        """The unit's own row (with sub-units) followed by one row per direct child unit."""
        return self.heatmap(np.r_[unit, self.tree.children_of(unit)])

    def team_heatmap(self, employees: npt.ArrayLike) -> Heatmap:
        """One row for any set of employees (units = [-1]), computed from their slots."""
        people = np.asarray(employees, dtype=np.int64).reshape(-1)
        first, last = self.slot_indptr[people], self.slot_indptr[people + 1]
        counts = last - first
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        slots = np.repeat(first, counts) + offsets
        reqs = self.slot_req[slots]
        gap = np.maximum(self.req_level[reqs] - np.maximum(self.slot_agreed[slots], 0), 0)
        weighted = gap * self.req_weight[reqs]
        unassessed = self.slot_agreed[slots] < 0
        n_columns = len(self.column_competency)
        column = self.req_column[reqs]
        columns = np.flatnonzero(np.bincount(column, minlength=n_columns))

        def per_column(values: npt.NDArray[np.generic] | None, dtype: type) -> npt.NDArray[Any]:
            counted = np.bincount(column, weights=values, minlength=n_columns)
            return counted[columns].reshape(1, -1).astype(dtype)

        return Heatmap(
            units=np.array([-1]),
            competency=self.column_competency[columns].astype(np.int64),
            required=per_column(None, np.int64),
            below=per_column(gap > 0, np.int64),
            unassessed=per_column(unassessed, np.int64),
            gap=per_column(gap, np.int64),
            weighted_gap=per_column(weighted, np.float64),
            unassessed_below=per_column(unassessed & (gap > 0), np.int64),
            unassessed_gap=per_column(np.where(unassessed, gap, 0), np.int64),
            unassessed_weighted_gap=per_column(np.where(unassessed, weighted, 0), np.float64),
        )

    def key_person_risks(
        self,
        units: npt.ArrayLike | None = None,
        *,
        include_subunits: bool = True,
        max_holders: int = 1,
    ) -> KeyPersonRisks:
        """Competencies required in a unit and held (at the required level) by <= max_holders.

        `units=None` scans every unit and the organisation row in one pass.
        """
        if units is None:
            rows = np.arange(len(self.tree.parent), dtype=np.int64)
        else:
            rows = np.asarray(units, dtype=np.int64).reshape(-1)
        blocks: dict[str, I64] = {
            "required": self.cells.required[rows],
            "below": self.cells.below[rows],
            "holder_sum": self.cells.holder_sum[rows],
        }
        if not include_subunits:
            blocks = self._direct_only(rows, blocks)
        holders = blocks["required"] - blocks["below"]
        row_at, column = np.nonzero((blocks["required"] > 0) & (holders <= max_holders))
        held = holders[row_at, column]
        return KeyPersonRisks(
            unit=rows[row_at],
            competency=self.column_competency[column].astype(np.int64),
            required=blocks["required"][row_at, column].astype(np.int64),
            holders=held.astype(np.int64),
            sole_holder=np.where(held == 1, blocks["holder_sum"][row_at, column], -1),
        )

    def _direct_only(self, rows: I64, blocks: dict[str, I64]) -> dict[str, I64]:
        """Subtract each row's children (subtree cells) to keep the unit's own members only."""
        all_cells = self.cells.arrays()
        direct = {}
        for name, block in blocks.items():
            block = block.copy()
            for at, row in enumerate(rows):
                children = self.tree.children_of(int(row))
                if len(children):
                    block[at] -= all_cells[name][children].sum(axis=0).astype(block.dtype)
            direct[name] = block
        return direct

    def bench_strength(self, profile: int, *, max_short: int = 2) -> BenchStrength:
        """Ready and nearly ready employees for a job profile, from the whole organisation.

        Reads only the agreed levels of the profile's competencies (CSC columns), so it is
        always current after `set_agreed_level` and `set_employee`. Unassessed never counts as
        "within one level"; people who left (inactive) are never on a bench.
        """
        n_employees = len(self.employee_profile)
        reqs = np.arange(self.req_indptr[profile], self.req_indptr[profile + 1])
        reqs = reqs[self.req_readiness[reqs]]
        employees, levels, needed = [], [], []
        for req in reqs:
            column = int(self.req_column[req])
            start, end = self.col_indptr[column], self.col_indptr[column + 1]
            seg_employees, seg_levels = self.col_employee[start:end], self.col_level[start:end]
            extra = self.overlay.get(column)
            if extra:
                seg_employees = np.r_[seg_employees, np.fromiter(extra.keys(), np.int32)]
                seg_levels = np.r_[seg_levels, np.fromiter(extra.values(), np.int32)]
            employees.append(seg_employees)
            levels.append(seg_levels)
            needed.append(np.full(len(seg_employees), self.req_level[req], dtype=np.int32))
        n_reqs = len(reqs)
        if n_reqs == 0:
            everyone = np.flatnonzero(self.employee_active).astype(np.int64)
            empty = np.zeros(0, dtype=np.int64)
            return BenchStrength(profile, 0, max_short, everyone, empty, empty)
        who = np.concatenate(employees)
        level, need = np.concatenate(levels), np.concatenate(needed)
        present = self.employee_active[who]  # people who left keep their levels, not a place
        who, level, need = who[present], level[present], need[present]
        met = np.bincount(who[level >= need], minlength=n_employees)
        within = np.bincount(who[level >= need - 1], minlength=n_employees)
        short = n_reqs - met
        ready = np.flatnonzero(short == 0)
        near = np.flatnonzero((within == n_reqs) & (short > 0) & (short <= max_short))
        near = near[np.argsort(short[near], kind="stable")]
        return BenchStrength(
            profile=profile,
            readiness_requirements=n_reqs,
            max_short=max_short,
            ready=ready.astype(np.int64),
            nearly_ready=near.astype(np.int64),
            nearly_ready_short=short[near].astype(np.int64),
        )

    def bench_strength_all(self, *, max_short: int = 2) -> list[BenchStrength]:
        """Bench strength for every job profile (a loop over profiles, not employees)."""
        n_profiles = len(self.req_indptr) - 1
        return [self.bench_strength(p, max_short=max_short) for p in range(n_profiles)]

    def memory_bytes(self) -> int:
        """Bytes held by the cached arrays (for the benchmark and capacity planning)."""
        total = 0
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                total += value.nbytes
            elif isinstance(value, _Totals | _Cells):
                total += sum(a.nbytes for a in vars(value).values())
        return total


_TOTAL_FIELDS = tuple(_Totals.__dataclass_fields__)


def _summary_from(values: dict[str, Any]) -> GapSummary:
    converted: dict[str, Any] = {
        name: (float(v) if name.startswith("weighted") else int(v)) for name, v in values.items()
    }
    return GapSummary(**converted)
