"""The gap engine's figures on an engagement's capability causes (answering proposals.signals)."""

from __future__ import annotations

from collections.abc import Sequence

from milepost.accounts.access import AnyUser, can_view_gap_analysis
from milepost.accounts.models import OrgUnit
from milepost.insights.gaps import current_gaps
from milepost.proposals.signals import CapabilityFigure


def capability_figures(
    user: AnyUser, unit: OrgUnit, competency_ids: Sequence[int]
) -> list[CapabilityFigure]:
    """Per competency, for `unit` with the units below it: people assessed, people short of the
    required level and the mean gap of those assessed. People with no agreed level are counted
    apart (missing data is not a skills gap). Nothing for users who may not see gap analysis."""
    if not competency_ids or not can_view_gap_analysis(user):
        return []
    snapshot = current_gaps()
    figures = []
    with snapshot.lock:
        engine = snapshot.engine
        row = snapshot.unit_index(unit.pk)
        if row is None:
            return []
        cells = engine.cells
        for pk in competency_ids:
            index = snapshot.competency_index(pk)
            if index is None:
                continue
            column = int(engine.column_of[index])
            if column < 0:
                continue
            unassessed = int(cells.unassessed[row, column])
            assessed = int(cells.required[row, column]) - unassessed
            short = int(cells.below[row, column] - cells.unassessed_below[row, column])
            gap = int(cells.gap[row, column] - cells.unassessed_gap[row, column])
            figures.append(
                CapabilityFigure(
                    competency_pk=pk,
                    assessed=assessed,
                    short=short,
                    mean_gap=gap / assessed if assessed else 0.0,
                    unassessed=unassessed,
                )
            )
    return figures
