"""The evaluation plan of a proposal, level by level (Kirkpatrick 1-4 and Phillips' ROI as 5):
which levels will be measured, how and when.

It is kept as plain text on `Proposal.evaluation_plan`, one line a level ("Level 3 (behaviour):
manager observation of five calls, 3 months after"), so the document and the later evaluation
read it as written; the page's form fills one box a level and writes these lines back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEVELS: tuple[tuple[int, str, str], ...] = (
    (1, "reaction", "Did they find it engaging and relevant? e.g. end-of-day questionnaire."),
    (2, "learning", "Did they learn it, with confidence? e.g. case test before and after."),
    (3, "behaviour", "Do they do it at work? e.g. manager observes five calls after 3 months."),
    (4, "results", "Did the business metric move? e.g. complaints a month, 6 months after."),
    (5, "ROI", "Was it worth it? benefit against the fully loaded cost, isolating the effect."),
)
_LINE = re.compile(r"^Level ([1-5]) \([^)]*\):\s?(.*)$")


@dataclass(frozen=True)
class PlannedLevel:
    number: int
    name: str
    how: str  # how and when it will be measured; empty when the level is not measured


def split_plan(text: str) -> tuple[dict[int, str], str]:
    """The plan's text as {level: how and when} and the rest (notes not on a level line)."""
    levels: dict[int, str] = {}
    notes: list[str] = []
    for line in text.splitlines():
        match = _LINE.match(line.strip())
        if match and int(match.group(1)) not in levels:
            levels[int(match.group(1))] = match.group(2).strip()
        else:
            notes.append(line)
    return levels, "\n".join(notes).strip()


def join_plan(levels: dict[int, str], notes: str = "") -> str:
    """The plan's text from {level: how and when} (a level left empty is not measured)."""
    lines = [
        f"Level {number} ({name}): {' '.join(levels[number].split())}"
        for number, name, _ in LEVELS
        if levels.get(number, "").strip()
    ]
    if notes.strip():
        lines.append(notes.strip())
    return "\n".join(lines)


def planned_levels(text: str) -> list[PlannedLevel]:
    """Every level, with how and when it will be measured ("" when it will not be)."""
    levels, _ = split_plan(text)
    return [PlannedLevel(number, name, levels.get(number, "")) for number, name, _ in LEVELS]
