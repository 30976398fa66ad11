from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from milepost.engines.gaps import GapEngine, GapInputError, GapInputs, current_levels, dense_index
from milepost.engines.gaps.tests.orgs import tiny_organisation


def test_latest_agreed_level_wins():
    employee, competency, level = current_levels(
        employee=np.array([0, 0, 1, 0]),
        competency=np.array([5, 5, 5, 6]),
        level=np.array([2, 4, 1, 3]),
        order=np.array([10, 30, 20, 5]),
    )
    assert sorted(zip(employee.tolist(), competency.tolist(), level.tolist(), strict=True)) == [
        (0, 5, 4),
        (0, 6, 3),
        (1, 5, 1),
    ]


def test_database_ids_map_to_dense_indices():
    assert dense_index(np.array([3, 8, 20]), np.array([20, 3, 8, 8]), "unit").tolist() == [
        2,
        0,
        1,
        1,
    ]
    with pytest.raises(GapInputError, match="unit id 9 is not known"):
        dense_index(np.array([3, 8, 20]), np.array([3, 9]), "unit")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("employee_unit", [2, 2, 1, 3, 3, 7], "employee_unit row 5: 7 is outside 0..3"),
        ("requirement_importance", [4, 5, 2, 5, 3, 9], "requirement_importance row 5"),
        ("assessment_level", [3, 1, 1, 4, 2, -1, 4, 2, 3, 5, 2, 3], "assessment_level row 5"),
        ("requirement_competency", [0, 1, 2, 3, 3, 2], "required twice by job profile 1"),
        ("employee_profile", [0, 0, 0, 1], "employee arrays differ in length"),
    ],
)
def test_bad_input_names_the_row(field, value, message):
    change: dict[str, Any] = {field: np.array(value)}
    inputs = dataclasses.replace(tiny_organisation(), **change)
    with pytest.raises(GapInputError, match=message):
        GapEngine.compute(inputs)


def test_duplicate_current_level_is_refused():
    inputs = tiny_organisation()
    inputs = dataclasses.replace(
        inputs,
        assessment_employee=np.r_[inputs.assessment_employee, 0],
        assessment_competency=np.r_[inputs.assessment_competency, 0],
        assessment_level=np.r_[inputs.assessment_level, 2],
    )
    with pytest.raises(GapInputError, match="two current agreed levels for employee 0"):
        GapEngine.compute(inputs)


def test_unit_cycle_is_refused():
    inputs = dataclasses.replace(tiny_organisation(), unit_parent=np.array([-1, 2, 1, 0]))
    with pytest.raises(GapInputError, match="cycle"):
        GapEngine.compute(inputs)


def test_update_with_unknown_employee_is_refused():
    engine = GapEngine.compute(tiny_organisation())
    with pytest.raises(GapInputError, match="employee 99 is not in the organisation"):
        engine.set_agreed_level(99, 0, 3)


def test_an_organisation_with_no_job_profiles_computes_with_no_gaps():
    empty = np.zeros(0, dtype=np.int32)
    inputs = GapInputs(
        employee_profile=np.array([-1, -1], dtype=np.int32),
        employee_unit=np.array([0, 0], dtype=np.int32),
        unit_parent=np.array([-1], dtype=np.int32),
        n_profiles=0,
        n_competencies=0,
        requirement_profile=empty,
        requirement_competency=empty,
        requirement_level=empty,
        requirement_importance=empty,
        requirement_essential=np.zeros(0, dtype=bool),
        assessment_employee=empty,
        assessment_competency=empty,
        assessment_level=empty,
    )
    engine = GapEngine.compute(inputs)
    summary = engine.organisation_summary()
    assert (summary.headcount, summary.requirements, summary.weighted_gap) == (2, 0, 0.0)
