"""REST endpoints for gap analysis: a unit's summary, heatmap and key-person risks, a person's
gaps, a job profile's bench strength, and recommended training for a person, team or unit.
Same selectors, so the same scope, as the web pages."""

import math
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema

from milepost.accounts.http import api_caller
from milepost.engines.gaps import GapSummary
from milepost.insights import selectors
from milepost.insights.forms import BudgetForm
from milepost.insights.recommendations import (
    GapRow,
    TrainingRecommendation,
    recommend_for_person,
    recommend_for_team,
    recommend_for_unit,
)
from milepost.insights.selectors import Unassessed

router = Router(tags=["gap analysis"])


def _figure(value: float) -> float | None:
    return None if math.isnan(value) else value


UNASSESSED_HELP = (
    "What the figures do with requirements nobody has assessed: leave-out (left out of every "
    "figure) or count (counted as level 0, the whole required level a gap)"
)


class CoverageOut(Schema):
    assessed: int = Field(description="Requirements with an agreed level")
    requirements: int = Field(description="Every requirement, assessed or not")
    unassessed: Unassessed = Field(description=UNASSESSED_HELP)


class SummaryOut(Schema):
    headcount: int
    with_profile: int = Field(description="People with a job profile")
    coverage: CoverageOut = Field(description="How much of it is assessed: the data behind it")
    requirements: int = Field(description="Requirements counted in the figures below")
    met: int = Field(description="Requirements held at or above the required level")
    unassessed: int = Field(description="Counted requirements with no agreed level (as level 0)")
    pct_met: float | None = Field(description="100 x met / requirements; null if none")
    weighted_gap: float
    weighted_required: float = Field(description="The weighted gap if nothing were held")
    gap_index: float | None = Field(description="weighted_gap / weighted_required (0 to 1)")
    ready_in_role: int = Field(description="People meeting every essential requirement")


def _coverage(assessed: int, requirements: int, unassessed: Unassessed) -> dict[str, Any]:
    return {"assessed": assessed, "requirements": requirements, "unassessed": unassessed}


def _summary(summary: GapSummary, unassessed: Unassessed) -> dict[str, Any]:
    return {
        "headcount": summary.headcount,
        "with_profile": summary.with_profile,
        "coverage": _coverage(summary.assessed, summary.required_in_all, unassessed),
        "requirements": summary.requirements,
        "met": summary.met,
        "unassessed": summary.unassessed,
        "pct_met": _figure(summary.pct_met),
        "weighted_gap": summary.weighted_gap,
        "weighted_required": summary.weighted_required,
        "gap_index": _figure(summary.gap_index),
        "ready_in_role": summary.ready_in_role,
    }


class UnitRowOut(Schema):
    unit_id: int
    name: str
    summary: SummaryOut


class UnitSummaryOut(Schema):
    unit_id: int
    name: str
    summary: SummaryOut = Field(description="The unit with every unit below it")
    own_members: SummaryOut = Field(description="People placed directly in the unit")
    sub_units: list[UnitRowOut]


class CellOut(Schema):
    competency_id: int
    required: int = Field(description="People whose job profile requires the competency")
    below: int = Field(description="Of whom are below their required level")
    unassessed: int = Field(description="Of the people counted, those with no agreed level")
    left_out: int = Field(description="People with no agreed level left out of the cell")
    gap: int = Field(description="Sum of levels short")
    weighted_gap: float


class HeatmapRowOut(Schema):
    unit_id: int
    name: str
    cells: list[CellOut] = Field(description="Only competencies required of someone in the row")


class CompetencyColumn(Schema):
    id: int
    name: str


class HeatmapOut(Schema):
    unassessed: Unassessed = Field(description=UNASSESSED_HELP)
    competencies: list[CompetencyColumn]
    rows: list[HeatmapRowOut] = Field(description="The unit (with sub-units), then each child")


class RiskOut(Schema):
    competency_id: int
    competency: str
    required: int
    holders: int
    sole_holder_id: int | None = Field(description="The one holder, if you may see them")
    sole_holder: str


class RequirementGapOut(Schema):
    competency_id: int
    competency: str
    essential: bool
    required_level: int
    agreed_level: int | None = Field(description="null: not assessed")
    left_out: bool = Field(description="Not assessed and left out (gap 0)")
    gap: int
    weight: float
    weighted_gap: float


class PersonGapsOut(Schema):
    employee_id: int
    in_analysis: bool = Field(description="False for an inactive employee")
    coverage: CoverageOut
    summary: SummaryOut
    requirements: list[RequirementGapOut]


class BenchPersonOut(Schema):
    employee_id: int
    name: str
    unit: str
    short: int = Field(description="Readiness requirements one level short (0: ready)")


class BenchOut(Schema):
    profile_id: int
    title: str
    readiness_requirements: int
    ready_count: int
    nearly_ready_count: int
    named: bool = Field(description="False under aggregate-only access: counts, no people")
    ready: list[BenchPersonOut]
    nearly_ready: list[BenchPersonOut]


@router.get(
    "/org-units/{unit_id}/gaps",
    response=UnitSummaryOut,
    summary="Gap summary of a unit, its own members and each unit below it",
)
def unit_gaps_api(
    request: HttpRequest, unit_id: int, unassessed: Unassessed = Unassessed.LEAVE_OUT
) -> Any:
    user = api_caller(request)
    unit = selectors.gap_unit(user, unit_id)
    gaps = selectors.unit_gaps(user, unit, unassessed=unassessed)
    return {
        "unit_id": unit.pk,
        "name": unit.name,
        "summary": _summary(gaps.summary, unassessed),
        "own_members": _summary(gaps.own_summary, unassessed),
        "sub_units": [
            {"unit_id": row.pk, "name": row.name, "summary": _summary(row.summary, unassessed)}
            for row in gaps.children
        ],
    }


@router.get(
    "/org-units/{unit_id}/heatmap",
    response=HeatmapOut,
    summary="Unit-by-competency heatmap: the unit and each unit directly below it",
)
def unit_heatmap_api(
    request: HttpRequest,
    unit_id: int,
    competency: str = "",
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> Any:
    user = api_caller(request)
    unit = selectors.gap_unit(user, unit_id)
    table = selectors.unit_heatmap(
        user, unit, columns=None, competency_query=competency, unassessed=unassessed
    )
    return {
        "unassessed": unassessed,
        "competencies": [{"id": pk, "name": name} for pk, name in table.columns],
        "rows": [
            {
                "unit_id": row.pk,
                "name": row.name,
                "cells": [
                    {
                        "competency_id": pk,
                        "required": cell.required,
                        "below": cell.below,
                        "unassessed": cell.unassessed,
                        "left_out": cell.left_out,
                        "gap": cell.gap,
                        "weighted_gap": cell.weighted_gap,
                    }
                    for (pk, _name), cell in zip(table.columns, row.cells, strict=True)
                    if cell is not None
                ],
            }
            for row in table.rows
        ],
    }


@router.get(
    "/org-units/{unit_id}/key-person-risks",
    response=list[RiskOut],
    summary="Competencies required in a unit and held at the required level by at most one",
)
def unit_risks(request: HttpRequest, unit_id: int) -> Any:
    user = api_caller(request)
    unit = selectors.gap_unit(user, unit_id)
    return [
        {
            "competency_id": risk.competency_pk,
            "competency": risk.competency_name,
            "required": risk.required,
            "holders": risk.holders,
            "sole_holder_id": risk.sole_holder_pk,
            "sole_holder": risk.sole_holder_name,
        }
        for risk in selectors.key_person_risks(user, unit)
    ]


@router.get(
    "/employees/{employee_id}/gaps",
    response=PersonGapsOut,
    summary="Required versus agreed level for each requirement of the person's job profile",
)
def person_gaps_api(
    request: HttpRequest, employee_id: int, unassessed: Unassessed = Unassessed.COUNT
) -> Any:
    user = api_caller(request)
    employee = selectors.gap_employee(user, employee_id)
    result = selectors.person_gaps(user, employee, unassessed=unassessed)
    summary = result.summary
    return {
        "employee_id": result.employee.pk,
        "in_analysis": result.in_analysis,
        "coverage": _coverage(summary.assessed, summary.required_in_all, unassessed),
        "summary": _summary(summary, unassessed),
        "requirements": [
            {
                "competency_id": row.competency_pk,
                "competency": row.competency_name,
                "essential": row.essential,
                "required_level": row.required_level,
                "agreed_level": row.agreed_level,
                "left_out": row.left_out,
                "gap": row.gap,
                "weight": row.weight,
                "weighted_gap": row.weighted_gap,
            }
            for row in result.requirements
        ],
    }


@router.get(
    "/job-profiles/{profile_id}/bench",
    response=BenchOut,
    summary="Bench strength: who is ready or nearly ready for a job profile, in your scope",
)
def profile_bench_api(request: HttpRequest, profile_id: int) -> Any:
    bench = selectors.profile_bench(api_caller(request), profile_id)

    def people(pairs: list[tuple[int, int]]) -> list[dict[str, Any]]:
        return [
            {"employee_id": p.pk, "name": p.name, "unit": p.unit_name, "short": p.short}
            for p in selectors.bench_people(pairs)
        ]

    return {
        "profile_id": bench.profile.pk,
        "title": bench.profile.title,
        "readiness_requirements": bench.readiness_requirements,
        "ready_count": len(bench.ready),
        "nearly_ready_count": len(bench.nearly_ready),
        "named": bench.named,
        "ready": people([(pk, 0) for pk in bench.ready]) if bench.named else [],
        "nearly_ready": people(bench.nearly_ready) if bench.named else [],
    }


# --- recommended training ---------------------------------------------------------------------


class ClosedGapOut(Schema):
    competency: str
    people: int = Field(description="People in the gap row (1 for a person)")
    from_level: int = Field(description="Their current agreed level (0 when not assessed)")
    to_level: int = Field(description="The level the item takes them to, at most the required")
    required_level: int
    weighted_gap_closed: float
    closes_fully: bool


class RecommendedItemOut(Schema):
    kind: str = Field(description="course or qualification")
    id: int
    code: str
    title: str
    cost: Decimal = Field(description="For this person, team or unit (see docs/recommend.md)")
    people: int = Field(description="People the item is bought for: everyone it raises on a gap")
    closes: list[ClosedGapOut]


class GapRowOut(Schema):
    competency_id: int
    competency: str
    people: int
    current_level: int
    required_level: int
    weight: float
    weighted_gap: float


class RecommendationOut(Schema):
    budget: Decimal | None
    currency: str
    coverage: CoverageOut = Field(description="How much of the people's requirements is assessed")
    people: int = Field(description="People whose gaps are counted")
    total_gap: float = Field(description="The whole weighted gap")
    closed: float = Field(description="Weighted gap the recommended set closes")
    cost: Decimal = Field(description="Cost of the recommended (optimal) set")
    method: str | None = Field(description="optimal, or greedy when the optimiser gave none")
    optimal_cost: float | None
    greedy_cost: float | None = Field(description="Cost of the greedy choice, for comparison")
    greedy_closed: float | None
    items: list[RecommendedItemOut]
    gaps: list[GapRowOut] = Field(description="The gap rows, largest weighted gap first")
    uncovered: list[GapRowOut] = Field(description="Gaps no active catalogue item raises")


def _budget(budget: str) -> Decimal | None:
    """The optional budget, checked by the web page's form (one rule for both)."""
    form = BudgetForm({"budget": budget})
    if not form.is_valid():
        raise ValidationError({"budget": list(form.errors["budget"])})
    value: Decimal | None = form.cleaned_data["budget"]
    return value


def _gap_row(row: GapRow) -> dict[str, Any]:
    return {
        "competency_id": row.competency_pk,
        "competency": row.competency_name,
        "people": row.people,
        "current_level": row.current_level,
        "required_level": row.required_level,
        "weight": row.weight,
        "weighted_gap": row.weighted_gap,
    }


def _recommendation(result: TrainingRecommendation) -> dict[str, Any]:
    answer = result.result
    return {
        "budget": result.budget,
        "currency": settings.CATALOGUE_CURRENCY,
        "coverage": _coverage(result.assessed, result.required_in_all, result.unassessed),
        "people": result.people,
        "total_gap": result.total_gap,
        "closed": result.closed,
        "cost": result.cost,
        "method": answer.method if answer else None,
        "optimal_cost": answer.optimal_cost if answer else None,
        "greedy_cost": answer.greedy_cost if answer else None,
        "greedy_closed": answer.greedy_closed if answer else None,
        "items": [
            {
                "kind": chosen.offer.kind,
                "id": chosen.offer.pk,
                "code": chosen.offer.code,
                "title": chosen.offer.title,
                "cost": chosen.cost,
                "people": chosen.people,
                "closes": [
                    {
                        "competency": closed.competency_name,
                        "people": closed.people,
                        "from_level": closed.from_level,
                        "to_level": closed.to_level,
                        "required_level": closed.required_level,
                        "weighted_gap_closed": closed.weighted_value,
                        "closes_fully": closed.full,
                    }
                    for closed in chosen.closes
                ],
            }
            for chosen in result.offers
        ],
        "gaps": [_gap_row(row) for row in result.gaps],
        "uncovered": [_gap_row(row) for row in result.uncovered],
    }


@router.get(
    "/employees/{employee_id}/recommendations",
    response=RecommendationOut,
    summary="Catalogue items that close the most of a person's weighted gap at the least cost",
)
def person_recommendations(
    request: HttpRequest,
    employee_id: int,
    budget: str = "",
    unassessed: Unassessed = Unassessed.COUNT,
) -> Any:
    user = api_caller(request)
    employee = selectors.gap_employee(user, employee_id)
    return _recommendation(
        recommend_for_person(user, employee, budget=_budget(budget), unassessed=unassessed)
    )


@router.get(
    "/employees/{employee_id}/team-recommendations",
    response=RecommendationOut,
    summary="Catalogue items for the gaps of a manager's active direct reports",
)
def team_recommendations(
    request: HttpRequest,
    employee_id: int,
    budget: str = "",
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> Any:
    user = api_caller(request)
    manager = selectors.team_manager(user, employee_id)
    return _recommendation(
        recommend_for_team(user, manager, budget=_budget(budget), unassessed=unassessed)
    )


@router.get(
    "/org-units/{unit_id}/recommendations",
    response=RecommendationOut,
    summary="Catalogue items for the gaps of everyone in a unit and the units below it",
)
def unit_recommendations(
    request: HttpRequest,
    unit_id: int,
    budget: str = "",
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> Any:
    user = api_caller(request)
    unit = selectors.gap_unit(user, unit_id)
    return _recommendation(
        recommend_for_unit(user, unit, budget=_budget(budget), unassessed=unassessed)
    )
