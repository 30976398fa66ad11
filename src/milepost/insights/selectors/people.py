"""Team and person gaps."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from milepost.accounts.access import (
    AnyUser,
    can_view_gap_analysis,
)
from milepost.engines.gaps import GapSummary
from milepost.insights.gaps import current_gaps
from milepost.insights.selectors.heatmaps import team_heatmap
from milepost.insights.selectors.results import (
    HEATMAP_COLUMNS,
    HeatmapTable,
    PersonRow,
    RequirementGap,
    SummaryRow,
    Unassessed,
    with_unassessed,
)
from milepost.insights.selectors.scope import competency_names_by_pk
from milepost.insights.selectors.summaries import _empty_summary
from milepost.people.models import Employee
from milepost.people.selectors import visible_employees


@dataclass(frozen=True)
class PersonGapsResult:
    employee: Employee
    in_analysis: bool  # False: inactive, so not counted
    summary: GapSummary
    requirements: list[RequirementGap]
    manages_people: bool = False  # has active direct reports: link to their team gaps
    unassessed: Unassessed = Unassessed.COUNT


def person_gaps(
    user: AnyUser, employee: Employee, *, unassessed: Unassessed = Unassessed.COUNT
) -> PersonGapsResult:
    """Required versus agreed level for each requirement of the person's job profile; a
    requirement nobody has assessed counts as level 0 unless `unassessed` leaves it out."""
    snapshot = current_gaps()
    with snapshot.lock:
        index = snapshot.employee_index(employee.pk)
        if index is None:
            return PersonGapsResult(employee, False, _empty_summary(), [], unassessed=unassessed)
        gaps = snapshot.engine.person_gaps(index)
        competency_pks = snapshot.competency_pks(gaps.competency).tolist()
    names = competency_names_by_pk(competency_pks)
    leave_out = unassessed is Unassessed.LEAVE_OUT
    requirements = []
    for at, pk in enumerate(competency_pks):
        left_out = leave_out and gaps.agreed_level[at] < 0
        requirements.append(
            RequirementGap(
                competency_pk=pk,
                competency_name=names.get(pk, ""),
                required_level=int(gaps.required_level[at]),
                agreed_level=int(gaps.agreed_level[at]) if gaps.agreed_level[at] >= 0 else None,
                gap=0 if left_out else int(gaps.gap[at]),
                weight=float(gaps.weight[at]),
                weighted_gap=0.0 if left_out else float(gaps.weighted_gap[at]),
                essential=bool(gaps.essential[at]),
                left_out=bool(left_out),
            )
        )
    requirements.sort(key=lambda r: (r.left_out, -r.weighted_gap, r.competency_name.lower()))
    manages = can_view_gap_analysis(user) and direct_reports(user, employee).exists()
    summary = with_unassessed(gaps.summary, unassessed)
    return PersonGapsResult(employee, True, summary, requirements, manages, unassessed)


PERSON_EXPORT_HEADER = (
    "Competency",
    "Essential",
    "Required level",
    "Agreed level",
    "Levels short",
    "Weight",
    "Weighted gap",
    "Not assessed",
)


def person_export_rows(rows: Iterable[RequirementGap]) -> Iterable[list[Any]]:
    for row in rows:
        not_assessed = (
            ""
            if row.agreed_level is not None
            else "left out"
            if row.left_out
            else ("counted as level 0")
        )
        yield [
            row.competency_name,
            "yes" if row.essential else "no",
            row.required_level,
            "" if row.agreed_level is None else row.agreed_level,
            "" if row.left_out else row.gap,
            row.weight,
            "" if row.left_out else row.weighted_gap,
            not_assessed,
        ]


@dataclass(frozen=True)
class TeamGaps:
    manager: Employee
    summary: GapSummary
    people: list[PersonRow]
    heatmap: HeatmapTable
    unassessed: Unassessed = Unassessed.LEAVE_OUT


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
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> TeamGaps:
    """The manager's direct reports: totals, one row a person and a one-row heatmap; the
    unassessed are left out of the figures unless `unassessed` says to count them."""
    reports = list(direct_reports(user, manager).values_list("pk", "first_name", "last_name"))
    pks = [pk for pk, _, _ in reports]
    snapshot = current_gaps()
    with snapshot.lock:
        engine = snapshot.engine
        indices = [snapshot.employee_index(pk) for pk in pks]
        known = [i for i in indices if i is not None]
        summary = with_unassessed(
            engine.team_summary(known) if known else _empty_summary(), unassessed
        )
        per_person = [
            with_unassessed(engine.people.summary(i), unassessed) if i is not None else None
            for i in indices
        ]
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
        unassessed=unassessed,
    )
    return TeamGaps(manager, summary, people, heatmap, unassessed)


# Every gap export says how much was assessed and what the figures did with the rest.
COVERAGE_HEADER = ("Requirements", "Assessed", "Not assessed", "Unassessed requirements")
FIGURES_HEADER = (
    "Requirements counted",
    "Met",
    "% met",
    "Weighted gap",
    "Gap still open (0 none, 1 every level)",
)

TEAM_EXPORT_HEADER = ("Employee", *COVERAGE_HEADER, *FIGURES_HEADER, "Ready in role")


def _coverage_cells(s: GapSummary, unassessed: Unassessed) -> list[Any]:
    return [s.required_in_all, s.assessed, s.not_assessed, unassessed.label]


def _figure_cells(s: GapSummary) -> list[Any]:
    return [
        s.requirements,
        s.met,
        _rounded(s.pct_met, 1),
        round(s.weighted_gap, 2),
        _rounded(s.gap_index, 3),
    ]


def team_export_rows(
    rows: Iterable[PersonRow], unassessed: Unassessed = Unassessed.LEAVE_OUT
) -> Iterable[list[Any]]:
    for row in rows:
        s = row.summary
        if s is None:
            yield [row.name] + [""] * (len(TEAM_EXPORT_HEADER) - 1)
            continue
        yield [
            row.name,
            *_coverage_cells(s, unassessed),
            *_figure_cells(s),
            "yes" if s.ready_in_role else "no",
        ]


def _rounded(value: float, digits: int) -> float | str:
    return "" if math.isnan(value) else round(value, digits)


SUMMARY_EXPORT_HEADER = (
    "Unit",
    "Headcount",
    "With a job profile",
    *COVERAGE_HEADER,
    *FIGURES_HEADER,
    "Ready in role",
)


def summary_export_rows(
    rows: Iterable[SummaryRow], unassessed: Unassessed = Unassessed.LEAVE_OUT
) -> Iterable[list[Any]]:
    for row in rows:
        s = row.summary
        yield [
            row.name,
            s.headcount,
            s.with_profile,
            *_coverage_cells(s, unassessed),
            *_figure_cells(s),
            s.ready_in_role,
        ]
