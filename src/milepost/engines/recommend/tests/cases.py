"""Small hand-written targets and catalogues for the recommendation tests."""

from __future__ import annotations

import numpy as np

from milepost.engines.recommend import RecommendInputs

Gap = tuple[int, int, int, float] | tuple[int, int, int, float, int]


def target(
    gaps: list[Gap],
    costs: list[float],
    outcomes: list[tuple[int, int, int]],
    n_competencies: int = 10,
) -> RecommendInputs:
    """gaps: (competency, current, required, weight[, people]); outcomes: (item, competency,
    raises_to)."""
    people = [row[4] if len(row) == 5 else 1 for row in gaps]
    return RecommendInputs(
        n_competencies=n_competencies,
        gap_competency=np.array([row[0] for row in gaps], dtype=np.int64),
        gap_current=np.array([row[1] for row in gaps], dtype=np.int64),
        gap_required=np.array([row[2] for row in gaps], dtype=np.int64),
        gap_weight=np.array([row[3] for row in gaps], dtype=np.float64),
        gap_people=np.array(people, dtype=np.int64),
        item_cost=np.array(costs, dtype=np.float64),
        outcome_item=np.array([row[0] for row in outcomes], dtype=np.int64),
        outcome_competency=np.array([row[1] for row in outcomes], dtype=np.int64),
        outcome_level=np.array([row[2] for row in outcomes], dtype=np.int64),
    )


# Four competencies one level short, weight 1 each. Greedy takes BROAD (3 for 2.7, the best
# ratio) then needs RIGHT for the fourth: 4.6. LEFT + RIGHT close the same for 3.8.
LEFT, RIGHT, BROAD = 0, 1, 2


def greedy_trap() -> RecommendInputs:
    return target(
        gaps=[(c, 0, 1, 1.0) for c in range(4)],
        costs=[1.9, 1.9, 2.7],
        outcomes=[
            (LEFT, 0, 1),
            (LEFT, 1, 1),
            (RIGHT, 2, 1),
            (RIGHT, 3, 1),
            (BROAD, 0, 1),
            (BROAD, 1, 1),
            (BROAD, 2, 1),
        ],
    )
