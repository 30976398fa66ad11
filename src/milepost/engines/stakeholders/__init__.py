"""Stakeholder analysis: the power/interest grid (Mendelow), salience (Mitchell, Agle and Wood
1997) and a relationship health score. Plain Python, no Django: the clients app adapts its rows.

Power and interest are rated 1-5; "high" is HIGH (3) or more, the upper half of the scale with the
middle counted in, so a stakeholder rated 3/3 is managed closely rather than merely monitored.
"""

from milepost.engines.stakeholders.grid import (
    HIGH,
    QUADRANTS,
    SALIENCE_TYPES,
    Quadrant,
    Salience,
    quadrant,
    salience,
)
from milepost.engines.stakeholders.health import HealthInputs, HealthScore, health_score

__all__ = [
    "HIGH",
    "QUADRANTS",
    "SALIENCE_TYPES",
    "HealthInputs",
    "HealthScore",
    "Quadrant",
    "Salience",
    "health_score",
    "quadrant",
    "salience",
]
