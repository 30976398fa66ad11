"""Bench strength: who is ready, or nearly ready, for a job profile."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from milepost.accounts.access import (
    AnyUser,
    sees_figures_only,
)
from milepost.frameworks.models import JobProfile
from milepost.insights.gaps import current_gaps
from milepost.insights.selectors.results import BenchPerson, BenchRow
from milepost.insights.selectors.scope import (
    _people,
    _scope_mask,
    _scope_rows,
    in_scope,
    require_gap_analysis,
)


def bench_profiles(user: AnyUser) -> QuerySet[JobProfile]:
    require_gap_analysis(user)
    return JobProfile.objects.filter(is_active=True).order_by("title", "code")


def bench_rows(user: AnyUser, profiles: Sequence[JobProfile]) -> list[BenchRow]:
    """Ready / nearly-ready counts in the user's scope for a page of job profiles."""
    snapshot = current_gaps()
    rows = []
    with snapshot.lock:
        engine = snapshot.engine
        scope = _scope_rows(snapshot, user)

        def count(employees: npt.NDArray[Any]) -> int:
            if scope is None:
                return len(employees)
            return int(np.isin(engine.employee_unit[employees], scope).sum())

        for profile in profiles:
            index = snapshot.profile_index(profile.pk)
            if index is None:
                rows.append(BenchRow(profile, 0, 0, 0, 0))
                continue
            bench = engine.bench_strength(index)
            holders = np.flatnonzero(engine.employee_profile == index)
            rows.append(
                BenchRow(
                    profile=profile,
                    readiness_requirements=bench.readiness_requirements,
                    ready=count(bench.ready),
                    nearly_ready=count(bench.nearly_ready),
                    holders=count(holders),
                )
            )
    return rows


BENCH_LIST_EXPORT_HEADER = (
    "Job profile",
    "Code",
    "Readiness requirements",
    "Holders",
    "Ready",
    "Nearly ready",
)


def bench_list_export_rows(rows: Iterable[BenchRow]) -> Iterable[list[Any]]:
    for row in rows:
        profile = row.profile
        yield [
            profile.title,
            profile.code,
            row.readiness_requirements,
            row.holders,
            row.ready,
            row.nearly_ready,
        ]


@dataclass(frozen=True)
class Bench:
    profile: JobProfile
    readiness_requirements: int
    max_short: int
    ready: list[int]  # employee pks, in the user's scope
    nearly_ready: list[tuple[int, int]]  # (employee pk, requirements short)
    named: bool = True  # False under aggregate-only access: counts, never names


def profile_bench(user: AnyUser, profile_id: int) -> Bench:
    """Who is ready or nearly ready for the profile, among the people the user may see."""
    require_gap_analysis(user)
    profile = get_object_or_404(JobProfile.objects.filter(is_active=True), pk=profile_id)
    snapshot = current_gaps()
    with snapshot.lock:
        index = snapshot.profile_index(profile.pk)
        if index is None:
            raise Http404("No such job profile.")
        bench = snapshot.engine.bench_strength(index)
        ready = in_scope(snapshot, user, bench.ready)
        keep = _scope_mask(snapshot, user, bench.nearly_ready)
        near, short = bench.nearly_ready[keep], bench.nearly_ready_short[keep]
        ready_pks = snapshot.employee_pks(ready).tolist()
        near_pks = snapshot.employee_pks(near).tolist()
    return Bench(
        profile=profile,
        readiness_requirements=bench.readiness_requirements,
        max_short=bench.max_short,
        ready=ready_pks,
        nearly_ready=list(zip(near_pks, short.tolist(), strict=True)),
        named=not sees_figures_only(user),
    )


def bench_people(pks_and_short: Sequence[tuple[int, int]]) -> list[BenchPerson]:
    """Names and units for one page of a bench list (one query)."""
    people = _people([pk for pk, _ in pks_and_short])
    return [BenchPerson(pk, *people.get(pk, ("", "")), short=short) for pk, short in pks_and_short]


BENCH_EXPORT_HEADER = ("Employee", "Unit", "Readiness", "Requirements one level short")


def bench_export_rows(bench: Bench) -> Iterable[list[Any]]:
    if not bench.named:
        return
    everyone = [(pk, 0) for pk in bench.ready] + bench.nearly_ready
    for person in bench_people(everyone):
        yield [
            person.name,
            person.unit_name,
            "ready" if person.short == 0 else "nearly ready",
            person.short,
        ]
