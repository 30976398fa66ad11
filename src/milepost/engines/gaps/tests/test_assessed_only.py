"""Leaving unassessed requirements out: missing data must not read as a skills gap."""

from __future__ import annotations

import math

from milepost.engines.gaps import GapEngine
from milepost.engines.gaps.tests.orgs import (
    BOB,
    CAT,
    CLAIMS,
    MOTOR,
    SPREADSHEETS,
    tiny_organisation,
)


def test_a_person_never_assessed_has_no_coverage_and_no_gap_once_the_unassessed_are_left_out():
    engine = GapEngine.compute(tiny_organisation())
    counted = engine.person_gaps(CAT).summary
    assert (counted.assessed, counted.requirements) == (0, 3)
    assert counted.coverage == 0
    assert counted.weighted_gap == 4 * 3 + 5 * 2 + 1 * 3  # every level counted from 0
    assessed = counted.assessed_only()
    assert (assessed.requirements, assessed.met, assessed.weighted_gap) == (0, 0, 0)
    assert math.isnan(assessed.pct_met) and math.isnan(assessed.gap_index)


def test_a_unit_left_without_its_unassessed_keeps_the_gaps_of_the_assessed():
    engine = GapEngine.compute(tiny_organisation())
    # Ann: claims law 1 of 2 (x5), spreadsheets 1 of 3 (x1); Bob: spreadsheets not assessed.
    motor = engine.unit_summary(MOTOR)
    assert (motor.assessed, motor.requirements, motor.weighted_gap) == (5, 6, 10)
    assert (motor.assessed_only().requirements, motor.assessed_only().weighted_gap) == (5, 7)
    assert motor.assessed_only().met == 3
    claims = engine.unit_summary(CLAIMS).assessed_only()  # Cat (nothing assessed) is below
    assert (claims.requirements, claims.met, claims.weighted_gap) == (5, 3, 7)
    assert claims.weighted_required == 4 * 3 + 5 * 2 + 1 * 3 + 4 * 3 + 5 * 2


def test_heatmap_cells_left_without_the_unassessed():
    engine = GapEngine.compute(tiny_organisation())
    heatmap = engine.heatmap([CLAIMS])
    column = heatmap.competency.tolist().index(SPREADSHEETS)
    assert (heatmap.required[0, column], heatmap.unassessed[0, column]) == (3, 2)
    assessed = heatmap.assessed_only()
    assert assessed.required[0, column] == 1  # only Ann has an agreed level
    assert assessed.below[0, column] == 1
    assert assessed.gap[0, column] == 2
    assert assessed.weighted_gap[0, column] == 2
    assert assessed.unassessed.sum() == 0


def test_team_heatmap_and_incremental_updates_keep_the_unassessed_figures():
    engine = GapEngine.compute(tiny_organisation())
    team = engine.team_heatmap([BOB, CAT]).assessed_only()
    column = team.competency.tolist().index(SPREADSHEETS)
    assert team.required[0, column] == 0
    engine.set_agreed_level(BOB, SPREADSHEETS, 1)
    assert engine.person_gaps(BOB).summary.assessed_only().weighted_gap == 2
    team = engine.team_heatmap([BOB, CAT]).assessed_only()
    assert (team.required[0, column], team.weighted_gap[0, column]) == (1, 2)
    assert engine.unit_summary(MOTOR).assessed_only().requirements == 6


def test_left_out_figures_still_say_how_much_was_assessed():
    engine = GapEngine.compute(tiny_organisation())
    claims = engine.unit_summary(CLAIMS)
    left = claims.assessed_only()
    assert (left.assessed, left.required_in_all, left.left_out) == (5, 9, 4)
    assert left.coverage == claims.coverage == 5 / 9
    heatmap = engine.heatmap([CLAIMS]).assessed_only()
    column = heatmap.competency.tolist().index(SPREADSHEETS)
    assert heatmap.left_out is not None and heatmap.left_out[0, column] == 2
