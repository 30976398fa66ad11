"""One assessment changes: the cached results must equal a full recompute, at any scale."""

from __future__ import annotations

import numpy as np
import pytest

from milepost.engines.gaps import GapEngine, GapInputs
from milepost.engines.gaps.synthetic import synthetic_organisation
from milepost.engines.gaps.tests.orgs import (
    ANN,
    CAT,
    CLAIMS,
    CLAIMS_LAW,
    EVE,
    HANDLER,
    MOTOR,
    SPREADSHEETS,
    UNREQUIRED,
    tiny_organisation,
    with_levels,
)


def assert_same_results(engine: GapEngine, full: GapEngine) -> None:
    np.testing.assert_array_equal(engine.slot_agreed, full.slot_agreed)
    for name in ("people", "units", "cells"):
        for field, values in vars(getattr(full, name)).items():
            np.testing.assert_allclose(
                getattr(getattr(engine, name), field), values, err_msg=f"{name}.{field}"
            )
    for incremental, recomputed in zip(
        engine.bench_strength_all(), full.bench_strength_all(), strict=True
    ):
        np.testing.assert_array_equal(incremental.ready, recomputed.ready)
        np.testing.assert_array_equal(incremental.nearly_ready, recomputed.nearly_ready)
        np.testing.assert_array_equal(incremental.nearly_ready_short, recomputed.nearly_ready_short)


def levels_of(inputs: GapInputs) -> dict[tuple[int, int], int]:
    return {
        (int(e), int(c)): int(level)
        for e, c, level in zip(
            inputs.assessment_employee,
            inputs.assessment_competency,
            inputs.assessment_level,
            strict=True,
        )
    }


def test_agreeing_a_level_closes_the_gap_up_the_tree():
    engine = GapEngine.compute(tiny_organisation())
    engine.set_agreed_level(ANN, CLAIMS_LAW, 2)
    assert engine.person_gaps(ANN).summary.weighted_gap == 2.0
    assert engine.people.ready_in_role[ANN] == 1
    assert engine.unit_summary(MOTOR).ready_in_role == 2
    assert engine.unit_summary(CLAIMS).weighted_gap == 2 + 3 + 25
    assert engine.heatmap([CLAIMS]).holders.tolist() == [[2, 2, 0]]
    assert engine.bench_strength(HANDLER).ready.tolist() == [0, 1]


def test_first_assessment_of_a_pair_and_levels_outside_the_profile():
    agreed = levels_of(tiny_organisation())
    engine = GapEngine.compute(tiny_organisation())
    changes = [(CAT, SPREADSHEETS, 4), (EVE, CLAIMS_LAW, 2), (EVE, UNREQUIRED, 5), (ANN, 1, 1)]
    for employee, competency, level in changes:
        engine.set_agreed_level(employee, competency, level)
        agreed[employee, competency] = level
    assert_same_results(engine, GapEngine.compute(with_levels(tiny_organisation(), agreed)))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_updates_equal_full_recompute(seed):
    inputs = synthetic_organisation(
        n_employees=300,
        n_units=25,
        n_profiles=8,
        n_competencies=60,
        requirements_per_profile=6,
        other_assessments_per_employee=3,
        seed=seed,
    )
    engine = GapEngine.compute(inputs)
    agreed = levels_of(inputs)
    rng = np.random.default_rng(seed)
    for _ in range(400):
        employee = int(rng.integers(inputs.n_employees))
        profile = inputs.employee_profile[employee]
        own = inputs.requirement_competency[inputs.requirement_profile == profile]
        if len(own) and rng.random() < 0.8:
            competency = int(rng.choice(own))
        else:
            competency = int(rng.integers(inputs.n_competencies))
        level = int(rng.integers(1, 6))
        engine.set_agreed_level(employee, competency, level)
        agreed[employee, competency] = level
    assert_same_results(engine, GapEngine.compute(with_levels(inputs, agreed)))
