"""One person moves (unit, job profile) or leaves: cached results must equal a full recompute."""

from __future__ import annotations

import numpy as np
import pytest

from milepost.engines.gaps import GapEngine, GapInputError, GapInputs
from milepost.engines.gaps.synthetic import synthetic_organisation
from milepost.engines.gaps.tests.orgs import (
    ANALYST,
    CLAIMS,
    DAN,
    EVE,
    GROUP,
    MOTOR,
    PRICING,
    UNDERWRITER,
    UNDERWRITING,
    tiny_organisation,
)
from milepost.engines.gaps.tests.test_incremental import assert_same_results, levels_of


def changed(
    inputs: GapInputs,
    *,
    profile: np.ndarray,
    unit: np.ndarray,
    active: np.ndarray,
    agreed: dict[tuple[int, int], int],
) -> GapInputs:
    """The same organisation with other people's places and agreed levels."""
    pairs = sorted(agreed)
    return GapInputs(
        **{
            **vars(inputs),
            "employee_profile": profile.copy(),
            "employee_unit": unit.copy(),
            "employee_active": active.copy(),
            "assessment_employee": np.array([e for e, _ in pairs], dtype=np.int64),
            "assessment_competency": np.array([c for _, c in pairs], dtype=np.int64),
            "assessment_level": np.array([agreed[p] for p in pairs], dtype=np.int64),
        }
    )


def assert_same_state(engine: GapEngine, full: GapEngine) -> None:
    assert_same_results(engine, full)
    for name in ("employee_profile", "employee_unit", "employee_active"):
        np.testing.assert_array_equal(getattr(engine, name), getattr(full, name), err_msg=name)
    for name in ("slot_indptr", "slot_req"):
        np.testing.assert_array_equal(getattr(engine, name), getattr(full, name), err_msg=name)


def test_a_new_profile_reads_the_levels_already_agreed():
    engine = GapEngine.compute(tiny_organisation())
    # Eve (no profile, pricing 5) becomes an underwriter: pricing met, spreadsheets unassessed.
    engine.set_employee(EVE, unit=UNDERWRITING, profile=UNDERWRITER)
    eve = engine.person_gaps(EVE).summary
    assert (eve.requirements, eve.met, eve.unassessed, eve.ready_in_role) == (2, 1, 1, 0)
    assert eve.weighted_gap == 2 * 3
    assert engine.unit_summary(UNDERWRITING).with_profile == 2
    assert engine.heatmap([UNDERWRITING]).required.tolist() == [[2, 2]]  # spreadsheets, pricing


def test_a_move_between_units_changes_both_branches_of_the_tree():
    inputs = tiny_organisation()
    engine = GapEngine.compute(inputs)
    claims_before = engine.unit_summary(CLAIMS)
    dan = engine.people.summary(DAN)
    engine.set_employee(DAN, unit=MOTOR, profile=UNDERWRITER)
    assert engine.unit_summary(CLAIMS).headcount == claims_before.headcount + 1
    assert engine.unit_summary(CLAIMS).weighted_gap == claims_before.weighted_gap + dan.weighted_gap
    assert engine.unit_summary(UNDERWRITING).headcount == 1
    assert engine.organisation_summary().headcount == 6
    unit = inputs.employee_unit.copy()
    unit[DAN] = MOTOR
    expected = changed(
        inputs,
        profile=inputs.employee_profile,
        unit=unit,
        active=np.ones(6, bool),
        agreed=levels_of(inputs),
    )
    assert_same_state(engine, GapEngine.compute(expected))


def test_someone_who_leaves_counts_nowhere_and_comes_back_with_their_levels():
    engine = GapEngine.compute(tiny_organisation())
    assert DAN in engine.bench_strength(UNDERWRITER).ready.tolist()
    engine.set_employee(DAN, unit=UNDERWRITING, profile=UNDERWRITER, active=False)
    assert engine.unit_summary(UNDERWRITING).headcount == 1
    assert engine.person_gaps(DAN).summary.requirements == 0
    assert DAN not in engine.bench_strength(UNDERWRITER).ready.tolist()
    assert DAN not in engine.bench_strength(ANALYST).nearly_ready.tolist()
    engine.set_agreed_level(DAN, PRICING, 5)  # recorded while away, kept for their return
    engine.set_employee(DAN, unit=GROUP, profile=UNDERWRITER)
    assert engine.person_gaps(DAN).agreed_level.tolist() == [2, 5]
    assert DAN in engine.bench_strength(UNDERWRITER).ready.tolist()


def test_an_unchanged_place_changes_nothing():
    engine = GapEngine.compute(tiny_organisation())
    slots = engine.slot_req
    engine.set_employee(DAN, unit=UNDERWRITING, profile=UNDERWRITER)
    assert engine.slot_req is slots
    assert_same_state(engine, GapEngine.compute(tiny_organisation()))


@pytest.mark.parametrize(
    ("employee", "unit", "profile", "message"),
    [
        (6, GROUP, -1, "employee 6 is not in the organisation"),
        (DAN, 4, -1, "unit 4 is outside 0..3"),
        (DAN, GROUP, 3, "job profile 3 is outside -1..2"),
    ],
)
def test_a_place_outside_the_organisation_is_refused(employee, unit, profile, message):
    engine = GapEngine.compute(tiny_organisation())
    with pytest.raises(GapInputError, match=message):
        engine.set_employee(employee, unit=unit, profile=profile)


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_random_moves_and_updates_equal_full_recompute(seed):
    rng = np.random.default_rng(seed)
    inputs = synthetic_organisation(
        n_employees=int(rng.integers(20, 200)),
        n_units=int(rng.integers(1, 20)),
        n_profiles=int(rng.integers(1, 8)),
        n_competencies=40,
        requirements_per_profile=int(rng.integers(1, 7)),
        other_assessments_per_employee=3,
        seed=seed,
    )
    profile = inputs.employee_profile.astype(np.int64)
    unit = inputs.employee_unit.astype(np.int64)
    active = rng.random(inputs.n_employees) < 0.9
    agreed = levels_of(inputs)
    engine = GapEngine.compute(
        changed(inputs, profile=profile, unit=unit, active=active, agreed=agreed)
    )
    for step in range(300):
        employee = int(rng.integers(inputs.n_employees))
        if rng.random() < 0.5:
            competency = int(rng.integers(inputs.n_competencies))
            level = int(rng.integers(0, 6))
            engine.set_agreed_level(employee, competency, level)
            agreed[employee, competency] = level
        else:
            unit[employee] = rng.integers(inputs.n_units) if rng.random() < 0.5 else unit[employee]
            profile[employee] = rng.integers(-1, inputs.n_profiles)
            active[employee] = rng.random() < 0.8
            engine.set_employee(
                employee,
                unit=int(unit[employee]),
                profile=int(profile[employee]),
                active=bool(active[employee]),
            )
        if step % 50 == 49:
            full = changed(inputs, profile=profile, unit=unit, active=active, agreed=agreed)
            assert_same_state(engine, GapEngine.compute(full))
