"""Gap engine benchmark: organisation-wide recompute, incremental updates and moves, reads, naive.

Generates a deterministic synthetic organisation (100,000 employees, 2,000 units, 300 job profiles
of about 25 requirements over 3,000 competencies, about 2.5 million agreed levels) and measures the
engine alone, on arrays: loading from SQLite/PostgreSQL is the Django adapter's job and is not
timed here. Prints a table and exits 0.

    .venv/bin/python bench/bench_gaps.py [--employees 100000] [--naive-sample 2000]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from milepost.engines.gaps import GapEngine, GapInputs
from milepost.engines.gaps.reference import reference_gaps, reference_lookups
from milepost.engines.gaps.synthetic import synthetic_organisation

RECOMPUTE_BUDGET_S = 10.0
MEMORY_BUDGET_MB = 2048.0
UPDATE_BUDGET_MS = 50.0


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    """Wall-clock seconds of each run."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def percentile(values: list[float], share: float) -> float:
    return float(np.percentile(np.array(values), share))


def with_levels(inputs: GapInputs, agreed: dict[tuple[int, int], int]) -> GapInputs:
    """The inputs with some current agreed levels replaced or added."""
    width = inputs.n_competencies
    keys = inputs.assessment_employee.astype(np.int64) * width + inputs.assessment_competency
    levels = inputs.assessment_level.astype(np.int16).copy()
    new_keys = np.array([e * width + c for e, c in agreed], dtype=np.int64)
    new_levels = np.array(list(agreed.values()), dtype=np.int16)
    order = np.argsort(keys)
    at = np.minimum(np.searchsorted(keys[order], new_keys), len(keys) - 1)
    present = keys[order][at] == new_keys
    levels[order[at[present]]] = new_levels[present]
    keys = np.r_[keys, new_keys[~present]]
    return GapInputs(
        **{
            **vars(inputs),
            "assessment_employee": (keys // width).astype(np.int32),
            "assessment_competency": (keys % width).astype(np.int32),
            "assessment_level": np.r_[levels, new_levels[~present]],
        }
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--moves", type=int, default=100)
    parser.add_argument("--naive-sample", type=int, default=2_000)
    args = parser.parse_args()
    rows: list[tuple[str, str, str]] = []

    def row(measure: str, figure: str, budget: str = "") -> None:
        rows.append((measure, figure, budget))
        print(f"  {measure}: {figure} {budget}", file=sys.stderr, flush=True)

    def verdict(value: float, limit: float, unit: str) -> str:
        return f"<= {limit:g} {unit}: {'met' if value <= limit else 'MISSED'}"

    start = time.perf_counter()
    inputs = synthetic_organisation(n_employees=args.employees)
    generated = time.perf_counter() - start
    row(
        "synthetic organisation",
        f"{inputs.n_employees:,} employees, {inputs.n_units:,} units, {inputs.n_profiles} profiles,"
        f" {len(inputs.requirement_profile):,} requirements, {inputs.n_competencies:,}"
        f" competencies, {len(inputs.assessment_level):,} agreed levels ({generated:.1f} s)",
    )

    # Organisation-wide recompute: time without tracing, then peak memory with tracemalloc.
    recompute = timed(lambda: GapEngine.compute(inputs), repeat=3)
    engine = GapEngine.compute(inputs)
    best = min(recompute)
    row(
        "organisation-wide recompute",
        f"{best:.2f} s best, {statistics.median(recompute):.2f} s median of 3",
        verdict(best, RECOMPUTE_BUDGET_S, "s"),
    )
    del engine
    tracemalloc.start()
    engine = GapEngine.compute(inputs)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    row(
        "recompute peak memory (tracemalloc, engine allocations)",
        f"{traced_peak / 2**20:.0f} MB; results held {engine.memory_bytes() / 2**20:.0f} MB",
        verdict(traced_peak / 2**20, MEMORY_BUDGET_MB, "MB"),
    )
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row("process max RSS so far (inputs + engine + interpreter)", f"{rss_mb:.0f} MB")

    # One person's update: an agreed level on their own profile, anywhere in the organisation.
    rng = np.random.default_rng(7)
    changes: dict[tuple[int, int], int] = {}
    update_ms = []
    with_profile = np.flatnonzero(inputs.employee_profile >= 0)
    for _ in range(args.updates):
        employee = int(rng.choice(with_profile))
        gaps = engine.person_gaps(employee)
        competency = int(rng.choice(gaps.competency))
        level = int(rng.integers(1, 6))
        start = time.perf_counter()
        engine.set_agreed_level(employee, competency, level)
        update_ms.append((time.perf_counter() - start) * 1000)
        changes[employee, competency] = level
    p95 = percentile(update_ms, 95)
    row(
        f"one person's update ({args.updates} updates)",
        f"p50 {percentile(update_ms, 50):.3f} ms, p95 {p95:.3f} ms, max {max(update_ms):.3f} ms",
        verdict(p95, UPDATE_BUDGET_MS, "ms (p95)"),
    )
    # One person's move: another job profile and unit, or leaving (one in ten).
    moved_profile = inputs.employee_profile.copy()
    moved_unit = inputs.employee_unit.copy()
    moved_active = np.ones(inputs.n_employees, dtype=bool)
    move_ms = []
    for _ in range(args.moves):
        employee = int(rng.integers(inputs.n_employees))
        moved_profile[employee] = rng.integers(-1, inputs.n_profiles)
        moved_unit[employee] = rng.integers(inputs.n_units)
        moved_active[employee] = rng.random() >= 0.1
        start = time.perf_counter()
        engine.set_employee(
            employee,
            unit=int(moved_unit[employee]),
            profile=int(moved_profile[employee]),
            active=bool(moved_active[employee]),
        )
        move_ms.append((time.perf_counter() - start) * 1000)
    p95 = percentile(move_ms, 95)
    row(
        f"one person's move: profile and unit, or leaving ({args.moves} moves)",
        f"p50 {percentile(move_ms, 50):.2f} ms, p95 {p95:.2f} ms, max {max(move_ms):.2f} ms",
        verdict(p95, UPDATE_BUDGET_MS, "ms (p95)"),
    )
    moved = GapInputs(
        **{
            **vars(with_levels(inputs, changes)),
            "employee_profile": moved_profile,
            "employee_unit": moved_unit,
            "employee_active": moved_active,
        }
    )
    recomputed = GapEngine.compute(moved)
    same = all(
        np.allclose(getattr(getattr(engine, part), name), values)
        for part in ("people", "units", "cells")
        for name, values in vars(getattr(recomputed, part)).items()
    ) and np.array_equal(engine.slot_agreed, recomputed.slot_agreed)
    row("incremental results equal a full recompute (updates and moves)", "yes" if same else "NO")
    del recomputed

    # Reads.
    tree = engine.tree
    children = np.diff(tree.child_indptr)
    department = int(np.flatnonzero(tree.depth == 3)[np.argmax(children[tree.depth == 3])])
    top = int(tree.children_of(engine.organisation)[0])
    for label, unit in (("top unit", top), ("one department", department)):
        heatmap = engine.unit_heatmap(unit)
        times = timed(lambda unit=unit: engine.unit_heatmap(unit), repeat=50)
        row(
            f"heatmap extraction, {label} (unit + children rows)",
            f"{statistics.median(times) * 1000:.2f} ms median"
            f" ({heatmap.required.shape[0]} x {heatmap.required.shape[1]} cells)",
        )
    times = timed(lambda: engine.key_person_risks([department]), repeat=50)
    row("key-person risk, one department", f"{statistics.median(times) * 1000:.2f} ms median")
    risks_time = timed(engine.key_person_risks, repeat=1)[0]
    risks = engine.key_person_risks()
    row(
        "key-person risk, every unit in one scan",
        f"{risks_time * 1000:.0f} ms ({len(risks):,} unit x competency cells at risk)",
    )
    profile = int(np.bincount(inputs.employee_profile[inputs.employee_profile >= 0]).argmax())
    times = timed(lambda: engine.bench_strength(profile), repeat=20)
    row(
        "bench strength, one job profile",
        f"{statistics.median(times) * 1000:.2f} ms median",
    )
    all_time = timed(engine.bench_strength_all, repeat=1)[0]
    benches = engine.bench_strength_all()
    row(
        f"bench strength, all {inputs.n_profiles} profiles",
        f"{all_time:.2f} s ({sum(len(b.ready) for b in benches):,} ready,"
        f" {sum(len(b.nearly_ready) for b in benches):,} nearly ready)",
    )
    times = timed(lambda: engine.person_gaps(0), repeat=200)
    row("one person's gap vector", f"{statistics.median(times) * 1e6:.0f} us median")

    # Naive: the per-employee loop on a sample, extrapolated; its lookups built in full.
    lookup_time = timed(lambda: reference_lookups(inputs), repeat=1)[0]
    lookups = reference_lookups(inputs)
    sample = rng.choice(inputs.n_employees, args.naive_sample, replace=False).tolist()
    loop_time = timed(lambda: reference_gaps(inputs, sample, lookups=lookups), repeat=1)[0]
    reference = reference_gaps(inputs, sample, lookups=lookups)
    original = GapEngine.compute(inputs)
    agrees = all(
        abs(reference.person_weighted_gap[e] - original.people.weighted_gap[e]) < 1e-9
        for e in sample
    )
    naive_total = lookup_time + loop_time * inputs.n_employees / len(sample)
    row(
        "naive per-employee loop (pure Python, same rules)",
        f"{naive_total:.1f} s = lookups {lookup_time:.1f} s + loop {loop_time:.2f} s on"
        f" {len(sample):,} employees x {inputs.n_employees / len(sample):.0f} (extrapolated);"
        f" agrees with engine: {'yes' if agrees else 'NO'}",
    )
    row("speed-up of the engine over the naive loop", f"{naive_total / best:.0f}x")

    width = max(len(measure) for measure, _, _ in rows)
    print(f"\nGap engine benchmark (numpy {np.__version__}, engine only, no database)\n")
    print(f"| {'measure':<{width}} | figure | budget |")
    print(f"|{'-' * (width + 2)}|---|---|")
    for measure, figure, budget in rows:
        print(f"| {measure:<{width}} | {figure} | {budget} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
