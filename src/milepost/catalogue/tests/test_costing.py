"""The costing rule every recommendation uses: runs by places, a person's share of one run."""

from __future__ import annotations

from decimal import Decimal

import pytest

from milepost.catalogue.costing import cost_for, runs_for, seat_cost, seat_cost_basis
from milepost.catalogue.selectors import Offer


def offer(*, per_person: str = "0", per_run: str = "0", places: int | None = None) -> Offer:
    return Offer(
        kind="course",
        pk=1,
        code="C",
        title="Course C",
        cost_per_person=Decimal(per_person),
        cost_per_run=Decimal(per_run),
        duration_hours=Decimal("7"),
        modality="classroom",
        places_per_run=places,
    )


def test_unlimited_places_need_one_run_however_many_people() -> None:
    online = offer(per_person="10", per_run="500")
    assert runs_for(None, 300) == 1
    assert cost_for(online, 300) == Decimal("3500.00")  # 500 + 10 x 300
    assert cost_for(online, 1) == Decimal("510.00")  # no places to share the run between


def test_exact_multiples_of_the_places_fill_whole_runs() -> None:
    classroom = offer(per_person="5", per_run="1200", places=12)
    assert runs_for(12, 24) == 2
    assert cost_for(classroom, 24) == Decimal("2520.00")  # 1200 x 2 + 5 x 24
    assert cost_for(classroom, 300) == Decimal("31500.00")  # 25 runs + 1,500


def test_one_more_person_than_the_places_needs_one_more_run() -> None:
    classroom = offer(per_run="1200", places=12)
    assert (runs_for(12, 12), runs_for(12, 13)) == (1, 2)
    assert (cost_for(classroom, 12), cost_for(classroom, 13)) == (
        Decimal("1200.00"),
        Decimal("2400.00"),
    )


def test_one_person_pays_their_seats_share_of_a_run() -> None:
    assert cost_for(offer(per_run="1200", places=12), 1) == Decimal("100.00")
    assert cost_for(offer(per_person="40", per_run="1000", places=12), 1) == Decimal("123.33")
    assert cost_for(offer(per_run="300", places=1), 1) == Decimal("300.00")  # coaching


def test_a_qualification_costs_its_price_per_person() -> None:
    qualification = offer(per_person="650")  # qualifications carry no run cost nor places
    assert cost_for(qualification, 1) == Decimal("650.00")
    assert cost_for(qualification, 7) == Decimal("4550.00")


def test_nobody_costs_nothing_and_a_negative_count_is_refused() -> None:
    assert cost_for(offer(per_person="10", per_run="500", places=12), 0) == Decimal("0.00")
    with pytest.raises(ValueError, match="people must be 0 or more"):
        cost_for(offer(), -1)


def test_a_seat_is_the_cost_of_one_person_on_a_run_others_fill() -> None:
    internal = offer(per_run="2100", places=16)  # run cost only: looks free per person
    assert seat_cost(internal) == Decimal("131.25")
    assert seat_cost(internal) == cost_for(internal, 1)
    assert seat_cost(offer(per_person="650")) == Decimal("650.00")


def test_the_seat_cost_basis_says_where_the_figure_comes_from() -> None:
    assert seat_cost_basis(offer(per_run="2100", places=16), "GBP") == "GBP 2,100 a run for 16"
    assert (
        seat_cost_basis(offer(per_person="40", per_run="1000.50", places=12), "GBP")
        == "GBP 40 a person + GBP 1,000.50 a run for 12"
    )
    assert seat_cost_basis(offer(per_person="10", per_run="500"), "GBP") == (
        "GBP 10 a person + GBP 500 a run, places unlimited"
    )
    assert seat_cost_basis(offer(per_person="650"), "GBP") == "GBP 650 a person"
    assert seat_cost_basis(offer(), "GBP") == "free"
