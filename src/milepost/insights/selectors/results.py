"""Small result classes for the gap pages, the API and the exports."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from milepost.engines.gaps import GapSummary
from milepost.frameworks.models import JobProfile

HEATMAP_COLUMNS = 20  # competencies shown at first: the largest weighted gaps
HEATMAP_MAX_COLUMNS = 200  # the most a page shows; exports carry every column
NAME_CHUNK = 2_000  # ids per `IN (...)` when exports fetch every name


class Unassessed(StrEnum):
    """What gap figures do with a requirement nobody has assessed yet (no agreed level)."""

    LEAVE_OUT = "leave-out"  # out of every figure: missing data is not a skills gap
    COUNT = "count"  # counted as level 0: the whole required level is a gap

    @property
    def label(self) -> str:
        return "left out" if self is Unassessed.LEAVE_OUT else "counted as level 0"

    @classmethod
    def parse(cls, value: str | None, default: Unassessed) -> Unassessed:
        """The choice named in a query string; `default` when absent or unknown."""
        try:
            return cls(value) if value else default
        except ValueError:
            return default


def with_unassessed(summary: GapSummary, unassessed: Unassessed) -> GapSummary:
    return summary.assessed_only() if unassessed is Unassessed.LEAVE_OUT else summary


@dataclass(frozen=True)
class SummaryRow:
    """A unit (or the organisation, pk None) with its gap totals, sub-units included."""

    pk: int | None
    name: str
    summary: GapSummary
    has_children: bool = False


@dataclass(frozen=True)
class HeatCell:
    required: int
    below: int
    unassessed: int
    gap: int
    weighted_gap: float
    left_out: int = 0  # unassessed people left out of the cell

    @property
    def holders(self) -> int:
        return self.required - self.below

    @property
    def required_in_all(self) -> int:
        return self.required + self.left_out

    @property
    def assessed(self) -> int:
        return self.required - self.unassessed

    @property
    def not_assessed(self) -> int:
        return self.unassessed + self.left_out

    @property
    def share_below(self) -> float:
        return self.below / self.required if self.required else math.nan

    @property
    def band(self) -> int:
        """0 (nobody below) to 4 (more than three quarters below): the cell's colour."""
        share = self.share_below
        if math.isnan(share) or share == 0:
            return 0
        return min(4, 1 + int(share * 4 - 1e-9))


@dataclass(frozen=True)
class HeatRow:
    pk: int | None  # unit pk; None for a team row
    name: str
    cells: list[HeatCell | None]  # None: nobody in the row is required to hold it


@dataclass(frozen=True)
class HeatmapTable:
    columns: list[tuple[int, str]]  # (competency pk, name), largest weighted gap first
    rows: list[HeatRow]
    total_columns: int  # columns before the top-N cut and the name filter
    matching_columns: int  # after the name filter
    unassessed: Unassessed = Unassessed.COUNT


@dataclass(frozen=True)
class RiskRow:
    unit_pk: int
    unit_name: str
    competency_pk: int
    competency_name: str
    required: int
    holders: int
    sole_holder_pk: int | None
    sole_holder_name: str


@dataclass(frozen=True)
class RequirementGap:
    competency_pk: int
    competency_name: str
    required_level: int
    agreed_level: int | None  # None: not assessed (counts as level 0)
    gap: int
    weight: float
    weighted_gap: float
    essential: bool
    left_out: bool = False  # not assessed and left out of the figures


@dataclass(frozen=True)
class PersonRow:
    pk: int
    name: str
    summary: GapSummary | None  # None: inactive (not in the analysis)


@dataclass(frozen=True)
class BenchPerson:
    pk: int
    name: str
    unit_name: str
    short: int  # requirements one level short (0: ready)


@dataclass(frozen=True)
class BenchRow:
    """A job profile with its ready and nearly-ready counts in the user's scope."""

    profile: JobProfile
    readiness_requirements: int
    ready: int
    nearly_ready: int
    holders: int
