"""The straightforward per-employee loop, as the yardstick for tests and the benchmark.

It is what a view would do row by row: for each employee, look up each requirement's agreed
level, then add the results to the employee's unit and every unit above it. Same rules as the
engine, written for clarity, not speed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from milepost.engines.gaps.inputs import NO_PARENT, NO_PROFILE, GapInputs, GapWeights

ORGANISATION = "organisation"


@dataclass
class ReferenceResult:
    person_weighted_gap: dict[int, float] = field(default_factory=dict)
    person_met: dict[int, int] = field(default_factory=dict)
    person_requirements: dict[int, int] = field(default_factory=dict)
    person_ready: dict[int, bool] = field(default_factory=dict)
    # (unit or ORGANISATION, competency) -> [required, below, unassessed, gap, weighted, holders]
    cells: dict[tuple[int | str, int], list] = field(default_factory=dict)


def reference_lookups(
    inputs: GapInputs,
) -> tuple[dict[tuple[int, int], int], dict[int, list[tuple[int, int, int, bool]]]]:
    """The dictionaries a per-employee loop needs: agreed levels and requirements per profile."""
    agreed = {
        (int(e), int(c)): int(level)
        for e, c, level in zip(
            inputs.assessment_employee,
            inputs.assessment_competency,
            inputs.assessment_level,
            strict=True,
        )
    }
    requirements: dict[int, list[tuple[int, int, int, bool]]] = defaultdict(list)
    for p, c, level, importance, essential in zip(
        inputs.requirement_profile,
        inputs.requirement_competency,
        inputs.requirement_level,
        inputs.requirement_importance,
        inputs.requirement_essential,
        strict=True,
    ):
        requirements[int(p)].append((int(c), int(level), int(importance), bool(essential)))
    return agreed, requirements


def reference_gaps(
    inputs: GapInputs,
    employees: Iterable[int],
    weights: GapWeights | None = None,
    lookups: tuple[dict[tuple[int, int], int], dict[int, list[tuple[int, int, int, bool]]]]
    | None = None,
) -> ReferenceResult:
    """Per-employee gaps and subtree cells for the given employees, one at a time."""
    weights = weights or GapWeights()
    agreed, requirements = lookups or reference_lookups(inputs)
    result = ReferenceResult()
    for e in employees:
        profile = int(inputs.employee_profile[e])
        total, met, ready = 0.0, 0, True
        own = requirements.get(profile, []) if profile != NO_PROFILE else []
        units = _units_above(inputs, int(inputs.employee_unit[e]))
        for competency, required, importance, essential in own:
            level = agreed.get((e, competency))
            gap = max(required - (level or 0), 0)
            weight = importance * (weights.essential if essential else weights.optional)
            total += gap * weight
            met += gap == 0
            if gap and essential:
                ready = False
            for unit in units:
                cell = result.cells.setdefault((unit, competency), [0, 0, 0, 0, 0.0, []])
                cell[0] += 1
                cell[1] += gap > 0
                cell[2] += level is None
                cell[3] += gap
                cell[4] += gap * weight
                if gap == 0:
                    cell[5].append(e)
        result.person_weighted_gap[e] = total
        result.person_met[e] = met
        result.person_requirements[e] = len(own)
        result.person_ready[e] = ready and profile != NO_PROFILE
    return result


def _units_above(inputs: GapInputs, unit: int) -> list[int | str]:
    chain: list[int | str] = []
    while unit != NO_PARENT:
        chain.append(unit)
        unit = int(inputs.unit_parent[unit])
    chain.append(ORGANISATION)
    return chain
