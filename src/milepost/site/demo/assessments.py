"""A deterministic history of self, manager and agreed assessments for the demo's people.

Plain Python, no Django. About half the people with a job profile are assessed on every
competency their profile requires: in the 2026 review round and, for most of those who
were already employed, in the 2025 round too, so their history shows change.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from milepost.site.demo.organisation import PROFILE_BY_KEY, PersonPlan

ASSESSED_SHARE = 0.5
HISTORY_SHARE = 0.65
IMPROVED_SHARE = 0.35


@dataclass(frozen=True)
class ReviewRound:
    name: str
    opens: datetime.date
    closes: datetime.date
    # Only people who started before this date take part.
    joined_before: datetime.date


ROUND_2025 = ReviewRound(
    "2025 annual review",
    datetime.date(2025, 3, 3),
    datetime.date(2025, 4, 25),
    datetime.date(2025, 2, 1),
)
ROUND_2026 = ReviewRound(
    "2026 annual review",
    datetime.date(2026, 3, 2),
    datetime.date(2026, 4, 24),
    datetime.date(2026, 2, 1),
)

# Where the group is short of what profiles require: the gaps the demo dashboards show.
STRETCH_COMPETENCIES = frozenset(
    {"RCF-CD", "CUS-VUL", "DAT-LIT", "DAT-AI", "DAT-PY", "LPS-CHG", "LPS-COA"}
)

AGREED_NOTES = (
    "Agreed after reviewing three recent files together.",
    "Manager's view agreed: evidence from call listening did not yet support the higher level.",
    "Agreed the higher level on the strength of feedback from the QA review.",
    "Discussed at the one-to-one; development action added to the plan.",
    "Agreed after the calibration session for the team.",
)

SELF = "self"
MANAGER = "manager"
AGREED = "agreed"


@dataclass(frozen=True)
class AssessmentPlan:
    person_index: int
    competency_code: str
    kind: str
    level: int
    assessed_on: datetime.date
    note: str = ""


def _clamp(level: int) -> int:
    return max(1, min(5, level))


def plan_assessments(
    people: Iterable[PersonPlan], *, seed: int, always_assess: Iterable[int] = ()
) -> Iterator[AssessmentPlan]:
    """Yield every assessment of the demo in a fixed order (person, round, competency, kind)."""
    rng = random.Random(seed + 1)
    always = set(always_assess)
    for person in people:
        if person.profile_key is None:
            continue
        chosen = rng.random() < ASSESSED_SHARE or person.index in always
        keeps_history = rng.random() < HISTORY_SHARE or person.index in always
        if not chosen:
            continue
        rounds = [
            review
            for review in (ROUND_2025, ROUND_2026)
            if person.start_date < review.joined_before and (review is ROUND_2026 or keeps_history)
        ]
        if not rounds:
            continue
        requirements = PROFILE_BY_KEY[person.profile_key].requirements
        current = {}
        for requirement in requirements:
            delta = rng.choices((-2, -1, 0, 1), (5, 30, 45, 20))[0]
            if requirement.competency_code in STRETCH_COMPETENCIES and rng.random() < 0.4:
                delta -= 1
            if person.start_date.year < 2012 and rng.random() < 0.3:
                delta += 1
            current[requirement.competency_code] = _clamp(requirement.level + delta)
        for review in rounds:
            span = (review.closes - review.opens).days - 21
            self_on = review.opens + datetime.timedelta(days=rng.randrange(span))
            manager_on = self_on + datetime.timedelta(days=rng.randint(3, 14))
            agreed_on = manager_on + datetime.timedelta(days=rng.randint(0, 7))
            for requirement in requirements:
                code = requirement.competency_code
                true_level = current[code]
                if review is ROUND_2025 and rng.random() < IMPROVED_SHARE:
                    true_level = _clamp(true_level - 1)
                self_level = _clamp(true_level + rng.choices((-1, 0, 1), (10, 55, 35))[0])
                manager_level = _clamp(true_level + rng.choices((-1, 0, 1), (15, 70, 15))[0])
                agreed_level = manager_level
                if self_level != manager_level and rng.random() < 0.25:
                    agreed_level += 1 if self_level > manager_level else -1
                note = ""
                if abs(self_level - manager_level) >= 2:
                    note = rng.choice(AGREED_NOTES)
                yield AssessmentPlan(person.index, code, SELF, self_level, self_on)
                yield AssessmentPlan(person.index, code, MANAGER, manager_level, manager_on)
                yield AssessmentPlan(person.index, code, AGREED, agreed_level, agreed_on, note)
