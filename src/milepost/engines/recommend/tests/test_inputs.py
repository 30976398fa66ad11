from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from milepost.engines.recommend import RecommendInputError, recommend
from milepost.engines.recommend.tests.cases import greedy_trap


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("gap_competency", [0, 1, 2, 12], "gap_competency row 3: 12 is outside 0..9"),
        ("gap_current", [0, 0, 1, 0], "gap row 2: current level 1 is not below the required"),
        ("gap_required", [1, 1, 0, 1], "gap_required row 2: 0 is outside"),
        ("gap_weight", [1.0, 0.0, 1.0, 1.0], r"gap_weight row 1: 0.0 must be finite and > 0"),
        ("gap_weight", [1.0, 1.0, np.nan, 1.0], "gap_weight row 2: nan"),
        ("gap_people", [1, 1, 1, 0], "gap_people row 3: 0 is outside"),
        ("gap_people", [1, 1], "gap arrays differ in length"),
        ("item_cost", [1.9, -1.0, 2.7], r"item_cost row 1: -1.0 must be finite and >= 0"),
        ("outcome_item", [0, 0, 1, 1, 2, 2, 3], "outcome_item row 6: 3 is outside 0..2"),
        ("outcome_level", [1, 1, 1, 0, 1, 1, 1], "outcome_level row 3: 0 is outside"),
        ("outcome_competency", [0, 1, 2, 3, 0, 1, 1], "outcome row 6: item 2 raises competency 1"),
        ("outcome_level", [1, 1], "outcome arrays differ in length"),
    ],
)
def test_bad_input_names_the_row(field, value, message):
    change: dict[str, Any] = {field: np.array(value)}
    inputs = dataclasses.replace(greedy_trap(), **change)
    with pytest.raises(RecommendInputError, match=message):
        recommend(inputs)


@pytest.mark.parametrize("budget", [-1.0, float("inf"), float("nan")])
def test_bad_budget_is_refused(budget):
    with pytest.raises(RecommendInputError, match="budget"):
        recommend(greedy_trap(), budget=budget)


def test_unknown_method_is_refused():
    with pytest.raises(RecommendInputError, match="method 'best'"):
        recommend(greedy_trap(), method="best")  # type: ignore[arg-type]
