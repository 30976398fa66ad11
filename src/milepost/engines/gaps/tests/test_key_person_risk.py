from __future__ import annotations

import pytest

from milepost.engines.gaps import GapEngine
from milepost.engines.gaps.tests.orgs import (
    BOB,
    CLAIMS,
    CLAIMS_LAW,
    DAN,
    MOTOR,
    PRICING,
    SPREADSHEETS,
    UNDERWRITING,
    tiny_organisation,
)


@pytest.fixture(scope="module")
def engine() -> GapEngine:
    return GapEngine.compute(tiny_organisation())


def rows(risks):
    return sorted(
        zip(
            risks.unit.tolist(),
            risks.competency.tolist(),
            risks.holders.tolist(),
            risks.sole_holder.tolist(),
            strict=True,
        )
    )


def test_competency_held_by_one_person_names_that_person(engine):
    # Claims law: Ann, Bob and Cat need it at 2; only Bob holds it. Spreadsheets: nobody does.
    assert rows(engine.key_person_risks([CLAIMS])) == [
        (CLAIMS, CLAIMS_LAW, 1, BOB),
        (CLAIMS, SPREADSHEETS, 0, -1),
    ]


def test_two_holders_is_not_a_risk(engine):
    # Negotiation is held by Ann and Bob in the claims subtree.
    assert all(r[1] != 0 for r in rows(engine.key_person_risks([CLAIMS])))


def test_holders_are_people_required_to_hold_it(engine):
    # Eve holds pricing at 5 but her (empty) profile does not require it: Dan is the sole holder.
    assert rows(engine.key_person_risks([UNDERWRITING])) == [
        (UNDERWRITING, SPREADSHEETS, 1, DAN),
        (UNDERWRITING, PRICING, 1, DAN),
    ]


def test_organisation_row_and_all_units_in_one_scan(engine):
    everything = rows(engine.key_person_risks())
    organisation = engine.organisation
    assert [r for r in everything if r[0] == organisation] == [
        (organisation, CLAIMS_LAW, 1, BOB),
        (organisation, PRICING, 1, DAN),
    ]
    assert [r for r in everything if r[0] == CLAIMS] == rows(engine.key_person_risks([CLAIMS]))


def test_direct_members_only(engine):
    # Claims' own member is Cat, who holds nothing.
    direct = rows(engine.key_person_risks([CLAIMS], include_subunits=False))
    assert [(r[1], r[2]) for r in direct] == [(0, 0), (1, 0), (2, 0)]


@pytest.mark.parametrize("max_holders", [0, 2])
def test_threshold_is_adjustable(engine, max_holders):
    risks = rows(engine.key_person_risks([MOTOR], max_holders=max_holders))
    assert all(r[2] <= max_holders for r in risks)
    assert len(risks) == {0: 1, 2: 3}[max_holders]
