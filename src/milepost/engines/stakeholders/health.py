"""Relationship health: one documented 0-100 score from four signals (docs/clients.md).

Each signal scores 0-100 and missing signals drop out, the remaining weights scaled up, so a new
client with no survey yet is judged on what is known. The weights are the defaults of the quality
standard's checkable mileposts: contact within 90 days, no overdue next step, satisfaction, and
needs answered within 10 working days (about 14 calendar days).
"""

from __future__ import annotations

from dataclasses import dataclass

WEIGHTS = {"contact": 0.35, "next_steps": 0.25, "satisfaction": 0.25, "response": 0.15}
CONTACT_GOOD_DAYS = 30  # full marks up to here, nothing from CONTACT_LOST_DAYS
CONTACT_LOST_DAYS = 180
RESPONSE_GOOD_DAYS = 14
RESPONSE_LOST_DAYS = 60
OVERDUE_PENALTY = 34  # each overdue next step takes a third off that signal
GOOD, WATCH = 70, 40  # bands: good >= 70, watch >= 40, at risk below


@dataclass(frozen=True)
class HealthInputs:
    days_since_contact: int | None  # None: never contacted
    overdue_next_steps: int
    recommend_average: float | None  # 0-10 likelihood to recommend, None without answers
    response_days: float | None  # mean days from a need to its first response; None: no needs


@dataclass(frozen=True)
class HealthScore:
    score: int
    band: str  # "good", "watch", "at_risk"
    parts: dict[str, int]  # each signal's own 0-100 score, for the explanation


def _linear(days: float, good: float, lost: float) -> int:
    if days <= good:
        return 100
    if days >= lost:
        return 0
    return round(100 * (lost - days) / (lost - good))


def health_score(inputs: HealthInputs) -> HealthScore:
    """Weighted mean of the known signals, rounded, with its band."""
    parts: dict[str, int] = {}
    if inputs.days_since_contact is None:
        parts["contact"] = 0
    else:
        parts["contact"] = _linear(
            max(inputs.days_since_contact, 0), CONTACT_GOOD_DAYS, CONTACT_LOST_DAYS
        )
    parts["next_steps"] = max(0, 100 - OVERDUE_PENALTY * max(inputs.overdue_next_steps, 0))
    if inputs.recommend_average is not None:
        parts["satisfaction"] = round(10 * min(max(inputs.recommend_average, 0.0), 10.0))
    if inputs.response_days is not None:
        parts["response"] = _linear(
            max(inputs.response_days, 0.0), RESPONSE_GOOD_DAYS, RESPONSE_LOST_DAYS
        )
    total_weight = sum(WEIGHTS[name] for name in parts)
    score = round(sum(WEIGHTS[name] * value for name, value in parts.items()) / total_weight)
    band = "good" if score >= GOOD else "watch" if score >= WATCH else "at_risk"
    return HealthScore(score=score, band=band, parts=parts)
