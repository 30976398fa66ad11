"""Gap summaries: the overview and a unit's page."""

from __future__ import annotations

from dataclasses import dataclass

from milepost.accounts.access import (
    AnyUser,
    gap_scope_unit,
)
from milepost.accounts.models import OrgUnit
from milepost.engines.gaps import GapSummary
from milepost.insights.gaps import GapSnapshot, current_gaps
from milepost.insights.selectors.heatmaps import (
    _NO_HEATMAP,
    _build_table,
    _column_order,
    _unit_heatmap_arrays,
)
from milepost.insights.selectors.key_people import _risk_arrays, _risk_rows
from milepost.insights.selectors.results import (
    HEATMAP_COLUMNS,
    HeatmapTable,
    RiskRow,
    SummaryRow,
    Unassessed,
    with_unassessed,
)
from milepost.insights.selectors.scope import (
    _people,
    _unit_names,
    _whole_organisation,
    competency_names_by_pk,
    require_gap_analysis,
)
from milepost.people.selectors import visible_employees


@dataclass(frozen=True)
class Overview:
    title: str
    summary: GapSummary
    unit: OrgUnit | None  # the manager's unit; None for the organisation
    rows: list[SummaryRow]
    heatmap_unit: int | None = None  # the unit page with the heatmap for this scope
    unassessed: Unassessed = Unassessed.LEAVE_OUT


def gap_overview(user: AnyUser, *, unassessed: Unassessed = Unassessed.LEAVE_OUT) -> Overview:
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
        SummaryRow(
            int(pk),
            names.get(int(pk), ""),
            with_unassessed(child_summary, unassessed),
            child_counts[c] > 0,
        )
        for pk, (c, child_summary) in zip(pks, child_summaries, strict=True)
    ]
    rows.sort(key=lambda r: r.name.lower())
    return Overview(
        title, with_unassessed(summary, unassessed), scope, rows, heatmap_unit, unassessed
    )


def _empty_summary() -> GapSummary:
    return GapSummary(0, 0, 0, 0, 0, 0.0, 0.0, 0)


@dataclass(frozen=True)
class UnitGaps:
    unit: OrgUnit
    summary: GapSummary
    own_summary: GapSummary  # the unit's own members, without sub-units
    children: list[SummaryRow]
    unassessed: Unassessed = Unassessed.LEAVE_OUT


@dataclass(frozen=True)
class UnitPage:
    gaps: UnitGaps
    heatmap: HeatmapTable
    risks: list[RiskRow]


def unit_page(
    user: AnyUser,
    unit: OrgUnit,
    *,
    columns: int | None = HEATMAP_COLUMNS,
    competency_query: str = "",
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> UnitPage:
    """Everything the unit gaps page shows, from one look at the engine and one query each
    for the unit names, the competency names and the sole holders."""
    snapshot = current_gaps()
    with snapshot.lock:
        row = snapshot.unit_index(unit.pk)
        if row is None:
            empty = UnitGaps(unit, _empty_summary(), _empty_summary(), [], unassessed)
            return UnitPage(empty, _NO_HEATMAP, [])
        figures = _unit_figures(snapshot, row)
        heatmap, row_pks, competency_pks = _unit_heatmap_arrays(snapshot, row, unassessed)
        risks = _risk_arrays(snapshot, row)
    order, matching = _column_order(heatmap, competency_pks, columns, competency_query)
    shown = competency_pks[order].tolist()
    unit_names = _unit_names(pk for pk in row_pks if pk is not None)
    competency_names = competency_names_by_pk(sorted({*shown, *(r[0] for r in risks)}))
    holders = _people([r[3] for r in risks if r[3] is not None], visible_employees(user))
    return UnitPage(
        gaps=_unit_gaps_result(unit, figures, unit_names, unassessed),
        heatmap=_build_table(
            heatmap,
            competency_pks,
            order,
            matching,
            row_pks,
            unit_names,
            competency_names,
            unassessed=unassessed,
        ),
        risks=_risk_rows(unit, risks, competency_names, holders),
    )


def unit_gaps(
    user: AnyUser, unit: OrgUnit, *, unassessed: Unassessed = Unassessed.LEAVE_OUT
) -> UnitGaps:
    """Totals for a unit with its sub-units, its own members, and each direct child unit."""
    snapshot = current_gaps()
    with snapshot.lock:
        row = snapshot.unit_index(unit.pk)
        if row is None:
            return UnitGaps(unit, _empty_summary(), _empty_summary(), [], unassessed)
        figures = _unit_figures(snapshot, row)
    names = _unit_names(pk for pk, _, _ in figures[2])
    return _unit_gaps_result(unit, figures, names, unassessed)


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


def _unit_gaps_result(
    unit: OrgUnit, figures: _UnitFigures, names: dict[int, str], unassessed: Unassessed
) -> UnitGaps:
    summary, own, children = figures
    rows = [
        SummaryRow(pk, names.get(pk, ""), with_unassessed(s, unassessed), more)
        for pk, s, more in children
    ]
    rows.sort(key=lambda r: r.name.lower())
    return UnitGaps(
        unit,
        with_unassessed(summary, unassessed),
        with_unassessed(own, unassessed),
        rows,
        unassessed,
    )
