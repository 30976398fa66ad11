"""Skill gaps suggested as needs on the demand board (answering needs.signals)."""

from __future__ import annotations

import numpy as np

from milepost.accounts.access import (
    AnyUser,
    can_view_gap_analysis,
    gap_scope_unit,
)
from milepost.insights.gaps import current_gaps
from milepost.insights.selectors.scope import _whole_organisation, competency_names_by_pk
from milepost.needs.signals import GapSuggestion

BOARD_SUGGESTIONS = 5


def gap_suggestions(user: AnyUser, *, limit: int = BOARD_SUGGESTIONS) -> list[GapSuggestion]:
    """The competencies with the largest weighted gap in the user's scope (a line manager's
    unit with its sub-units, or the organisation), for the demand board. People with no agreed
    level are left out of the figures (missing data is not a skills gap) and counted apart."""
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
        cells = engine.cells
        weighted = cells.weighted_gap[row] - cells.unassessed_weighted_gap[row]
        top = np.flatnonzero(weighted > 1e-9)
        top = top[np.lexsort((top, -weighted[top]))][:limit]
        competency_pks = snapshot.competency_pks(engine.column_competency[top]).tolist()
        below = (cells.below[row, top] - cells.unassessed_below[row, top]).tolist()
        unassessed = cells.unassessed[row, top]
        required = (cells.required[row, top] - unassessed).tolist()
        gaps = weighted[top].tolist()
        unassessed_counts = unassessed.tolist()
    names = competency_names_by_pk(competency_pks)
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
            unassessed=u,
        )
        for pk, b, r, g, u in zip(
            competency_pks, below, required, gaps, unassessed_counts, strict=True
        )
    ]
