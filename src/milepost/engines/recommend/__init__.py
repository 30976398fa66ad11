"""Recommendations: the catalogue items that close the most weighted gap of a person, team or
unit at the least cost (or within a budget), exact (integer programme, HiGHS) with a greedy
fallback, explained per item. No Django imports."""

from milepost.engines.recommend.engine import recommend
from milepost.engines.recommend.inputs import RecommendInputError, RecommendInputs
from milepost.engines.recommend.results import Closure, Recommendation

__all__ = [
    "Closure",
    "RecommendInputError",
    "RecommendInputs",
    "Recommendation",
    "recommend",
]
