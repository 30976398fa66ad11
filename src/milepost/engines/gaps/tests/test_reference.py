"""The vectorised engine agrees with the straightforward per-employee loop."""

from __future__ import annotations

import numpy as np
import pytest

from milepost.engines.gaps import GapEngine
from milepost.engines.gaps.reference import ORGANISATION, reference_gaps
from milepost.engines.gaps.synthetic import synthetic_organisation


@pytest.mark.parametrize("seed", [7, 8])
def test_engine_matches_per_employee_loop(seed):
    inputs = synthetic_organisation(
        n_employees=400,
        n_units=30,
        n_profiles=10,
        n_competencies=80,
        requirements_per_profile=7,
        seed=seed,
    )
    engine = GapEngine.compute(inputs)
    reference = reference_gaps(inputs, range(inputs.n_employees))
    people = range(inputs.n_employees)
    assert [reference.person_weighted_gap[e] for e in people] == engine.people.weighted_gap.tolist()
    assert [reference.person_met[e] for e in people] == engine.people.met.tolist()
    assert [int(reference.person_ready[e]) for e in people] == engine.people.ready_in_role.tolist()
    for (unit, competency), cell in reference.cells.items():
        row = engine.organisation if unit == ORGANISATION else int(unit)
        column = engine.column_of[competency]
        required, below, unassessed, gap, weighted, holders = cell
        assert engine.cells.required[row, column] == required
        assert engine.cells.below[row, column] == below
        assert engine.cells.unassessed[row, column] == unassessed
        assert engine.cells.gap[row, column] == gap
        assert engine.cells.weighted_gap[row, column] == pytest.approx(weighted)
        if len(holders) == 1:
            assert engine.cells.holder_sum[row, column] == holders[0]
    assert int(engine.cells.required.sum()) == sum(c[0] for c in reference.cells.values())
    assert np.all(engine.cells.required >= 0)
