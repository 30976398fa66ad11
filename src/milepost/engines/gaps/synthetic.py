"""A deterministic synthetic organisation for the benchmark and property tests (vectorised)."""

from __future__ import annotations

import itertools

import numpy as np

from milepost.engines.gaps.inputs import GapInputs


def synthetic_organisation(
    *,
    n_employees: int = 100_000,
    n_units: int = 2_000,
    n_profiles: int = 300,
    n_competencies: int = 3_000,
    requirements_per_profile: int = 25,
    own_assessed_share: float = 0.97,
    other_assessments_per_employee: int = 4,
    no_profile_share: float = 0.03,
    seed: int = 20_240_604,
) -> GapInputs:
    """Units in a tree about five levels deep, people mostly in the bottom levels, profiles
    sharing popular competencies, agreed levels scattered around the required level."""
    rng = np.random.default_rng(seed)

    # Unit tree: each level about five times the one above; parents from the level above.
    level_sizes = [1]
    while sum(level_sizes) < n_units:
        level_sizes.append(min(level_sizes[-1] * 5, n_units - sum(level_sizes)))
    unit_parent = np.full(n_units, -1, dtype=np.int32)
    first = 0
    for above, size in itertools.pairwise(level_sizes):
        start = first + above
        unit_parent[start : start + size] = first + rng.integers(0, above, size)
        first = start
    # People sit in the two bottom levels mostly, a few higher up.
    weight = np.where(np.arange(n_units) >= n_units - sum(level_sizes[-2:]), 10.0, 1.0)
    employee_unit = rng.choice(n_units, n_employees, p=weight / weight.sum()).astype(np.int32)

    # Profiles: requirements drawn with a popularity skew, so some competencies are shared.
    popularity = 1.0 / np.arange(1, n_competencies + 1) ** 0.6
    popularity /= popularity.sum()
    sizes = np.clip(
        rng.normal(requirements_per_profile, 3, n_profiles).round().astype(int),
        1,
        min(2 * requirements_per_profile, n_competencies),
    )
    req_profile = np.repeat(np.arange(n_profiles, dtype=np.int32), sizes)
    req_competency = np.concatenate(
        [rng.choice(n_competencies, size, replace=False, p=popularity) for size in sizes]
    ).astype(np.int32)
    n_reqs = len(req_profile)
    req_level = rng.choice([1, 2, 3, 4, 5], n_reqs, p=[0.1, 0.25, 0.35, 0.2, 0.1]).astype(np.int16)
    req_importance = rng.integers(1, 6, n_reqs).astype(np.int8)
    req_essential = rng.random(n_reqs) < 0.7

    profile_weight = rng.pareto(1.5, n_profiles) + 1
    employee_profile = rng.choice(
        n_profiles, n_employees, p=profile_weight / profile_weight.sum()
    ).astype(np.int32)
    employee_profile[rng.random(n_employees) < no_profile_share] = -1

    # Agreed levels: most own requirements, near the required level; plus a few others.
    starts = np.zeros(n_profiles + 1, dtype=np.int64)
    np.cumsum(sizes, out=starts[1:])
    has = employee_profile >= 0
    counts = np.where(has, sizes[employee_profile], 0)
    owner = np.repeat(np.arange(n_employees), counts)
    offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    req = starts[employee_profile[owner]] + offset
    # Each person has their own chance of falling short; recent joiners are less assessed.
    short_chance = rng.beta(1.2, 6.0, n_employees)
    assessed_share = np.where(rng.random(n_employees) < 0.1, 0.5, own_assessed_share)
    keep = rng.random(len(req)) < assessed_share[owner]
    owner, req = owner[keep], req[keep]
    short = rng.random(len(req)) < short_chance[owner]
    step = np.where(short, -rng.integers(1, 3, len(req)), rng.integers(0, 2, len(req)))
    own_level = np.clip(req_level[req] + step, 1, 5)
    n_other = n_employees * other_assessments_per_employee
    other_employee = rng.integers(0, n_employees, n_other)
    other_competency = rng.choice(n_competencies, n_other, p=popularity)
    other_level = rng.integers(1, 6, n_other)

    employee = np.r_[owner, other_employee].astype(np.int32)
    competency = np.r_[req_competency[req], other_competency].astype(np.int32)
    level = np.r_[own_level, other_level].astype(np.int16)
    _, unique_rows = np.unique(employee.astype(np.int64) * n_competencies + competency, True)
    return GapInputs(
        employee_profile=employee_profile,
        employee_unit=employee_unit,
        unit_parent=unit_parent,
        n_profiles=n_profiles,
        n_competencies=n_competencies,
        requirement_profile=req_profile,
        requirement_competency=req_competency,
        requirement_level=req_level,
        requirement_importance=req_importance,
        requirement_essential=req_essential,
        assessment_employee=employee[unique_rows],
        assessment_competency=competency[unique_rows],
        assessment_level=level[unique_rows],
    )
