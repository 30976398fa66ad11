"""The unit x competency heatmap, on the page and in full for exports."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from milepost.accounts.access import (
    AnyUser,
)
from milepost.accounts.models import OrgUnit
from milepost.engines.gaps import Heatmap
from milepost.frameworks.models import Competency
from milepost.insights.gaps import GapSnapshot, current_gaps
from milepost.insights.selectors.results import (
    HEATMAP_COLUMNS,
    HEATMAP_MAX_COLUMNS,
    HeatCell,
    HeatmapTable,
    HeatRow,
    Unassessed,
)
from milepost.insights.selectors.scope import _unit_names, competency_names_by_pk

_NO_HEATMAP = HeatmapTable([], [], 0, 0)


def unit_heatmap(
    user: AnyUser,
    unit: OrgUnit,
    *,
    columns: int | None = HEATMAP_COLUMNS,
    competency_query: str = "",
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> HeatmapTable:
    """The unit's row (sub-units included) and one row per direct child unit; columns are the
    competencies with the largest weighted gap in the unit's row (all of them if `columns` is
    None), optionally only those whose name contains `competency_query`. Unassessed people are
    left out of each cell unless `unassessed` says to count them."""
    snapshot = current_gaps()
    with snapshot.lock:
        row = snapshot.unit_index(unit.pk)
        if row is None:
            return _NO_HEATMAP
        heatmap, row_pks, competency_pks = _unit_heatmap_arrays(snapshot, row, unassessed)
    order, matching = _column_order(heatmap, competency_pks, columns, competency_query)
    unit_names = _unit_names(pk for pk in row_pks if pk is not None)
    competency_names = competency_names_by_pk(competency_pks[order].tolist())
    return _build_table(
        heatmap,
        competency_pks,
        order,
        matching,
        row_pks,
        unit_names,
        competency_names,
        unassessed=unassessed,
    )


def _with_unassessed(heatmap: Heatmap, unassessed: Unassessed) -> Heatmap:
    return heatmap.assessed_only() if unassessed is Unassessed.LEAVE_OUT else heatmap


def _unit_heatmap_arrays(
    snapshot: GapSnapshot, row: int, unassessed: Unassessed
) -> tuple[Heatmap, list[int | None], npt.NDArray[np.int64]]:
    heatmap = _with_unassessed(snapshot.engine.unit_heatmap(row), unassessed)
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
    unassessed: Unassessed = Unassessed.LEAVE_OUT,
) -> HeatmapTable:
    """One row over a set of employees (a manager's direct reports)."""
    snapshot = snapshot or current_gaps()
    with snapshot.lock:
        people = snapshot.employee_indices(members)
        if not len(people):
            return _NO_HEATMAP
        heatmap = _with_unassessed(snapshot.engine.team_heatmap(people), unassessed)
        competency_pks = snapshot.competency_pks(heatmap.competency)
    order, matching = _column_order(heatmap, competency_pks, columns, competency_query)
    competency_names = competency_names_by_pk(competency_pks[order].tolist())
    return _build_table(
        heatmap,
        competency_pks,
        order,
        matching,
        [None],
        {},
        competency_names,
        label=label,
        unassessed=unassessed,
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
    unassessed: Unassessed = Unassessed.COUNT,
) -> HeatmapTable:
    rows = []
    for at, pk in enumerate(row_pks):
        cells: list[HeatCell | None] = []
        for column in order:
            required = int(heatmap.required[at, column])
            left_out = int(heatmap.left_out[at, column]) if heatmap.left_out is not None else 0
            cells.append(
                HeatCell(
                    required=required,
                    below=int(heatmap.below[at, column]),
                    unassessed=int(heatmap.unassessed[at, column]),
                    gap=int(heatmap.gap[at, column]),
                    weighted_gap=float(heatmap.weighted_gap[at, column]),
                    left_out=left_out,
                )
                if required or left_out
                else None
            )
        rows.append(HeatRow(pk, unit_names.get(pk, "") if pk is not None else label, cells))
    shown = competency_pks[order].tolist()
    return HeatmapTable(
        columns=[(pk, competency_names.get(pk, "")) for pk in shown],
        rows=rows,
        total_columns=len(competency_pks),
        matching_columns=matching,
        unassessed=unassessed,
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
            share = cell.share_below
            yield [
                row.name,
                name,
                cell.required_in_all,
                cell.assessed,
                cell.not_assessed,
                table.unassessed.label,
                cell.required,
                cell.holders,
                cell.below,
                "" if math.isnan(share) else round(100 * share, 1),
                cell.gap,
                round(cell.weighted_gap, 2),
            ]


HEATMAP_EXPORT_HEADER = (
    "Unit or team",
    "Competency",
    "People required",
    "Assessed",
    "Not assessed",
    "Unassessed people",
    "People counted",
    "At or above required level",
    "Below required level",
    "% below",
    "Levels short",
    "Weighted gap",
)
