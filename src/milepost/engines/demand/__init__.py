"""Demand maths: the priority score of needs and themes, and grouping similar needs.

Plain Python and numpy, no Django: the needs app adapts its rows in and out.
"""

from milepost.engines.demand.priority import PriorityInputs, Weights, priority_score
from milepost.engines.demand.themes import ThemeItem, group_similar, similarity_matrix

__all__ = [
    "PriorityInputs",
    "ThemeItem",
    "Weights",
    "group_similar",
    "priority_score",
    "similarity_matrix",
]
