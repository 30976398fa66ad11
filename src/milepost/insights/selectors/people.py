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


def person_gaps(user: AnyUser, employee: Employee) -> PersonGapsResult:
    """Required versus agreed level for each requirement of the person's job profile."""
    snapshot = current_gaps()
    with snapshot.lock:
        index = snapshot.employee_index(employee.pk)
        if index is None:
            return PersonGapsResult(employee, False, _empty_summary(), [])
        gaps = snapshot.engine.person_gaps(index)
        competency_pks = snapshot.competency_pks(gaps.competency).tolist()
    names = competency_names_by_pk(competency_pks)
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
