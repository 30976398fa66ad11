"""Gap analysis on arrays: required versus agreed levels, weighted, for people, units and the
organisation; heatmap, key-person risk, bench strength; incremental updates. No Django imports."""

from milepost.engines.gaps.engine import GapEngine
from milepost.engines.gaps.inputs import (
    GapInputError,
    GapInputs,
    GapWeights,
    current_levels,
    dense_index,
)
from milepost.engines.gaps.results import (
    BenchStrength,
    GapSummary,
    Heatmap,
    KeyPersonRisks,
    PersonGaps,
)

__all__ = [
    "BenchStrength",
    "GapEngine",
    "GapInputError",
    "GapInputs",
    "GapSummary",
    "GapWeights",
    "Heatmap",
    "KeyPersonRisks",
    "PersonGaps",
    "current_levels",
    "dense_index",
]
