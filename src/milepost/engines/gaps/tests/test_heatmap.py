from __future__ import annotations

import numpy as np
import pytest

from milepost.engines.gaps import GapEngine
from milepost.engines.gaps.tests.orgs import (
    ANN,
    BOB,
    CAT,
    CLAIMS,
    CLAIMS_LAW,
    GROUP,
    MOTOR,
    NEGOTIATION,
    PRICING,
    SPREADSHEETS,
    UNDERWRITING,
    tiny_organisation,
)


@pytest.fixture(scope="module")
def engine() -> GapEngine:
    return GapEngine.compute(tiny_organisation())


def test_unit_heatmap_cells_include_sub_units(engine):
    heatmap = engine.heatmap([CLAIMS])
    assert list(heatmap.competency) == [NEGOTIATION, CLAIMS_LAW, SPREADSHEETS]
    assert heatmap.required.tolist() == [[3, 3, 3]]
    assert heatmap.below.tolist() == [[1, 2, 3]]
    assert heatmap.unassessed.tolist() == [[1, 1, 2]]
    assert heatmap.gap.tolist() == [[3, 3, 8]]
    assert heatmap.weighted_gap.tolist() == [[12.0, 15.0, 8.0]]
    assert heatmap.holders.tolist() == [[2, 1, 0]]
    assert heatmap.share_below[0].tolist() == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert heatmap.mean_gap[0].tolist() == pytest.approx([1.0, 1.0, 8 / 3])


def test_heatmap_without_sub_units(engine):
    heatmap = engine.heatmap([CLAIMS], include_subunits=False)  # Cat only
    assert heatmap.required.tolist() == [[1, 1, 1]]
    assert heatmap.below.tolist() == [[1, 1, 1]]


def test_unit_heatmap_has_the_unit_then_its_children(engine):
    heatmap = engine.unit_heatmap(GROUP)
    assert list(heatmap.units) == [GROUP, CLAIMS, UNDERWRITING]
    assert list(heatmap.competency) == [NEGOTIATION, CLAIMS_LAW, SPREADSHEETS, PRICING]
    # spreadsheets: group = 3 handlers + Dan + Fay; underwriting = Dan only
    assert heatmap.required[:, 2].tolist() == [5, 3, 1]
    # a competency nobody in a row needs is an empty cell, not a 0 % figure
    assert heatmap.required[2, 0] == 0
    assert np.isnan(heatmap.share_below[2, 0])


def test_team_heatmap_matches_the_unit_with_the_same_people(engine):
    team = engine.team_heatmap([ANN, BOB])
    unit = engine.heatmap([MOTOR])
    assert list(team.competency) == list(unit.competency)
    for name in ("required", "below", "unassessed", "gap", "weighted_gap"):
        assert getattr(team, name).tolist() == getattr(unit, name).tolist()
    assert engine.team_heatmap([CAT]).below.tolist() == [[1, 1, 1]]
