"""Random but realistic catalogues and unit gaps, for the benchmark and property tests."""

from __future__ import annotations

import numpy as np

from milepost.engines.recommend.inputs import RecommendInputs


def synthetic_case(
    *,
    n_items: int = 500,
    n_competencies: int = 1_000,
    gap_competencies: tuple[int, int] = (200, 400),
    seed: int = 0,
) -> RecommendInputs:
    """A unit's gaps and a catalogue: each item raises 1-5 competencies drawn with a popularity
    skew (to level 2-5), costs 100-3,000 (log-uniform); gaps on 200-400 competencies, also
    skewed to the popular ones, one to three rows each (people at different current levels),
    1-12 people a row, weights importance 1-5 x essential 1.0 / optional 0.5 (0.5-5)."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, n_competencies + 1) ** 0.8
    popularity /= popularity.sum()
    shuffle = rng.permutation(n_competencies)  # popular competencies are not the low indices

    outcomes = rng.integers(1, 6, n_items)
    outcome_item = np.repeat(np.arange(n_items), outcomes)
    outcome_competency = np.concatenate(
        [
            shuffle[rng.choice(n_competencies, size, replace=False, p=popularity)]
            for size in outcomes
        ]
    )
    outcome_level = rng.choice([2, 3, 4, 5], len(outcome_item), p=[0.2, 0.35, 0.3, 0.15])
    item_cost = np.round(np.exp(rng.uniform(np.log(100), np.log(3_000), n_items)), 0)

    low, high = gap_competencies
    n_gap_competencies = int(rng.integers(low, high + 1))
    competencies = shuffle[
        rng.choice(n_competencies, n_gap_competencies, replace=False, p=popularity)
    ]
    rows = rng.integers(1, 4, n_gap_competencies)
    gap_competency = np.repeat(competencies, rows)
    n_gaps = len(gap_competency)
    required = np.repeat(
        rng.choice([1, 2, 3, 4, 5], n_gap_competencies, p=[0.1, 0.25, 0.35, 0.2, 0.1]), rows
    )
    current = np.floor(rng.random(n_gaps) * required).astype(np.int64)
    importance = np.repeat(rng.integers(1, 6, n_gap_competencies), rows)
    essential = np.repeat(rng.random(n_gap_competencies) < 0.7, rows)
    # Rows of one competency share its requirement; repeated current levels would be one row.
    key = gap_competency.astype(np.int64) * 8 + current
    _, unique = np.unique(key, return_index=True)
    return RecommendInputs(
        n_competencies=n_competencies,
        gap_competency=gap_competency[unique],
        gap_current=current[unique],
        gap_required=required[unique],
        gap_weight=np.asarray(importance * np.where(essential, 1.0, 0.5), dtype=np.float64)[unique],
        gap_people=rng.integers(1, 13, n_gaps)[unique],
        item_cost=item_cost,
        outcome_item=outcome_item,
        outcome_competency=outcome_competency,
        outcome_level=outcome_level,
    )
