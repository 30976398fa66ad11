"""The exact optimiser equals exhaustive search over every subset of items, on random tiny
instances (persons and teams, with and without a budget)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from milepost.engines.recommend import RecommendInputs, recommend
from milepost.engines.recommend.exact import _quantum
from milepost.engines.recommend.steps import level_steps


def random_instance(seed: int) -> RecommendInputs:
    rng = np.random.default_rng(seed)
    n_competencies, n_items = 6, int(rng.integers(1, 9))
    competencies = rng.choice(n_competencies, int(rng.integers(1, 6)), replace=False)
    rows = [
        (c, int(current), int(rng.integers(current + 1, 5)))
        for c in competencies
        for current in rng.choice(4, int(rng.integers(1, 3)), replace=False)
    ]
    outcomes = [
        (i, int(c), int(rng.integers(1, 5)))
        for i in range(n_items)
        for c in rng.choice(n_competencies, int(rng.integers(1, 4)), replace=False)
    ]
    weights = rng.choice([0.5, 1.0, 1.5, 2.0, 2.5, 5.0], len(rows))
    if seed % 2:
        weights[0] = 2**0.5  # no closure quantum: the two-stage solve
    return RecommendInputs(
        n_competencies=n_competencies,
        gap_competency=np.array([row[0] for row in rows]),
        gap_current=np.array([row[1] for row in rows]),
        gap_required=np.array([row[2] for row in rows]),
        gap_weight=weights,
        gap_people=rng.integers(1, 4, len(rows)),
        item_cost=rng.choice([0.0, 1.0, 2.0, 3.0, 5.0, 7.5], n_items, p=[0.05] + [0.19] * 5),
        outcome_item=np.array([row[0] for row in outcomes]),
        outcome_competency=np.array([row[1] for row in outcomes]),
        outcome_level=np.array([row[2] for row in outcomes]),
    )


def brute_force(inputs: RecommendInputs, budget: float | None) -> tuple[float, float]:
    """(most closed, least cost for it) over every subset within the budget."""
    steps = level_steps(inputs)
    best = (-1.0, 0.0)
    for size in range(inputs.n_items + 1):
        for subset in itertools.combinations(range(inputs.n_items), size):
            chosen = np.zeros(inputs.n_items, dtype=bool)
            chosen[list(subset)] = True
            cost = float(inputs.item_cost[chosen].sum())
            if budget is not None and cost > budget + 1e-9:
                continue
            closed = steps.closed(chosen)
            if closed > best[0] + 1e-9 or (abs(closed - best[0]) <= 1e-9 and cost < best[1]):
                best = (closed, cost)
    return best


@pytest.mark.parametrize("seed", range(120))
def test_optimal_equals_brute_force(seed):
    inputs = random_instance(seed)
    rng = np.random.default_rng(1_000 + seed)
    budget = None if seed % 3 == 0 else float(rng.uniform(0, 0.6 * inputs.item_cost.sum()))
    closed, cost = brute_force(inputs, budget)
    answer = recommend(inputs, budget=budget)
    assert answer.method == "optimal" and answer.proven
    assert answer.closed == pytest.approx(closed, abs=1e-9)
    assert answer.cost == pytest.approx(cost, abs=1e-9)
    assert budget is None or answer.cost <= budget + 1e-9
    # The greedy never beats it, and its explanation adds up.
    assert answer.greedy_closed <= answer.closed + 1e-9
    if answer.greedy_closed >= answer.closed - 1e-9:
        assert answer.greedy_cost >= answer.cost - 1e-9
    assert sum(row.value for row in answer.explanation) == pytest.approx(answer.closed)


def test_closure_quantum():
    assert _quantum(np.array([0.5, 1.0, 7.5])) == 0.5
    assert _quantum(np.array([3.0, 12.0])) == 1.0
    assert _quantum(np.array([0.1 * 3, 0.7])) == 0.1
    assert _quantum(np.array([1.0, 2**0.5])) is None
