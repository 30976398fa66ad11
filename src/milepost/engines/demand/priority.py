"""The priority score of a need or a theme: a weighted mean of four factors, 0 to 100.

    priority = 100 x (wi x impact + wu x urgency + wp x people + wb x breadth) / (wi+wu+wp+wb)

each factor scaled to 0..1 (see docs/needs.md for the table):
- impact: (impact - 1) / 4, impact on the 1-5 scale;
- urgency: the larger of (urgency - 1) / 3 and the deadline pressure of `wanted_by`
  (1 when due within 14 days or overdue, 0.5 within 60 days, else 0);
- people: log10(1 + people affected) / log10(1 + 1000), capped at 1 (10 people 0.35,
  100 people 0.67, 1,000 or more 1);
- breadth: (units asking - 1) / 9, capped at 1 (one unit 0, ten or more units 1).
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

PEOPLE_CAP = 1000
UNITS_CAP = 10
SOON_DAYS = 14
LATER_DAYS = 60


@dataclass(frozen=True)
class Weights:
    impact: float = 0.4
    urgency: float = 0.3
    people: float = 0.2
    breadth: float = 0.1

    def __post_init__(self) -> None:
        values = (self.impact, self.urgency, self.people, self.breadth)
        if any(value < 0 for value in values):
            raise ValueError("priority weights cannot be negative")
        if sum(values) <= 0:
            raise ValueError("at least one priority weight must be above zero")


@dataclass(frozen=True)
class PriorityInputs:
    """What one need (or a theme, aggregated) says about itself."""

    impact: int  # 1..5
    urgency: int  # 1..4
    people_affected: int
    units: int = 1
    wanted_by: datetime.date | None = None


@dataclass(frozen=True)
class PriorityFactors:
    impact: float
    urgency: float
    people: float
    breadth: float
    score: float


def deadline_pressure(wanted_by: datetime.date | None, today: datetime.date) -> float:
    if wanted_by is None:
        return 0.0
    days_left = (wanted_by - today).days
    if days_left <= SOON_DAYS:
        return 1.0
    if days_left <= LATER_DAYS:
        return 0.5
    return 0.0


def priority_factors(
    inputs: PriorityInputs, weights: Weights, today: datetime.date
) -> PriorityFactors:
    """Each factor on 0..1 and the weighted score on 0..100."""
    impact = _clamp((inputs.impact - 1) / 4)
    urgency = max(_clamp((inputs.urgency - 1) / 3), deadline_pressure(inputs.wanted_by, today))
    people = _clamp(math.log10(1 + max(inputs.people_affected, 0)) / math.log10(1 + PEOPLE_CAP))
    breadth = _clamp((inputs.units - 1) / (UNITS_CAP - 1))
    total = weights.impact + weights.urgency + weights.people + weights.breadth
    weighted = (
        weights.impact * impact
        + weights.urgency * urgency
        + weights.people * people
        + weights.breadth * breadth
    )
    return PriorityFactors(impact, urgency, people, breadth, round(100 * weighted / total, 1))


def priority_score(inputs: PriorityInputs, weights: Weights, today: datetime.date) -> float:
    return priority_factors(inputs, weights, today).score


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))
