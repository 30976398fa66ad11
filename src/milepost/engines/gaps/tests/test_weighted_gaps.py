from __future__ import annotations

import numpy as np
import pytest

from milepost.engines.gaps import GapEngine, GapWeights
from milepost.engines.gaps.tests.orgs import (
    ANN,
    BOB,
    CAT,
    CLAIMS_LAW,
    DAN,
    EVE,
    FAY,
    NEGOTIATION,
    SPREADSHEETS,
    tiny_organisation,
)


@pytest.fixture(scope="module")
def engine() -> GapEngine:
    return GapEngine.compute(tiny_organisation())


def test_person_gap_vector_is_required_minus_agreed_clipped_and_weighted(engine):
    ann = engine.person_gaps(ANN)
    assert list(ann.competency) == [NEGOTIATION, CLAIMS_LAW, SPREADSHEETS]
    assert list(ann.required_level) == [3, 2, 3]
    assert list(ann.agreed_level) == [3, 1, 1]
    assert list(ann.gap) == [0, 1, 2]
    # importance x 1.0 when essential, x 0.5 when optional
    assert list(ann.weight) == [4.0, 5.0, 1.0]
    assert list(ann.weighted_gap) == [0.0, 5.0, 2.0]
    assert ann.summary.weighted_gap == 7.0
    assert ann.summary.met == 1
    assert ann.summary.pct_met == pytest.approx(100 / 3)


def test_level_above_required_does_not_offset_other_gaps(engine):
    bob = engine.person_gaps(BOB)  # negotiation 4 for a required 3
    assert list(bob.gap) == [0, 0, 3]
    assert bob.summary.weighted_gap == 3.0


def test_unassessed_counts_as_level_zero_and_is_counted_separately(engine):
    cat = engine.person_gaps(CAT)
    assert list(cat.agreed_level) == [-1, -1, -1]
    assert list(cat.gap) == [3, 2, 3]
    assert cat.summary.weighted_gap == 3 * 4 + 2 * 5 + 3 * 1
    assert cat.summary.unassessed == 3
    assert cat.summary.gap_index == 1.0


def test_all_people_weighted_gaps(engine):
    assert list(engine.people.weighted_gap) == [7.0, 3.0, 25.0, 0.0, 0.0, 5.0]
    assert list(engine.people.ready_in_role) == [0, 1, 0, 1, 0, 0]


def test_employee_without_profile_has_no_requirements(engine):
    eve = engine.person_gaps(EVE)
    assert eve.profile == -1
    assert len(eve.competency) == 0
    assert eve.summary.requirements == 0
    assert np.isnan(eve.summary.pct_met)


def test_essential_and_optional_weights_are_configurable():
    engine = GapEngine.compute(tiny_organisation(), GapWeights(essential=2.0, optional=0.0))
    assert engine.person_gaps(ANN).summary.weighted_gap == 1 * 5 * 2.0
    assert engine.person_gaps(CAT).summary.weighted_gap == 3 * 4 * 2 + 2 * 5 * 2
    assert engine.person_gaps(DAN).summary.weighted_gap == 0.0
    assert engine.person_gaps(FAY).summary.weighted_gap == 1 * 5 * 2.0


def test_optional_gap_does_not_stop_readiness_in_role(engine):
    # Bob misses only the optional spreadsheets requirement.
    assert engine.person_gaps(BOB).summary.ready_in_role == 1
