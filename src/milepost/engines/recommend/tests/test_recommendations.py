from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pytest

from milepost.engines.recommend import Closure, recommend
from milepost.engines.recommend.tests.cases import BROAD, LEFT, RIGHT, greedy_trap, target


def test_optimum_beats_greedy_and_both_costs_are_shown():
    optimal = recommend(greedy_trap())
    assert list(optimal.items) == [LEFT, RIGHT]
    assert optimal.cost == pytest.approx(3.8)
    assert optimal.closed == optimal.total_gap == 4.0
    assert optimal.method == "optimal" and optimal.proven and not optimal.fallback
    assert optimal.greedy_cost == pytest.approx(4.6)
    assert optimal.optimal_cost == pytest.approx(3.8)
    assert optimal.cost_ratio == pytest.approx(4.6 / 3.8)

    quick = recommend(greedy_trap(), method="greedy")
    assert list(quick.items) == [RIGHT, BROAD]
    assert quick.cost == pytest.approx(4.6)
    assert quick.optimal_cost is None and quick.cost_ratio is None


def test_budget_is_respected_and_optimum_closes_more_within_it():
    optimal = recommend(greedy_trap(), budget=3.8)
    assert list(optimal.items) == [LEFT, RIGHT]
    assert optimal.closed == 4.0
    quick = recommend(greedy_trap(), budget=3.8, method="greedy")
    assert list(quick.items) == [BROAD]  # RIGHT no longer fits, LEFT adds nothing
    assert quick.cost <= 3.8 and quick.closed == 3.0
    assert optimal.greedy_closed == 3.0

    tight = recommend(greedy_trap(), budget=2.0)
    assert tight.cost <= 2.0
    assert tight.closed == 2.0 and len(tight.items) == 1
    assert tight.remaining == 2.0 and tight.share_closed == 0.5


def test_budget_of_zero_chooses_nothing_unless_free():
    assert len(recommend(greedy_trap(), budget=0.0).items) == 0
    free = target(gaps=[(0, 0, 2, 1.0)], costs=[0.0, 5.0], outcomes=[(0, 0, 1), (1, 0, 2)])
    answer = recommend(free, budget=0.0)
    assert list(answer.items) == [0] and answer.closed == 1.0


def test_nothing_to_close_gives_an_empty_recommendation():
    empty = recommend(target(gaps=[], costs=[10.0], outcomes=[(0, 3, 2)]))
    assert len(empty.items) == 0 and empty.cost == 0.0 and empty.closed == 0.0
    assert empty.explanation == () and empty.total_gap == 0.0
    # Gaps that no item reaches: nothing to buy either.
    unreachable = recommend(target(gaps=[(5, 0, 2, 3.0)], costs=[10.0], outcomes=[(0, 3, 2)]))
    assert len(unreachable.items) == 0
    assert unreachable.remaining == 6.0 and unreachable.closable == 0.0


def test_partial_closure_counts_the_levels_gained_up_to_the_requirement():
    # current 1, required 4, weight 2: an item to level 3 closes 2 levels (4.0 of 6.0).
    answer = recommend(target(gaps=[(0, 1, 4, 2.0)], costs=[5.0], outcomes=[(0, 0, 3)]))
    assert answer.closed == 4.0 and answer.total_gap == 6.0
    (row,) = answer.explanation
    assert (row.from_level, row.to_level, row.levels, row.value, row.full) == (1, 3, 2, 4.0, False)
    # An item that raises only to the current level closes nothing and is not chosen.
    none = recommend(target(gaps=[(0, 1, 4, 2.0)], costs=[5.0], outcomes=[(0, 0, 1)]))
    assert len(none.items) == 0


def test_several_items_on_one_competency_do_not_add_the_best_level_counts():
    inputs = target(
        gaps=[(0, 0, 4, 1.0)],
        costs=[1.0, 1.0, 3.0],
        outcomes=[(0, 0, 2), (1, 0, 3), (2, 0, 4)],
    )
    answer = recommend(inputs)
    assert list(answer.items) == [2] and answer.closed == 4.0  # not 2 + 3 + 4
    within = recommend(inputs, budget=2.0)
    assert list(within.items) == [1] and within.closed == 3.0
    both = recommend(inputs, budget=2.0, method="greedy")
    assert both.closed == 3.0 and list(both.items) == [1]  # item 0 made redundant, dropped


def test_explanation_lists_exactly_the_gaps_each_item_closes():
    inputs = target(
        gaps=[(0, 0, 2, 1.0), (1, 1, 3, 2.5), (2, 0, 1, 4.0), (3, 0, 5, 1.0)],
        costs=[10.0, 4.0],
        outcomes=[(0, 0, 3), (0, 1, 2), (0, 4, 5), (1, 2, 1), (1, 3, 1)],
    )
    answer = recommend(inputs)
    assert list(answer.items) == [0, 1]
    assert answer.closes(0) == (
        Closure(item=0, gap=0, competency=0, people=1, from_level=0, to_level=2, levels=2,
                value=2.0, full=True),
        Closure(item=0, gap=1, competency=1, people=1, from_level=1, to_level=2, levels=1,
                value=2.5, full=False),
    )  # fmt: skip
    assert [(row.gap, row.value, row.full) for row in answer.closes(1)] == [
        (2, 4.0, True),
        (3, 1.0, False),
    ]
    assert sum(row.value for row in answer.explanation) == pytest.approx(answer.closed)


def test_the_best_item_on_a_competency_is_credited_once():
    inputs = target(
        gaps=[(0, 0, 3, 1.0), (1, 0, 1, 1.0), (2, 0, 1, 1.0)],
        costs=[1.0, 1.0],
        outcomes=[(0, 0, 3), (0, 1, 1), (1, 0, 1), (1, 2, 1)],
    )
    answer = recommend(inputs)
    assert list(answer.items) == [0, 1]
    assert [row.competency for row in answer.closes(1)] == [2]  # competency 0 goes to item 0
    assert [row.competency for row in answer.closes(0)] == [0, 1]


def test_a_team_gap_is_people_short_times_weight():
    # Three people at level 0 and two at level 2 on competency 0 (required 3), weight 1.5;
    # one person short on competency 1.
    inputs = target(
        gaps=[(0, 0, 3, 1.5, 3), (0, 2, 3, 1.5, 2), (1, 0, 2, 1.0, 1)],
        costs=[100.0, 60.0, 30.0],
        outcomes=[(0, 0, 3), (1, 0, 2), (2, 1, 2)],
    )
    assert recommend(inputs, method="greedy").total_gap == 3 * 3 * 1.5 + 2 * 1.5 + 2.0
    answer = recommend(inputs, budget=90.0)
    # Item 1 (to level 2) closes 3 people x 2 levels x 1.5 = 9.0, item 2 closes 2.0.
    assert list(answer.items) == [1, 2] and answer.closed == 11.0
    assert [(row.gap, row.people, row.levels, row.value) for row in answer.closes(1)] == [
        (0, 3, 2, 9.0)
    ]
    everything = recommend(inputs)
    assert list(everything.items) == [0, 2] and everything.closed == everything.total_gap


def test_among_equal_closure_the_cheapest_set_is_chosen():
    inputs = target(
        gaps=[(0, 0, 2, 1.0), (1, 0, 2, 1.0)],
        costs=[10.0, 4.0, 4.0, 9.0],
        outcomes=[(0, 0, 2), (0, 1, 2), (1, 0, 2), (2, 1, 2), (3, 0, 2), (3, 1, 2)],
    )
    assert list(recommend(inputs).items) == [1, 2]  # 8.0, not 9.0 or 10.0
    assert list(recommend(inputs, budget=9.0).items) == [1, 2]
    cheaper = dataclasses.replace(inputs, item_cost=np.array([10.0, 4.0, 4.0, 7.5]))
    assert list(recommend(cheaper).items) == [3]
    assert list(recommend(cheaper, budget=7.5).items) == [3]


def test_solver_failure_falls_back_to_greedy_flagged(monkeypatch):
    from milepost.engines.recommend import engine
    from milepost.engines.recommend.exact import ExactAnswer

    def no_answer(*args, **kwargs):
        return ExactAnswer(None, False, "Time limit reached.", 0.5)

    monkeypatch.setattr(engine, "solve_exact", no_answer)
    answer = recommend(greedy_trap())
    assert answer.fallback and answer.method == "greedy" and not answer.proven
    assert list(answer.items) == [RIGHT, BROAD] and answer.optimal_cost is None
    assert "Time limit reached." in answer.note


def test_a_tiny_time_limit_still_returns_an_answer():
    answer = recommend(greedy_trap(), budget=3.8, time_limit=0.0)
    assert answer.closed > 0 and answer.cost <= 3.8
    assert answer.fallback or answer.method == "optimal"


def test_a_cost_stage_without_answer_keeps_the_closure_optimum_unproven(monkeypatch):
    from milepost.engines.recommend import exact

    real_milp, calls = exact.milp, []

    def second_gives_up(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            return SimpleNamespace(x=None, status=1, message="Time limit reached.")
        return real_milp(*args, **kwargs)

    monkeypatch.setattr(exact, "milp", second_gives_up)
    # An irrational weight: no closure quantum, so the budget is solved in two stages.
    inputs = dataclasses.replace(greedy_trap(), gap_weight=np.full(4, 2**0.5))
    answer = recommend(inputs, budget=3.8)
    assert len(calls) == 2
    assert answer.method == "optimal" and not answer.fallback and not answer.proven
    assert list(answer.items) == [LEFT, RIGHT] and answer.closed == pytest.approx(4 * 2**0.5)
    assert "least-cost stage gave no answer (Time limit reached.)" in answer.note
