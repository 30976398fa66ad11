"""Reads of the gap analysis, narrowed with accounts.access to what the user may see.

The figures come from the cached engine (`gaps.current_gaps()`); the database is asked only for
the object named in the URL and for the names of the few units, competencies and people shown,
so every page runs a fixed number of queries whatever the organisation's size.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from milepost.accounts.access import (
    GAPS_DENIED,
    AnyUser,
    can_view_gap_analysis,
    gap_scope_unit,
    own_employee_id,
    require,
)
from milepost.accounts.models import OrgUnit
from milepost.accounts.selectors import visible_units
from milepost.engines.gaps import GapSummary, Heatmap
from milepost.frameworks.models import Competency, JobProfile
from milepost.insights.gaps import GapSnapshot, current_gaps
from milepost.needs.signals import GapSuggestion
from milepost.people.models import Employee
from milepost.people.selectors import get_employee, visible_employees

HEATMAP_COLUMNS = 20  # competencies shown at first: the largest weighted gaps
HEATMAP_MAX_COLUMNS = 200  # the most a page shows; exports carry every column
NAME_CHUNK = 2_000  # ids per `IN (...)` when exports fetch every name


# --- small results for the pages, the API and the exports --------------------------------------


@dataclass(frozen=True)
class SummaryRow:
    """A unit (or the organisation, pk None) with its gap totals, sub-units included."""

    pk: int | None
    name: str
    summary: GapSummary
    has_children: bool = False


@dataclass(frozen=True)
class HeatCell:
    required: int
    below: int
    unassessed: int
    gap: int
    weighted_gap: float

    @property
    def holders(self) -> int:
        return self.required - self.below

    @property
    def share_below(self) -> float:
        return self.below / self.required if self.required else math.nan

    @property
    def band(self) -> int:
        """0 (nobody below) to 4 (more than three quarters below): the cell's colour."""
        share = self.share_below
        if math.isnan(share) or share == 0:
            return 0
        return min(4, 1 + int(share * 4 - 1e-9))


@dataclass(frozen=True)
class HeatRow:
    pk: int | None  # unit pk; None for a team row
    name: str
    cells: list[HeatCell | None]  # None: nobody in the row is required to hold it


@dataclass(frozen=True)
class HeatmapTable:
    columns: list[tuple[int, str]]  # (competency pk, name), largest weighted gap first
    rows: list[HeatRow]
    total_columns: int  # columns before the top-N cut and the name filter
    matching_columns: int  # after the name filter


@dataclass(frozen=True)
class RiskRow:
    unit_pk: int
    unit_name: str
    competency_pk: int
    competency_name: str
    required: int
    holders: int
    sole_holder_pk: int | None
    sole_holder_name: str


@dataclass(frozen=True)
class RequirementGap:
    competency_pk: int
    competency_name: str
    required_level: int
    agreed_level: int | None  # None: not assessed (counts as level 0)
    gap: int
    weight: float
    weighted_gap: float
    essential: bool


@dataclass(frozen=True)
class PersonRow:
    pk: int
    name: str
    summary: GapSummary | None  # None: inactive (not in the analysis)


@dataclass(frozen=True)
class BenchPerson:
    pk: int
    name: str
    unit_name: str
    short: int  # requirements one level short (0: ready)


@dataclass(frozen=True)
class BenchRow:
    """A job profile with its ready and nearly-ready counts in the user's scope."""

    profile: JobProfile
    readiness_requirements: int
    ready: int
    nearly_ready: int
    holders: int


# --- scope ----------------------------------------------------------------------------------


def require_gap_analysis(user: AnyUser) -> None:
    require(can_view_gap_analysis(user), GAPS_DENIED)


def own_gaps_instead(user: AnyUser) -> int | None:
    """For someone who may not analyse units but has an employee record (an employee): the
    record whose gaps the overview sends them to. None otherwise."""
    if can_view_gap_analysis(user):
        return None
    return own_employee_id(user)


def gap_unit(user: AnyUser, unit_id: int) -> OrgUnit:
    """A unit the user may analyse, or 404 (hidden units do not leak); 403 for wrong roles."""
    unit = get_object_or_404(visible_units(user), pk=unit_id)
    require_gap_analysis(user)
    return unit


def gap_employee(user: AnyUser, employee_id: int) -> Employee:
    """An employee whose gaps the user may see (an employee: only themselves), or 404."""
    return get_employee(user, employee_id)


def team_manager(user: AnyUser, employee_id: int) -> Employee:
    """A manager whose direct reports the user may analyse: 404 if hidden, 403 by role."""
    manager = get_employee(user, employee_id)
    require_gap_analysis(user)
    return manager


def _whole_organisation(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.sees_whole_organisation)


def _scope_rows(snapshot: GapSnapshot, user: AnyUser) -> npt.NDArray[np.int64] | None:
    """Engine unit rows the user's scope covers; None for the whole organisation."""
    if _whole_organisation(user):
        return None
    scope = gap_scope_unit(user)
    if scope is None:
        return np.zeros(0, dtype=np.int64)
    unit = snapshot.unit_index(scope.pk)
    if unit is None:
        return np.zeros(0, dtype=np.int64)
    return _subtree(snapshot, unit)


def _subtree(snapshot: GapSnapshot, unit: int) -> npt.NDArray[np.int64]:
    tree = snapshot.engine.tree
    owners = np.repeat(np.arange(len(tree.parent)), np.diff(tree.ancestor_indptr))
    return np.unique(owners[tree.ancestors == unit]).astype(np.int64)


def _scope_mask(snapshot: GapSnapshot, user: AnyUser, employees: npt.NDArray[Any]) -> npt.NDArray:
    """Which of these engine employees sit in the user's units (all, organisation-wide)."""
    rows = _scope_rows(snapshot, user)
    if rows is None:
        return np.ones(len(employees), dtype=bool)
    return np.isin(snapshot.engine.employee_unit[employees], rows)


def _in_scope(snapshot: GapSnapshot, user: AnyUser, employees: npt.NDArray[Any]) -> npt.NDArray:
    return employees[_scope_mask(snapshot, user, employees)]


# --- names of the few things shown ----------------------------------------------------------


def _unit_names(pks: Iterable[int]) -> dict[int, str]:
    return dict(OrgUnit.objects.filter(pk__in=list(pks)).order_by().values_list("pk", "name"))


def _competency_names(pks: Sequence[int]) -> dict[int, str]:
    names: dict[int, str] = {}
    for start in range(0, len(pks), NAME_CHUNK):
        chunk = list(pks[start : start + NAME_CHUNK])
        names.update(Competency.objects.filter(pk__in=chunk).order_by().values_list("pk", "name"))
    return names


def _people(
    pks: Sequence[int], among: QuerySet[Employee] | None = None
) -> dict[int, tuple[str, str]]:
    """Employee pk -> (full name, unit name), one query for the ones shown (`among` narrows
    to the employees the user may see)."""
    found: dict[int, tuple[str, str]] = {}
    base = Employee.objects.all() if among is None else among
    for start in range(0, len(pks), NAME_CHUNK):
        chunk = list(pks[start : start + NAME_CHUNK])
        rows = (
            base.filter(pk__in=chunk)
            .order_by()
            .values_list("pk", "first_name", "last_name", "unit__name")
        )
        found.update({pk: (f"{first} {last}".strip(), unit) for pk, first, last, unit in rows})
    return found


# --- summaries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    title: str
    summary: GapSummary
    unit: OrgUnit | None  # the manager's unit; None for the organisation
    rows: list[SummaryRow]
    heatmap_unit: int | None = None  # the unit page with the heatmap for this scope


def gap_overview(user: AnyUser) -> Overview:
    """The organisation (or the manager's unit) and the units one level below it."""
    require_gap_analysis(user)
    scope = gap_scope_unit(user)
    whole = _whole_organisation(user)
    if scope is None and not whole:
        return Overview("No unit", _empty_summary(), None, [])  # a manager without a unit
    snapshot = current_gaps()
    with snapshot.lock:
        engine = snapshot.engine
        if scope is None:
            row, title = engine.organisation, "The whole organisation"
            roots = engine.tree.children_of(row)
            if len(roots) == 1:
                # One top unit (the company itself): list the units below it instead.
                row = int(roots[0])
        else:
            found = snapshot.unit_index(scope.pk)
            if found is None:
                return Overview(scope.name, _empty_summary(), scope, [])
            row, title = found, scope.name
        children = engine.tree.children_of(row)
        summary = engine.units.summary(row)  # a single top unit's totals are everyone's
        heatmap_unit = int(snapshot.unit_pks([row])[0]) if row != engine.organisation else None
        child_summaries = [(int(c), engine.units.summary(int(c))) for c in children]
        child_counts = {int(c): len(engine.tree.children_of(int(c))) for c in children}
        pks = snapshot.unit_pks([c for c, _ in child_summaries])
    names = _unit_names(pks.tolist())
    rows = [
        SummaryRow(int(pk), names.get(int(pk), ""), child_summary, child_counts[c] > 0)
        for pk, (c, child_summary) in zip(pks, child_summaries, strict=True)
    ]
    rows.sort(key=lambda r: r.name.lower())
    return Overview(title, summary, scope, rows, heatmap_unit)


def _empty_summary() -> GapSummary:
    return GapSummary(0, 0, 0, 0, 0, 0.0, 0.0, 0)


@dataclass(frozen=True)
class UnitGaps:
    unit: OrgUnit
    summary: GapSummary
    own_summary: GapSummary  # the unit's own members, without sub-units
    children: list[SummaryRow]


@dataclass(frozen=True)
class UnitPage:
    gaps: UnitGaps
    heatmap: HeatmapTable
    risks: list[RiskRow]


_NO_HEATMAP = HeatmapTable([], [], 0, 0)


def unit_page(
    user: AnyUser,
    unit: OrgUnit,
    *,
    columns: int | None = HEATMAP_COLUMNS,
    competency_query: str = "",
) -> UnitPage:
    """Everything the unit gaps page shows, from one look at the engine and one query each
    for the unit names, the competency names and the sole holders."""
    snapshot = current_gaps()
    with snapshot.lock:
        row = snapshot.unit_index(unit.pk)
        if row is None:
            return UnitPage(UnitGaps(unit, _empty_summary(), _empty_summary(), []), _NO_HEATMAP, [])
        figures = _unit_figures(snapshot, row)
        heatmap, row_pks, competency_pks = _unit_heatmap_arrays(snapshot, row)
        risks = _risk_arrays(snapshot, row)
    order, matching = _column_order(heatmap, competency_pks, columns, competency_query)
    shown = competency_pks[order].tolist()
    unit_names = _unit_names(pk for pk in row_pks if pk is not None)
    competency_names = _competency_names(sorted({*shown, *(r[0] for r in risks)}))
    holders = _people([r[3] for r in risks if r[3] is not None], visible_employees(user))
    return UnitPage(
        gaps=_unit_gaps_result(unit, figures, unit_names),
        heatmap=_build_table(
            heatmap, competency_pks, order, matching, row_pks, unit_names, competency_names
        ),
        risks=_risk_rows(unit, risks, competency_names, holders),
    )


def unit_gaps(user: AnyUser, unit: OrgUnit) -> UnitGaps:
    """Totals for a unit with its sub-units, its own members, and each direct child unit."""
    snapshot = current_gaps()
    with snapshot.lock:
        row = snapshot.unit_index(unit.pk)
        if row is None:
            return UnitGaps(unit, _empty_summary(), _empty_summary(), [])
        figures = _unit_figures(snapshot, row)
    return _unit_gaps_result(unit, figures, _unit_names(pk for pk, _, _ in figures[2]))


_UnitFigures = tuple[GapSummary, GapSummary, list[tuple[int, GapSummary, bool]]]


def _unit_figures(snapshot: GapSnapshot, row: int) -> _UnitFigures:
    engine = snapshot.engine
    children = [int(c) for c in engine.tree.children_of(row)]
    child_pks = snapshot.unit_pks(children).tolist()
    return (
        engine.units.summary(row),
        engine.unit_summary(row, include_subunits=False),
        [
            (pk, engine.units.summary(c), len(engine.tree.children_of(c)) > 0)
            for pk, c in zip(child_pks, children, strict=True)
        ],
    )


def _unit_gaps_result(unit: OrgUnit, figures: _UnitFigures, names: dict[int, str]) -> UnitGaps:
    summary, own, children = figures
    rows = [SummaryRow(pk, names.get(pk, ""), s, more) for pk, s, more in children]
    rows.sort(key=lambda r: r.name.lower())
    return UnitGaps(unit, summary, own, rows)


# --- heatmaps -------------------------------------------------------------------------------


def unit_heatmap(
    user: AnyUser,
    unit: OrgUnit,
    *,
    columns: int | None = HEATMAP_COLUMNS,
    competency_query: str = "",
) -> HeatmapTable:
    """The unit's row (sub-units included) and one row per direct child unit; columns are the
    competencies with the largest weighted gap in the unit's row (all of them if `columns` is
    None), optionally only those whose name contains `competency_query`."""
    snapshot = current_gaps()
    with snapshot.lock:
        row = snapshot.unit_index(unit.pk)
        if row is None:
            return _NO_HEATMAP
        heatmap, row_pks, competency_pks = _unit_heatmap_arrays(snapshot, row)
    order, matching = _column_order(heatmap, competency_pks, columns, competency_query)
    unit_names = _unit_names(pk for pk in row_pks if pk is not None)
    competency_names = _competency_names(competency_pks[order].tolist())
    return _build_table(
        heatmap, competency_pks, order, matching, row_pks, unit_names, competency_names
    )


def _unit_heatmap_arrays(
    snapshot: GapSnapshot, row: int
) -> tuple[Heatmap, list[int | None], npt.NDArray[np.int64]]:
    heatmap = snapshot.engine.unit_heatmap(row)
    row_pks: list[int | None] = [int(u) for u in snapshot.unit_pks(heatmap.units)]
    return heatmap, row_pks, snapshot.competency_pks(heatmap.competency)


def team_heatmap(
    user: AnyUser,
    members: Sequence[int],
    *,
    label: str,
    columns: int | None = HEATMAP_COLUMNS,
    competency_query: str = "",
    snapshot: GapSnapshot | None = None,
) -> HeatmapTable:
    """One row over a set of employees (a manager's direct reports)."""
    snapshot = snapshot or current_gaps()
    with snapshot.lock:
        people = snapshot.employee_indices(members)
        if not len(people):
            return _NO_HEATMAP
        heatmap = snapshot.engine.team_heatmap(people)
        competency_pks = snapshot.competency_pks(heatmap.competency)
    order, matching = _column_order(heatmap, competency_pks, columns, competency_query)
    competency_names = _competency_names(competency_pks[order].tolist())
    return _build_table(
        heatmap, competency_pks, order, matching, [None], {}, competency_names, label=label
    )


def _column_order(
    heatmap: Heatmap,
    competency_pks: npt.NDArray[np.int64],
    columns: int | None,
    competency_query: str,
) -> tuple[npt.NDArray[np.int64], int]:
    """Columns by the first row's weighted gap (the unit with its sub-units, or the team),
    largest first, filtered by name and cut to `columns`; and how many matched the filter."""
    order = np.lexsort((competency_pks, -heatmap.weighted_gap[0]))
    if competency_query.strip():
        order = order[np.isin(competency_pks[order], _competencies_named(competency_query))]
    matching = len(order)
    if columns is not None:
        order = order[: min(columns, HEATMAP_MAX_COLUMNS)]
    return order, matching


def _build_table(
    heatmap: Heatmap,
    competency_pks: npt.NDArray[np.int64],
    order: npt.NDArray[np.int64],
    matching: int,
    row_pks: list[int | None],
    unit_names: dict[int, str],
    competency_names: dict[int, str],
    *,
    label: str = "",
) -> HeatmapTable:
    rows = []
    for at, pk in enumerate(row_pks):
        cells: list[HeatCell | None] = []
        for column in order:
            required = int(heatmap.required[at, column])
            cells.append(
                HeatCell(
                    required=required,
                    below=int(heatmap.below[at, column]),
                    unassessed=int(heatmap.unassessed[at, column]),
                    gap=int(heatmap.gap[at, column]),
                    weighted_gap=float(heatmap.weighted_gap[at, column]),
                )
                if required
                else None
            )
        rows.append(HeatRow(pk, unit_names.get(pk, "") if pk is not None else label, cells))
    shown = competency_pks[order].tolist()
    return HeatmapTable(
        columns=[(pk, competency_names.get(pk, "")) for pk in shown],
        rows=rows,
        total_columns=len(competency_pks),
        matching_columns=matching,
    )


def _competencies_named(query: str) -> npt.NDArray[np.int64]:
    rows = Competency.objects.filter(name__icontains=query.strip()).values_list("pk", flat=True)
    return np.fromiter(rows, dtype=np.int64)


def heatmap_export_rows(table: HeatmapTable) -> Iterable[list[Any]]:
    """One line per (row, competency) cell that someone is required to hold (a long table)."""
    for row in table.rows:
        for (_pk, name), cell in zip(table.columns, row.cells, strict=True):
            if cell is None:
                continue
            yield [
                row.name,
                name,
                cell.required,
                cell.holders,
                cell.below,
                cell.unassessed,
                round(100 * cell.share_below, 1),
                cell.gap,
                round(cell.weighted_gap, 2),
            ]


HEATMAP_EXPORT_HEADER = (
    "Unit or team",
    "Competency",
    "People required",
    "At or above required level",
    "Below required level",
    "Not assessed",
    "% below",
    "Levels short",
    "Weighted gap",
)


# --- key-person risk ------------------------------------------------------------------------


def key_person_risks(user: AnyUser, unit: OrgUnit) -> list[RiskRow]:
    """Competencies required in the unit (with sub-units) held at the required level by at
    most one person; the most widely required first."""
    snapshot = current_gaps()
    with snapshot.lock:
        row = snapshot.unit_index(unit.pk)
        if row is None:
            return []
        risks = _risk_arrays(snapshot, row)
    competency_names = _competency_names(sorted({r[0] for r in risks}))
    holders = _people([r[3] for r in risks if r[3] is not None], visible_employees(user))
    return _risk_rows(unit, risks, competency_names, holders)


# (competency pk, people required, holders, sole holder's employee pk or None)
_Risk = tuple[int, int, int, int | None]


def _risk_arrays(snapshot: GapSnapshot, row: int) -> list[_Risk]:
    risks = snapshot.engine.key_person_risks([row])
    holder_pks = snapshot.employee_pks(np.maximum(risks.sole_holder, 0)).tolist()
    return [
        (int(pk), int(need), int(count), holder if index >= 0 else None)
        for pk, need, count, index, holder in zip(
            snapshot.competency_pks(risks.competency).tolist(),
            risks.required,
            risks.holders,
            risks.sole_holder,
            holder_pks,
            strict=True,
        )
    ]


def _risk_rows(
    unit: OrgUnit,
    risks: list[_Risk],
    competency_names: dict[int, str],
    holders: dict[int, tuple[str, str]],
) -> list[RiskRow]:
    """Sole holders the viewer may not see stay unnamed (`holders` holds the visible ones)."""
    rows = [
        RiskRow(
            unit_pk=unit.pk,
            unit_name=unit.name,
            competency_pk=pk,
            competency_name=competency_names.get(pk, ""),
            required=need,
            holders=count,
            sole_holder_pk=holder if holder in holders else None,
            sole_holder_name=holders[holder][0] if holder in holders else "",
        )
        for pk, need, count, holder in risks
    ]
    rows.sort(key=lambda r: (-r.required, r.holders, r.competency_name.lower()))
    return rows


RISK_EXPORT_HEADER = (
    "Unit",
    "Competency",
    "People required",
    "Holders at required level",
    "Sole holder",
)


def risk_export_rows(rows: Iterable[RiskRow]) -> Iterable[list[Any]]:
    for row in rows:
        yield [row.unit_name, row.competency_name, row.required, row.holders, row.sole_holder_name]


# --- people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonGapsResult:
    employee: Employee
    in_analysis: bool  # False: inactive, so not counted
    summary: GapSummary
    requirements: list[RequirementGap]
    manages_people: bool = False  # has active direct reports: link to their team gaps


def person_gaps(user: AnyUser, employee: Employee) -> PersonGapsResult:
    """Required versus agreed level for each requirement of the person's job profile."""
    snapshot = current_gaps()
    with snapshot.lock:
        index = snapshot.employee_index(employee.pk)
        if index is None:
            return PersonGapsResult(employee, False, _empty_summary(), [])
        gaps = snapshot.engine.person_gaps(index)
        competency_pks = snapshot.competency_pks(gaps.competency).tolist()
    names = _competency_names(competency_pks)
    requirements = [
        RequirementGap(
            competency_pk=pk,
            competency_name=names.get(pk, ""),
            required_level=int(gaps.required_level[at]),
            agreed_level=int(gaps.agreed_level[at]) if gaps.agreed_level[at] >= 0 else None,
            gap=int(gaps.gap[at]),
            weight=float(gaps.weight[at]),
            weighted_gap=float(gaps.weighted_gap[at]),
            essential=bool(gaps.essential[at]),
        )
        for at, pk in enumerate(competency_pks)
    ]
    requirements.sort(key=lambda r: (-r.weighted_gap, r.competency_name.lower()))
    manages = can_view_gap_analysis(user) and direct_reports(user, employee).exists()
    return PersonGapsResult(employee, True, gaps.summary, requirements, manages)


PERSON_EXPORT_HEADER = (
    "Competency",
    "Essential",
    "Required level",
    "Agreed level",
    "Levels short",
    "Weight",
    "Weighted gap",
)


def person_export_rows(rows: Iterable[RequirementGap]) -> Iterable[list[Any]]:
    for row in rows:
        yield [
            row.competency_name,
            "yes" if row.essential else "no",
            row.required_level,
            "" if row.agreed_level is None else row.agreed_level,
            row.gap,
            row.weight,
            row.weighted_gap,
        ]


@dataclass(frozen=True)
class TeamGaps:
    manager: Employee
    summary: GapSummary
    people: list[PersonRow]
    heatmap: HeatmapTable


def direct_reports(user: AnyUser, manager: Employee) -> QuerySet[Employee]:
    """The manager's active direct reports that the user may see."""
    return (
        visible_employees(user)
        .filter(manager=manager, is_active=True)
        .order_by("last_name", "first_name", "employee_id")
    )


def team_gaps(
    user: AnyUser,
    manager: Employee,
    *,
    columns: int | None = HEATMAP_COLUMNS,
    competency_query: str = "",
) -> TeamGaps:
    reports = list(direct_reports(user, manager).values_list("pk", "first_name", "last_name"))
    pks = [pk for pk, _, _ in reports]
    snapshot = current_gaps()
    with snapshot.lock:
        engine = snapshot.engine
        indices = [snapshot.employee_index(pk) for pk in pks]
        known = [i for i in indices if i is not None]
        summary = engine.team_summary(known) if known else _empty_summary()
        per_person = [engine.people.summary(i) if i is not None else None for i in indices]
    people = [
        PersonRow(pk, f"{first} {last}".strip(), s)
        for (pk, first, last), s in zip(reports, per_person, strict=True)
    ]
    heatmap = team_heatmap(
        user,
        pks,
        label=f"Reports of {manager.full_name}",
        columns=columns,
        competency_query=competency_query,
        snapshot=snapshot,  # one freshness check per page
    )
    return TeamGaps(manager, summary, people, heatmap)


TEAM_EXPORT_HEADER = (
    "Employee",
    "Requirements",
    "Met",
    "% met",
    "Not assessed",
    "Weighted gap",
    "Gap index",
    "Ready in role",
)


def team_export_rows(rows: Iterable[PersonRow]) -> Iterable[list[Any]]:
    for row in rows:
        s = row.summary
        if s is None:
            yield [row.name, "", "", "", "", "", "", ""]
            continue
        yield [
            row.name,
            s.requirements,
            s.met,
            _rounded(s.pct_met, 1),
            s.unassessed,
            round(s.weighted_gap, 2),
            _rounded(s.gap_index, 3),
            "yes" if s.ready_in_role else "no",
        ]


def _rounded(value: float, digits: int) -> float | str:
    return "" if math.isnan(value) else round(value, digits)


SUMMARY_EXPORT_HEADER = (
    "Unit",
    "Headcount",
    "With a job profile",
    "Requirements",
    "Met",
    "% met",
    "Not assessed",
    "Weighted gap",
    "Gap index",
    "Ready in role",
)


def summary_export_rows(rows: Iterable[SummaryRow]) -> Iterable[list[Any]]:
    for row in rows:
        s = row.summary
        yield [
            row.name,
            s.headcount,
            s.with_profile,
            s.requirements,
            s.met,
            _rounded(s.pct_met, 1),
            s.unassessed,
            round(s.weighted_gap, 2),
            _rounded(s.gap_index, 3),
            s.ready_in_role,
        ]


# --- bench strength -------------------------------------------------------------------------


def bench_profiles(user: AnyUser) -> QuerySet[JobProfile]:
    require_gap_analysis(user)
    return JobProfile.objects.filter(is_active=True).order_by("title", "code")


def bench_rows(user: AnyUser, profiles: Sequence[JobProfile]) -> list[BenchRow]:
    """Ready / nearly-ready counts in the user's scope for a page of job profiles."""
    snapshot = current_gaps()
    rows = []
    with snapshot.lock:
        engine = snapshot.engine
        scope = _scope_rows(snapshot, user)

        def count(employees: npt.NDArray[Any]) -> int:
            if scope is None:
                return len(employees)
            return int(np.isin(engine.employee_unit[employees], scope).sum())

        for profile in profiles:
            index = snapshot.profile_index(profile.pk)
            if index is None:
                rows.append(BenchRow(profile, 0, 0, 0, 0))
                continue
            bench = engine.bench_strength(index)
            holders = np.flatnonzero(engine.employee_profile == index)
            rows.append(
                BenchRow(
                    profile=profile,
                    readiness_requirements=bench.readiness_requirements,
                    ready=count(bench.ready),
                    nearly_ready=count(bench.nearly_ready),
                    holders=count(holders),
                )
            )
    return rows


BENCH_LIST_EXPORT_HEADER = (
    "Job profile",
    "Code",
    "Readiness requirements",
    "Holders",
    "Ready",
    "Nearly ready",
)


def bench_list_export_rows(rows: Iterable[BenchRow]) -> Iterable[list[Any]]:
    for row in rows:
        profile = row.profile
        yield [
            profile.title,
            profile.code,
            row.readiness_requirements,
            row.holders,
            row.ready,
            row.nearly_ready,
        ]


@dataclass(frozen=True)
class Bench:
    profile: JobProfile
    readiness_requirements: int
    max_short: int
    ready: list[int]  # employee pks, in the user's scope
    nearly_ready: list[tuple[int, int]]  # (employee pk, requirements short)


def profile_bench(user: AnyUser, profile_id: int) -> Bench:
    """Who is ready or nearly ready for the profile, among the people the user may see."""
    require_gap_analysis(user)
    profile = get_object_or_404(JobProfile.objects.filter(is_active=True), pk=profile_id)
    snapshot = current_gaps()
    with snapshot.lock:
        index = snapshot.profile_index(profile.pk)
        if index is None:
            raise Http404("No such job profile.")
        bench = snapshot.engine.bench_strength(index)
        ready = _in_scope(snapshot, user, bench.ready)
        keep = _scope_mask(snapshot, user, bench.nearly_ready)
        near, short = bench.nearly_ready[keep], bench.nearly_ready_short[keep]
        ready_pks = snapshot.employee_pks(ready).tolist()
        near_pks = snapshot.employee_pks(near).tolist()
    return Bench(
        profile=profile,
        readiness_requirements=bench.readiness_requirements,
        max_short=bench.max_short,
        ready=ready_pks,
        nearly_ready=list(zip(near_pks, short.tolist(), strict=True)),
    )


def bench_people(pks_and_short: Sequence[tuple[int, int]]) -> list[BenchPerson]:
    """Names and units for one page of a bench list (one query)."""
    people = _people([pk for pk, _ in pks_and_short])
    return [BenchPerson(pk, *people.get(pk, ("", "")), short=short) for pk, short in pks_and_short]


BENCH_EXPORT_HEADER = ("Employee", "Unit", "Readiness", "Requirements one level short")


def bench_export_rows(bench: Bench) -> Iterable[list[Any]]:
    everyone = [(pk, 0) for pk in bench.ready] + bench.nearly_ready
    for person in bench_people(everyone):
        yield [
            person.name,
            person.unit_name,
            "ready" if person.short == 0 else "nearly ready",
            person.short,
        ]


# --- the demand board: gaps as suggested needs ----------------------------------------------

BOARD_SUGGESTIONS = 5


def gap_suggestions(user: AnyUser, *, limit: int = BOARD_SUGGESTIONS) -> list[GapSuggestion]:
    """The competencies with the largest weighted gap in the user's scope (a line manager's
    unit with its sub-units, or the organisation), for the demand board."""
    if not can_view_gap_analysis(user):
        return []
    scope = gap_scope_unit(user)
    if scope is None and not _whole_organisation(user):
        return []
    snapshot = current_gaps()
    with snapshot.lock:
        engine = snapshot.engine
        if scope is None:
            row = engine.organisation
            roots = engine.tree.children_of(row)
            # Needs are raised for a unit: the organisation's single top unit if there is one.
            target = int(snapshot.unit_pks(roots)[0]) if len(roots) == 1 else None
        else:
            found = snapshot.unit_index(scope.pk)
            if found is None:
                return []
            row, target = found, scope.pk
        weighted = engine.cells.weighted_gap[row]
        top = np.flatnonzero(weighted > 0)
        top = top[np.lexsort((top, -weighted[top]))][:limit]
        competency_pks = snapshot.competency_pks(engine.column_competency[top]).tolist()
        below = engine.cells.below[row, top].tolist()
        required = engine.cells.required[row, top].tolist()
        gaps = weighted[top].tolist()
    names = _competency_names(competency_pks)
    unit_name = scope.name if scope is not None else ""
    return [
        GapSuggestion(
            competency_pk=pk,
            competency_name=names.get(pk, ""),
            below=b,
            required=r,
            weighted_gap=g,
            unit_pk=target,
            unit_name=unit_name,
        )
        for pk, b, r, g in zip(competency_pks, below, required, gaps, strict=True)
    ]
