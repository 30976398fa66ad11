"""Recommendation benchmark: exact (HiGHS milp) and greedy over 100 random catalogues and units.

Each case (`milepost.engines.recommend.synthetic.synthetic_case`, seeds 0..cases-1): 500
courses with 1-5 outcomes each over 1,000 competencies (popular competencies more often),
costs 100-3,000; a unit's gaps on 200-400 competencies, weights 0.5-5, 1-12 people a row.
Variants: no budget (close everything closable at least cost), and budgets of 10 %, 30 % and
60 % of that least cost (close the most within it; `--budget-shares`). Times are whole
`recommend()` calls (greedy, solver, explanation). Prints a table and exits 0.
`--no-quantum` scales every weight by 1 + sqrt(2)/1000 (same problem, no closure quantum) to
time the two-stage budget path that arbitrary real weights take.

    .venv/bin/python bench/bench_recommend.py [--cases 100] [--budget-shares 0.1,0.3,0.6]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from typing import Any

import numpy as np
import scipy

from milepost.engines.recommend import Recommendation, RecommendInputs, recommend
from milepost.engines.recommend.synthetic import synthetic_case

SOLVE_BUDGET_S = 2.0


def timed(case: RecommendInputs, **options: Any) -> tuple[Recommendation, float]:
    """recommend(case, **options) and its wall-clock seconds."""
    start = time.perf_counter()
    answer = recommend(case, **options)
    return answer, time.perf_counter() - start


def spread(values: list[float], digits: int = 3) -> str:
    """median / p95 / max."""
    p95 = float(np.percentile(values, 95))
    return f"{statistics.median(values):.{digits}f} / {p95:.{digits}f} / {max(values):.{digits}f}"


def ratios(values: list[float], worst: str) -> str:
    """mean / median / worst (the max for a cost ratio, the min for a closure ratio)."""
    extreme = max(values) if worst == "max" else min(values)
    return f"{statistics.mean(values):.4f} / {statistics.median(values):.4f} / {extreme:.4f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--budget-shares", default="0.1,0.3,0.6")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--no-quantum", action="store_true")
    args = parser.parse_args()
    shares = [float(share) for share in args.budget_shares.split(",")]
    load_before = os.getloadavg()[0]
    # HiGHS (scipy 1.17.1) prints a debug line to the C stdout now and then; keep the table clean.
    sys.stdout.flush()
    saved_stdout = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)

    free_s: list[float] = []
    budget_s: dict[float, list[float]] = {share: [] for share in shares}
    greedy_s: list[float] = []
    cost_ratio: list[float] = []
    budget_closure_ratio: dict[float, list[float]] = {share: [] for share in shares}
    budget_cost_ratio: dict[float, list[float]] = {share: [] for share in shares}
    unproven = fallbacks = greedy_better = 0
    sizes: list[tuple[int, int, int]] = []
    for seed in range(args.cases):
        case = synthetic_case(seed=seed)
        if args.no_quantum:
            case = dataclasses.replace(case, gap_weight=case.gap_weight * (1 + 2**0.5 / 1000))
        sizes.append((case.n_gaps, len(np.unique(case.gap_competency)), len(case.outcome_item)))
        free, seconds = timed(case, time_limit=args.time_limit)
        free_s.append(seconds)
        _, seconds = timed(case, method="greedy")
        greedy_s.append(seconds)
        answers = [free]
        for share in shares:
            budget = share * free.cost
            capped, seconds = timed(case, budget=budget, time_limit=args.time_limit)
            budget_s[share].append(seconds)
            answers.append(capped)
            if capped.optimal_closed:
                budget_closure_ratio[share].append(capped.greedy_closed / capped.optimal_closed)
                budget_cost_ratio[share].append(capped.greedy_cost / capped.cost)
        for answer in answers:
            unproven += not answer.proven
            fallbacks += answer.fallback
            greedy_better += answer.greedy_closed > answer.closed + 1e-9 or (
                answer.greedy_closed >= answer.closed - 1e-9
                and answer.greedy_cost < answer.cost - 1e-9
            )
        if free.optimal_cost:
            cost_ratio.append(free.greedy_cost / free.optimal_cost)
        slowest = max(seconds for times in budget_s.values() for seconds in times[-1:])
        print(
            f"  case {seed}: {free_s[-1]:.3f} s, budgets up to {slowest:.3f} s,"
            f" greedy/optimal cost {cost_ratio[-1]:.4f}",
            file=sys.stderr,
            flush=True,
        )
    load_after = os.getloadavg()[0]
    os.dup2(saved_stdout, 1)
    os.close(devnull)

    gaps, columns, outcomes = (np.array(values) for values in zip(*sizes, strict=True))
    worst = max([*free_s, *(seconds for times in budget_s.values() for seconds in times)])
    n_answers = args.cases * (1 + len(shares))
    rows = [
        (
            f"cases ({args.cases})",
            f"500 courses, {outcomes.mean():.0f} outcomes on average; gaps on"
            f" {columns.min()}-{columns.max()} competencies ({gaps.min()}-{gaps.max()} gap rows)",
            "",
        ),
        ("optimal, no budget: s median / p95 / max", spread(free_s), ""),
        *(
            (
                f"optimal, budget {share:.0%} of the least full cost: s median / p95 / max",
                spread(budget_s[share]),
                "",
            )
            for share in shares
        ),
        (
            "optimal, slowest call of every variant",
            f"{worst:.3f} s",
            f"<= {SOLVE_BUDGET_S:g} s: {'met' if worst <= SOLVE_BUDGET_S else 'MISSED'}",
        ),
        ("greedy alone, no budget: s median / p95 / max", spread(greedy_s, 4), ""),
        ("greedy/optimal cost, no budget: mean / median / worst", ratios(cost_ratio, "max"), ""),
        *(
            (
                f"greedy/optimal closure, budget {share:.0%}: mean / median / worst",
                ratios(budget_closure_ratio[share], "min"),
                "",
            )
            for share in shares
        ),
        *(
            (
                f"greedy/optimal cost, budget {share:.0%}: mean / median / max",
                ratios(budget_cost_ratio[share], "max"),
                "",
            )
            for share in shares
        ),
        (
            "answers not proven optimal / greedy fallbacks / greedy better than optimal",
            f"{unproven} / {fallbacks} / {greedy_better} of {n_answers}",
            "",
        ),
        (
            "machine",
            f"{os.cpu_count()} cores, load average {load_before:.1f} before, {load_after:.1f}"
            f" after; numpy {np.__version__}, scipy {scipy.__version__}"
            + ("; weights without a closure quantum (two-stage)" if args.no_quantum else ""),
            "",
        ),
    ]
    print("| measure | figure | budget |")
    print("|---|---|---|")
    for measure, figure, verdict in rows:
        print(f"| {measure} | {figure} | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
