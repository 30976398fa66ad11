from __future__ import annotations

import pytest

from milepost.engines.gaps import GapEngine
from milepost.engines.gaps.tests.orgs import (
    ANN,
    BOB,
    CLAIMS,
    GROUP,
    MOTOR,
    UNDERWRITING,
    tiny_organisation,
)


@pytest.fixture(scope="module")
def engine() -> GapEngine:
    return GapEngine.compute(tiny_organisation())


def test_team_unit_totals(engine):
    motor = engine.unit_summary(MOTOR)
    assert (motor.headcount, motor.requirements, motor.met) == (2, 6, 3)
    assert motor.weighted_gap == 7 + 3
    assert motor.unassessed == 1
    assert motor.ready_in_role == 1


def test_unit_includes_the_units_below_it(engine):
    claims = engine.unit_summary(CLAIMS)  # Ann and Bob (motor team) and Cat
    assert (claims.headcount, claims.requirements, claims.met) == (3, 9, 3)
    assert claims.weighted_gap == 7 + 3 + 25
    assert claims.unassessed == 4


def test_unit_without_subunits_counts_its_own_members_only(engine):
    claims = engine.unit_summary(CLAIMS, include_subunits=False)  # Cat only
    assert (claims.headcount, claims.requirements, claims.met) == (1, 3, 0)
    assert claims.weighted_gap == 25


def test_member_without_profile_counts_in_headcount_only(engine):
    underwriting = engine.unit_summary(UNDERWRITING)  # Dan, and Eve with no profile
    assert (underwriting.headcount, underwriting.with_profile) == (2, 1)
    assert underwriting.mean_weighted_gap == 0.0


def test_organisation_wide_totals(engine):
    organisation = engine.organisation_summary()
    assert organisation == engine.unit_summary(GROUP)  # one root: the same people
    assert (organisation.headcount, organisation.with_profile) == (6, 5)
    assert (organisation.requirements, organisation.met) == (13, 6)
    assert organisation.weighted_gap == 40
    assert organisation.weighted_required == 3 * 25 + 2 * 26
    assert organisation.ready_in_role == 2
    assert organisation.pct_met == pytest.approx(100 * 6 / 13)


def test_team_of_any_employees(engine):
    team = engine.team_summary([ANN, BOB])
    assert team == engine.unit_summary(MOTOR)
