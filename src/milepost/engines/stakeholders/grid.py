"""Where a stakeholder sits: power/interest quadrant and salience type."""

from __future__ import annotations

from dataclasses import dataclass

HIGH = 3  # on the 1-5 scales, 3 and above is "high"
SCALE = range(1, 6)


@dataclass(frozen=True)
class Quadrant:
    key: str
    label: str
    advice: str


QUADRANTS: dict[str, Quadrant] = {
    q.key: q
    for q in (
        Quadrant("manage_closely", "Manage closely", "High power, high interest: involve fully."),
        Quadrant("keep_satisfied", "Keep satisfied", "High power, low interest: meet needs."),
        Quadrant("keep_informed", "Keep informed", "Low power, high interest: show progress."),
        Quadrant("monitor", "Monitor", "Low power, low interest: minimum effort."),
    )
}


@dataclass(frozen=True)
class Salience:
    key: str
    label: str
    attributes: int  # how many of power, legitimacy and urgency the stakeholder holds (0-3)


SALIENCE_TYPES: dict[str, Salience] = {
    s.key: s
    for s in (
        Salience("none", "Non-stakeholder", 0),
        Salience("dormant", "Dormant", 1),
        Salience("discretionary", "Discretionary", 1),
        Salience("demanding", "Demanding", 1),
        Salience("dominant", "Dominant", 2),
        Salience("dangerous", "Dangerous", 2),
        Salience("dependent", "Dependent", 2),
        Salience("definitive", "Definitive", 3),
    )
}


def _check(name: str, value: int) -> None:
    if value not in SCALE:
        raise ValueError(f"{name} must be 1-5, not {value!r}")


def quadrant(power: int, interest: int) -> Quadrant:
    """Mendelow's grid: high power and interest are managed closely, and so on."""
    _check("power", power)
    _check("interest", interest)
    high_power, high_interest = power >= HIGH, interest >= HIGH
    if high_power and high_interest:
        return QUADRANTS["manage_closely"]
    if high_power:
        return QUADRANTS["keep_satisfied"]
    if high_interest:
        return QUADRANTS["keep_informed"]
    return QUADRANTS["monitor"]


def salience(power: int, legitimate: bool, urgent: bool) -> Salience:
    """Mitchell, Agle and Wood's typology from the three attributes (power is high power)."""
    _check("power", power)
    has_power = power >= HIGH
    key = {
        (False, False, False): "none",
        (True, False, False): "dormant",
        (False, True, False): "discretionary",
        (False, False, True): "demanding",
        (True, True, False): "dominant",
        (True, False, True): "dangerous",
        (False, True, True): "dependent",
        (True, True, True): "definitive",
    }[(has_power, bool(legitimate), bool(urgent))]
    return SALIENCE_TYPES[key]
