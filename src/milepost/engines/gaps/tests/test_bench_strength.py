from __future__ import annotations

import pytest

from milepost.engines.gaps import GapEngine
from milepost.engines.gaps.tests.orgs import (
    ANALYST,
    ANN,
    BOB,
    DAN,
    FAY,
    HANDLER,
    UNDERWRITER,
    tiny_organisation,
)


@pytest.fixture(scope="module")
def engine() -> GapEngine:
    return GapEngine.compute(tiny_organisation())


def test_ready_meets_every_essential_requirement(engine):
    handler = engine.bench_strength(HANDLER)
    assert handler.readiness_requirements == 2  # the optional spreadsheets level is not needed
    assert handler.ready.tolist() == [BOB]


def test_nearly_ready_is_one_level_short_on_few_requirements(engine):
    handler = engine.bench_strength(HANDLER)
    assert handler.nearly_ready.tolist() == [ANN]  # claims law 1 for 2
    assert handler.nearly_ready_short.tolist() == [1]


def test_candidates_come_from_the_whole_organisation(engine):
    underwriter = engine.bench_strength(UNDERWRITER)
    assert underwriter.ready.tolist() == [DAN]
    assert underwriter.nearly_ready.tolist() == [FAY]  # pricing 3 for 4
    # Ann (spreadsheets 1 for 2, pricing not assessed) is neither: unassessed is never "near".
    assert ANN not in underwriter.nearly_ready


def test_nearly_ready_limit(engine):
    assert engine.bench_strength(HANDLER, max_short=0).nearly_ready.tolist() == []


def test_profile_without_essential_requirements_uses_all_of_them(engine):
    analyst = engine.bench_strength(ANALYST)  # spreadsheets at 2, optional
    assert analyst.readiness_requirements == 1
    assert analyst.ready.tolist() == [DAN, FAY]
    assert analyst.nearly_ready.tolist() == [ANN]


def test_bench_strength_for_every_profile(engine):
    every = engine.bench_strength_all()
    assert [b.profile for b in every] == [HANDLER, UNDERWRITER, ANALYST]
    assert every[HANDLER].ready.tolist() == [BOB]
