from __future__ import annotations

import datetime

import pytest

from milepost.engines.demand import PriorityInputs, Weights, priority_score
from milepost.engines.demand.priority import priority_factors

TODAY = datetime.date(2026, 11, 23)


def score(**kwargs) -> float:
    inputs = {"impact": 3, "urgency": 2, "people_affected": 10, **kwargs}
    return priority_score(PriorityInputs(**inputs), Weights(), TODAY)


def test_the_lowest_and_highest_needs_span_zero_to_one_hundred():
    assert score(impact=1, urgency=1, people_affected=0) == 0.0
    assert score(impact=5, urgency=4, people_affected=5000, units=12) == 100.0


def test_each_factor_raises_the_score():
    base = score()
    assert score(impact=4) > base
    assert score(urgency=3) > base
    assert score(people_affected=100) > base
    assert score(units=4) > base


def test_people_are_counted_on_a_log_scale():
    factors = priority_factors(
        PriorityInputs(impact=1, urgency=1, people_affected=100), Weights(), TODAY
    )
    assert factors.people == pytest.approx(0.668, abs=0.001)


@pytest.mark.parametrize(("days", "pressure"), [(-3, 1.0), (10, 1.0), (30, 0.5), (90, 0.0)])
def test_a_near_deadline_counts_as_urgency(days, pressure):
    wanted_by = TODAY + datetime.timedelta(days=days)
    factors = priority_factors(
        PriorityInputs(impact=1, urgency=1, people_affected=1, wanted_by=wanted_by),
        Weights(),
        TODAY,
    )
    assert factors.urgency == pressure


def test_weights_change_the_ranking():
    many_people = PriorityInputs(impact=1, urgency=1, people_affected=500)
    high_impact = PriorityInputs(impact=5, urgency=1, people_affected=1)
    people_first = Weights(impact=0.1, urgency=0.1, people=0.8, breadth=0.0)
    impact_first = Weights(impact=0.8, urgency=0.1, people=0.1, breadth=0.0)
    assert priority_score(many_people, people_first, TODAY) > priority_score(
        high_impact, people_first, TODAY
    )
    assert priority_score(high_impact, impact_first, TODAY) > priority_score(
        many_people, impact_first, TODAY
    )


def test_negative_or_all_zero_weights_are_refused():
    with pytest.raises(ValueError, match="negative"):
        Weights(impact=-1)
    with pytest.raises(ValueError, match="above zero"):
        Weights(impact=0, urgency=0, people=0, breadth=0)
