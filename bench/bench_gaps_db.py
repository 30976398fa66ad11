"""Gap analysis from the database: cold recompute, one person's update, heatmap page, naive ORM.

Writes the deterministic synthetic organisation of `bench_gaps.py` (100,000 employees, 2,000 units,
300 job profiles of about 25 requirements, 3,000 competencies, about 2.6 million current agreed
levels plus some older and self ratings) into Milepost's own tables, then measures the Django
adapter (`milepost.insights.gaps`) on SQLite and PostgreSQL. Prints a table and exits 0.

    .venv/bin/python bench/bench_gaps_db.py [--employees 100000] [--databases sqlite,postgres]
        [--rebuild]

SQLite: var/bench/gaps.sqlite3. PostgreSQL: database `milepost_bench_gaps` on 127.0.0.1:5432
(user postgres), created when missing. Not `milepost_bench`: bench_import.py drops that one. A
built database is reused while its row counts match (`--rebuild` forces a fresh build); other
`--employees` sizes get their own file and database. Every measurement runs in a child process
(Django reads DATABASE_URL once), and each cold recompute in a fresh one, so its peak RSS is its
own.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import astuple
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "milepost_bench_gaps"
DEFAULT_EMPLOYEES = 100_000
RECOMPUTE_BUDGET_S = 10.0
MEMORY_BUDGET_MB = 2048.0
UPDATE_BUDGET_MS = 50.0
PAGE_BUDGET_MS = 300.0
COLD_RUNS = 3
MOVES = 30  # one person's move, timed; 10 each of another job profile, another unit, leaving
PERIODIC_CLOCKS = ("rechecked_at", "deep_checked_at")  # GapSnapshot's, if it has them
RESULTS = ROOT / "var" / "bench" / "gaps_db.json"
BENCH_NOTE = "bench_gaps_db update"  # rows the update benchmark adds; deleted afterwards
COORDINATOR = "bench-coordinator"
COMPETENCY_GROUPS = 30  # group nodes above the competencies: a realistic two-level framework
CHUNK = 200_000
FIRST_NAMES = ["Ada", "Ben", "Chloe", "Dev", "Ema", "Finn", "Grace", "Hiro", "Ines", "Jon"]
LAST_NAMES = ["Okafor", "Smith", "Nowak", "Patel", "Garcia", "Kim", "Murphy", "Rossi", "Chen"]


# --- the organisation as rows ---------------------------------------------------------------


class Organisation:
    """The synthetic arrays plus everything the tables need: ids (dense index + 1), unit paths,
    managers, dates, and extra assessment rows that leave every current agreed level unchanged:
    an older agreed rating for 8% of pairs (1% on the same day, created earlier) and a self
    rating for 5%."""

    def __init__(self, employees: int) -> None:
        from milepost.engines.gaps.synthetic import synthetic_organisation

        self.inputs = inputs = synthetic_organisation(n_employees=employees)
        rng = np.random.default_rng(42)
        self.unit_depth = np.zeros(inputs.n_units, dtype=np.int32)
        self.unit_path: list[str] = []
        for unit, parent in enumerate(inputs.unit_parent.tolist()):
            # Parents always come before their children in the synthetic tree.
            above = "/" if parent < 0 else self.unit_path[parent]
            self.unit_path.append(f"{above}{unit + 1}/")
            self.unit_depth[unit] = 0 if parent < 0 else self.unit_depth[parent] + 1

        # A unit's manager is its first member; they report to the parent unit's manager.
        n = inputs.n_employees
        first_member = np.full(inputs.n_units, -1, dtype=np.int64)
        members = np.arange(n)[::-1]
        first_member[inputs.employee_unit[members]] = members
        head = first_member.copy()
        for unit, parent in enumerate(inputs.unit_parent.tolist()):
            if head[unit] < 0 and parent >= 0:
                head[unit] = head[parent]  # an empty unit: its people report further up
        manager = head[inputs.employee_unit]
        is_head = manager == np.arange(n)
        parent_unit = inputs.unit_parent[inputs.employee_unit]
        above = parent_unit[is_head]
        manager[is_head] = np.where(above >= 0, head[np.maximum(above, 0)], -1)
        self.employee_manager = manager

        # Current agreed levels with dates; history rows are written first, so ids grow in time.
        pairs = len(inputs.assessment_level)
        day0 = np.datetime64("2024-01-01")
        self.agreed_on = day0 + rng.integers(0, 900, pairs).astype("timedelta64[D]")
        older = np.flatnonzero(rng.random(pairs) < 0.08)
        same_day = rng.random(len(older)) < 0.125
        gap = np.where(same_day, 0, rng.integers(30, 700, len(older))).astype("timedelta64[D]")
        self.history = older
        self.history_on = self.agreed_on[older] - gap
        self.history_level = (
            1 + (inputs.assessment_level[older] + rng.integers(0, 4, len(older))) % 5
        )
        self.self_rated = np.flatnonzero(rng.random(pairs) < 0.05)
        self.self_level = np.clip(
            inputs.assessment_level[self.self_rated] + rng.integers(-1, 2, len(self.self_rated)),
            1,
            5,
        )

    def counts(self) -> dict[str, int]:
        inputs = self.inputs
        agreed = len(inputs.assessment_level) + len(self.history)
        return {
            "units": inputs.n_units,
            "employees": inputs.n_employees,
            "competencies": inputs.n_competencies + COMPETENCY_GROUPS,
            "job profiles": inputs.n_profiles,
            "requirements": len(inputs.requirement_profile),
            "agreed assessments": agreed,
            "assessments": agreed + len(self.self_rated),
        }


def database_counts() -> dict[str, int]:
    from milepost.accounts.models import OrgUnit
    from milepost.frameworks.models import Competency, JobProfile, JobProfileRequirement
    from milepost.people.models import Assessment, Employee

    assessments = Assessment.objects.exclude(note=BENCH_NOTE)
    return {
        "units": OrgUnit.objects.count(),
        "employees": Employee.objects.count(),
        "competencies": Competency.objects.count(),
        "job profiles": JobProfile.objects.count(),
        "requirements": JobProfileRequirement.objects.count(),
        "agreed assessments": assessments.filter(kind="agreed").count(),
        "assessments": assessments.count(),
    }


# --- bulk writing -----------------------------------------------------------------------------


class BulkWriter:
    """Rows into a model's table without the ORM: executemany on SQLite, COPY on PostgreSQL.

    Columns not given take the field's default, so a column added by a later migration does not
    break the build. Values must already be database-ready (dates as ISO strings)."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.postgres = connection.vendor == "postgresql"

    def timestamp(self, days: np.ndarray, hour: int) -> list[str]:
        """UTC timestamps at `hour` o'clock on the given days, as Django stores them."""
        text = np.char.add(np.datetime_as_string(days, unit="D"), f" {hour:02d}:00:00")
        return (np.char.add(text, "+00") if self.postgres else text).tolist()

    def insert(self, model: Any, columns: dict[str, Sequence[Any]]) -> int:
        sizes = {len(values) for values in columns.values()}
        if len(sizes) != 1:
            raise ValueError(f"{model.__name__}: columns differ in length {sizes}")
        (size,) = sizes
        names, sources = [], []
        for field in model._meta.concrete_fields:
            names.append(field.column)
            if field.column in columns:
                sources.append(columns[field.column])
                continue
            default = field.get_default()
            if default is None and not field.null:
                raise ValueError(f"{model.__name__}.{field.column}: no value and no default")
            if isinstance(default, bool) and not self.postgres:
                default = int(default)
            sources.append([default] * size)
        unknown = set(columns) - set(names)
        if unknown:
            raise ValueError(f"{model.__name__}: no columns {sorted(unknown)}")
        table = model._meta.db_table
        quoted = ", ".join(f'"{name}"' for name in names)
        rows: Iterable[tuple[Any, ...]] = zip(*sources, strict=True)
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(names))
                self.connection.connection.executemany(
                    f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows
                )
        return size

    def without_indexes(self, model: Any) -> Callable[[], None]:
        """Drop the table's secondary indexes (faster bulk load); return what recreates them."""
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s"
                    " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                    [table],
                )
            else:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s"
                    " AND sql IS NOT NULL",
                    [table],
                )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')

        def recreate() -> None:
            with self.connection.cursor() as cursor:
                for _, definition in indexes:
                    cursor.execute(definition)

        return recreate


def build(organisation: Organisation, log: Callable[[str], None]) -> None:
    """Write the organisation in one transaction; foreign keys checked once at the end."""
    from django.db import connection, transaction

    writer = BulkWriter()
    if writer.postgres:
        with transaction.atomic():
            # Foreign keys are right by construction; checking 2.7 million of them one row at
            # a time (deferred triggers) would double the build time. Normal again at commit.
            connection.cursor().execute("SET LOCAL session_replication_role = replica")
            _write(organisation, writer, log)
        orphans = _postgres_orphans()
        if orphans:
            raise SystemExit(f"foreign keys broken: {orphans}")
    else:
        # SQLite with foreign keys on looks for child rows of every parent row inserted while
        # a deferred violation is pending: quadratic here. Off during the load, checked after.
        with connection.constraint_checks_disabled(), transaction.atomic():
            _write(organisation, writer, log)
        log("checking foreign keys")
        connection.check_constraints()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _postgres_orphans() -> list[str]:
    """Foreign key columns of the written tables whose value has no parent row."""
    from django.db import connection

    from milepost.accounts.models import OrgUnit
    from milepost.frameworks.models import Competency, JobProfile, JobProfileRequirement
    from milepost.people.models import Assessment, Employee

    broken = []
    with connection.cursor() as cursor:
        for model in (OrgUnit, Competency, JobProfileRequirement, JobProfile, Employee, Assessment):
            for field in model._meta.concrete_fields:
                if not field.is_relation:
                    continue
                table, parent = model._meta.db_table, field.related_model._meta.db_table
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{table}" c WHERE c."{field.column}" IS NOT NULL AND'
                    f' NOT EXISTS (SELECT 1 FROM "{parent}" p WHERE p.id = c."{field.column}")'
                )
                (count,) = cursor.fetchone()
                if count:
                    broken.append(f"{table}.{field.column}: {count}")
    return broken


def _write(organisation: Organisation, writer: BulkWriter, log: Callable[[str], None]) -> None:
    from django.db import connection

    from milepost.accounts.models import OrgUnit, Role, User
    from milepost.frameworks.models import (
        Competency,
        Framework,
        JobProfile,
        JobProfileRequirement,
        ProficiencyScale,
        ScaleLevel,
    )
    from milepost.people.models import Assessment, Employee

    inputs = organisation.inputs
    postgres = writer.postgres
    true = True if postgres else 1
    false = False if postgres else 0
    today = np.datetime64("2026-07-01")
    now = writer.timestamp(np.array([today]), 12)[0]
    cursor = connection.cursor()
    kinds = ["organisation", "business_unit", "department", "team"]
    labels = ["Organisation", "Business unit", "Department", "Team"]
    depth = [min(d, 3) for d in organisation.unit_depth.tolist()]
    parents = inputs.unit_parent.tolist()
    writer.insert(
        OrgUnit,
        {
            "id": list(range(1, inputs.n_units + 1)),
            "code": [f"U{unit + 1:05d}" for unit in range(inputs.n_units)],
            "name": [f"{labels[d]} {unit}" for unit, d in enumerate(depth, 1)],
            "kind": [kinds[d] for d in depth],
            "parent_id": [None if p < 0 else p + 1 for p in parents],
            "path": organisation.unit_path,
            "depth": organisation.unit_depth.tolist(),
        },
    )
    log(f"{inputs.n_units:,} units")

    scale = ProficiencyScale.objects.create(name="Bench 1-5", min_level=1, max_level=5)
    ScaleLevel.objects.bulk_create(
        ScaleLevel(scale=scale, value=value, name=f"Level {value}") for value in range(1, 6)
    )
    framework = Framework.objects.create(code="bench", name="Bench framework", scale=scale)
    n_comp = inputs.n_competencies
    groups = range(n_comp + 1, n_comp + COMPETENCY_GROUPS + 1)
    group_of = [n_comp + 1 + c % COMPETENCY_GROUPS for c in range(n_comp)]
    writer.insert(
        Competency,
        {
            "id": [*range(1, n_comp + 1), *groups],
            "framework_id": [framework.pk] * (n_comp + COMPETENCY_GROUPS),
            "code": [f"C{c:05d}" for c in range(1, n_comp + 1)] + [f"G{g}" for g in groups],
            "name": [f"Competency {c}" for c in range(1, n_comp + 1)]
            + [f"Group {g}" for g in groups],
            "sort_key": [f"competency {c:05d}" for c in range(1, n_comp + 1)]
            + [f"group {g:05d}" for g in groups],
            "kind": ["competence"] * n_comp + ["group"] * COMPETENCY_GROUPS,
            "parent_id": [*group_of, *([None] * COMPETENCY_GROUPS)],
            "path": [f"/{g}/{c}/" for c, g in enumerate(group_of, 1)] + [f"/{g}/" for g in groups],
            "depth": [1] * n_comp + [0] * COMPETENCY_GROUPS,
            "updated_at": [now] * (n_comp + COMPETENCY_GROUPS),
        },
    )
    log(f"{n_comp:,} competencies in {COMPETENCY_GROUPS} groups")

    profiles = range(1, inputs.n_profiles + 1)
    writer.insert(
        JobProfile,
        {
            "id": list(profiles),
            "code": [f"P{p:04d}" for p in profiles],
            "title": [f"Job profile {p}" for p in profiles],
            "is_active": [true] * inputs.n_profiles,
            "created_at": [now] * inputs.n_profiles,
            "updated_at": [now] * inputs.n_profiles,
        },
    )
    n_req = len(inputs.requirement_profile)
    writer.insert(
        JobProfileRequirement,
        {
            "id": list(range(1, n_req + 1)),
            "job_profile_id": (inputs.requirement_profile + 1).tolist(),
            "competency_id": (inputs.requirement_competency + 1).tolist(),
            "required_level": inputs.requirement_level.tolist(),
            "importance": inputs.requirement_importance.tolist(),
            "essential": [true if e else false for e in inputs.requirement_essential.tolist()],
        },
    )
    log(f"{inputs.n_profiles} job profiles, {n_req:,} requirements")

    recreate = writer.without_indexes(Employee)
    n = inputs.n_employees
    starts = np.datetime64("2010-01-01") + (np.arange(n) * 37 % 5_000).astype("timedelta64[D]")
    profile = inputs.employee_profile.tolist()
    writer.insert(
        Employee,
        {
            "id": list(range(1, n + 1)),
            "employee_id": [f"E{e:06d}" for e in range(1, n + 1)],
            "first_name": [FIRST_NAMES[e % len(FIRST_NAMES)] for e in range(n)],
            "last_name": [f"{LAST_NAMES[e % len(LAST_NAMES)]}-{e + 1}" for e in range(n)],
            "email": [f"e{e}@bench.example" for e in range(1, n + 1)],
            "unit_id": (inputs.employee_unit + 1).tolist(),
            "manager_id": [
                None if m < 0 else m + 1 for m in organisation.employee_manager.tolist()
            ],
            "job_title": ["" if p < 0 else f"Job profile {p + 1}" for p in profile],
            "job_profile_id": [None if p < 0 else p + 1 for p in profile],
            "start_date": np.datetime_as_string(starts, unit="D").tolist(),
            "is_active": [true] * n,
        },
    )
    recreate()
    log(f"{n:,} employees")

    # Assessments: older agreed ratings first (lower ids, earlier created_at), then the
    # current ones, then self ratings; in chunks so the Python tuples stay small.
    recreate = writer.without_indexes(Assessment)
    blocks = [
        ("agreed", organisation.history, organisation.history_level,
         organisation.history_on, 9),
        ("agreed", np.arange(len(inputs.assessment_level)), inputs.assessment_level,
         organisation.agreed_on, 10),
        ("self", organisation.self_rated, organisation.self_level,
         organisation.agreed_on[organisation.self_rated], 8),
    ]  # fmt: skip
    next_id = 1
    for kind, pairs, levels, days, hour in blocks:
        for start in range(0, len(pairs), CHUNK):
            rows = pairs[start : start + CHUNK]
            size = len(rows)
            on = days[start : start + CHUNK]
            writer.insert(
                Assessment,
                {
                    "id": list(range(next_id, next_id + size)),
                    "employee_id": (inputs.assessment_employee[rows] + 1).tolist(),
                    "competency_id": (inputs.assessment_competency[rows] + 1).tolist(),
                    "kind": [kind] * size,
                    "level": levels[start : start + CHUNK].tolist(),
                    "assessed_on": np.datetime_as_string(on, unit="D").tolist(),
                    "created_at": writer.timestamp(on, hour),
                },
            )
            next_id += size
        log(f"{len(pairs):,} {kind} assessments")
    log("recreating assessment indexes")
    recreate()
    User.objects.create_user(
        username=COORDINATOR, role=Role.COORDINATOR, first_name="Bench", last_name="Coordinator"
    )
    if postgres:
        for model in (OrgUnit, Competency, JobProfile, JobProfileRequirement, Employee,
                      Assessment):  # fmt: skip
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                f' (SELECT MAX(id) FROM "{table}"))'
            )


# --- child processes --------------------------------------------------------------------------


def setup_django() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "milepost.settings")
    django.setup()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_build(employees: int) -> dict[str, Any]:
    """Migrate; build the organisation if the database is empty; report counts."""
    setup_django()
    from django.core.management import call_command

    from milepost.people.models import Assessment

    def log(message: str) -> None:
        print(f"    {time.perf_counter() - started:6.1f} s  {message}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    Assessment.objects.filter(note=BENCH_NOTE).delete()  # left by an interrupted run
    organisation = Organisation(employees)
    expected = organisation.counts()
    found = database_counts()
    log(f"migrated; synthetic organisation ready; database holds {found}")
    if found == expected:
        return {"status": "reused", "counts": found}
    if any(found.values()):
        return {"status": "stale", "counts": found, "expected": expected}
    started = time.perf_counter()
    build(organisation, log)
    seconds = time.perf_counter() - started
    found = database_counts()
    if found != expected:
        raise SystemExit(f"built {found}, expected {expected}")
    return {"status": "built", "seconds": seconds, "counts": found}


def child_cold(trace: bool) -> dict[str, Any]:
    """A fresh process: load the organisation and compute the engine, nothing else."""
    setup_django()
    from milepost.engines.gaps import GapEngine
    from milepost.insights import gaps

    baseline = rss_mb()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    loaded = gaps.load_organisation()
    loaded_at = time.perf_counter()
    engine = GapEngine.compute(loaded.inputs, gaps_weights(gaps))
    finished = time.perf_counter()
    result = {
        "load": loaded_at - started,
        "compute": finished - loaded_at,
        "total": finished - started,
        "baseline_rss": baseline,
        "peak_rss": rss_mb(),
        "employees": loaded.inputs.n_employees,
        "agreed levels": len(loaded.inputs.assessment_level),
        "engine_mb": engine.memory_bytes() / 2**20,
    }
    if trace:
        result["traced_peak"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result


def gaps_weights(gaps: Any) -> Any:
    """The weights the adapter uses, if it names them; the engine's default otherwise."""
    for name in ("gap_weights", "GAP_WEIGHTS", "WEIGHTS"):
        value = getattr(gaps, name, None)
        if value is not None:
            return value() if callable(value) else value
    return None


def percentiles(values: list[float]) -> dict[str, float]:
    array = np.array(values)
    return {
        "p50": float(np.percentile(array, 50)),
        "p95": float(np.percentile(array, 95)),
        "max": float(array.max()),
        "n": len(values),
    }


def naive_weighted_gaps(sample: list[int]) -> tuple[dict[int, float], float]:
    """The straightforward per-employee ORM computation, as a naive view would write it: each
    employee, their profile's requirements, then their latest agreed level per requirement, one
    query each; weighted gaps added to the unit and every unit above it."""
    from milepost.frameworks.models import JobProfileRequirement
    from milepost.people.models import Assessment, Employee

    started = time.perf_counter()
    person_gap: dict[int, float] = {}
    unit_gap: dict[int, float] = {}
    for pk in sample:
        employee = Employee.objects.select_related("unit").get(pk=pk)
        total = 0.0
        if employee.job_profile_id is not None:
            for requirement in JobProfileRequirement.objects.filter(
                job_profile_id=employee.job_profile_id
            ):
                latest = (
                    Assessment.objects.filter(
                        employee=employee,
                        competency_id=requirement.competency_id,
                        kind=Assessment.Kind.AGREED,
                    )
                    .order_by("-assessed_on", "-created_at", "-id")
                    .first()
                )
                level = latest.level if latest is not None else 0
                weight = requirement.importance * (1.0 if requirement.essential else 0.5)
                total += max(requirement.required_level - level, 0) * weight
        person_gap[pk] = total
        for unit in [*employee.unit.ancestor_ids, employee.unit_id]:
            unit_gap[unit] = unit_gap.get(unit, 0.0) + total
    return person_gap, time.perf_counter() - started


def child_warm(employees: int, updates: int, requests: int, naive_sample: int) -> dict[str, Any]:
    """First current_gaps(), adapter equals the synthetic engine, naive ORM sample, heatmap
    page, one person's updates, incremental equals a full reload."""
    setup_django()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from milepost.accounts.models import OrgUnit, User
    from milepost.engines.gaps import GapEngine
    from milepost.frameworks.models import Competency, JobProfile
    from milepost.insights import gaps
    from milepost.insights.models import EmployeeChange
    from milepost.people.models import Assessment, Employee
    from milepost.people.services import record_assessment

    result: dict[str, Any] = {}

    def log(message: str) -> None:
        print(f"    {message}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    snapshot = gaps.current_gaps()
    result["first_current_gaps"] = time.perf_counter() - started
    engine = snapshot.engine
    log(f"first current_gaps(): {result['first_current_gaps']:.2f} s")

    # The adapter's figures equal the engine's on the synthetic arrays the database was built
    # from (employee id = index + 1, so the per-person arrays line up).
    loaded = gaps.load_organisation()
    synthetic = Organisation(employees).inputs
    expected = GapEngine.compute(synthetic, gaps_weights(gaps))
    same_ids = np.array_equal(loaded.employee_ids, np.arange(1, synthetic.n_employees + 1))
    result["equals_synthetic"] = bool(
        same_ids
        and np.allclose(
            astuple(expected.organisation_summary()), astuple(engine.organisation_summary())
        )
        and np.allclose(expected.people.weighted_gap, engine.people.weighted_gap)
    )
    log(f"adapter equals the engine on the synthetic arrays: {result['equals_synthetic']}")
    del expected, synthetic

    # The naive per-employee ORM computation on a sample, checked against the engine.
    rng = np.random.default_rng(11)
    employee_ids = np.asarray(loaded.employee_ids)
    sample = sorted(rng.choice(employee_ids, naive_sample, replace=False).tolist())
    Employee.objects.filter(pk__in=sample[:50]).count()  # warm the connection
    naive, naive_seconds = naive_weighted_gaps(sample)
    position = np.searchsorted(employee_ids, sample)
    result["naive"] = {
        "sample": len(sample),
        "seconds": naive_seconds,
        "per_employee_ms": naive_seconds / len(sample) * 1000,
        "extrapolated_s": naive_seconds / len(sample) * len(employee_ids),
        "agrees": bool(
            np.allclose([naive[pk] for pk in sample], engine.people.weighted_gap[position])
        ),
    }
    log(f"naive ORM: {result['naive']}")

    # The unit heatmap page, warm cache, as a coordinator.
    coordinator, _ = User.objects.get_or_create(
        username=COORDINATOR, defaults={"role": "coordinator"}
    )
    client = Client()
    client.force_login(coordinator)
    root = OrgUnit.objects.filter(parent=None).order_by("id").first()
    assert root is not None
    departments = list(OrgUnit.objects.filter(depth=2).order_by("id").values_list("pk", "path"))
    sizes = {pk: OrgUnit.objects.filter(path__startswith=path).count() for pk, path in departments}
    middle = max(sizes, key=lambda pk: sizes[pk])
    deepest = OrgUnit.objects.order_by("-depth").values_list("depth", flat=True).first()
    team = (
        Employee.objects.filter(unit__depth=deepest)
        .values("unit")
        .annotate(people=Count("pk"))
        .order_by("-people", "unit")
        .values_list("unit", flat=True)
        .first()
    )
    pages = {}
    units = (("root unit", root.pk), ("mid-level unit", middle), ("largest team", team))
    for label, unit_id in units:
        url = reverse("insights:unit-gaps", args=[unit_id])
        response = client.get(url)
        times, queries = [], []
        for _ in range(requests):
            begun = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - begun) * 1000)
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            queries.append(len(captured.captured_queries))
        pages[label] = {
            "unit": unit_id,
            "status": response.status_code,
            "bytes": len(response.content),
            "ms": percentiles(times),
            "queries": queries,
            "sql": [(query["time"], query["sql"][:200]) for query in captured.captured_queries],
        }
        log(f"{label} page: {pages[label]['ms']} queries {queries}")
    result["pages"] = pages

    # current_gaps() when nothing changed: what every page pays to stay up to date.
    def idle_check() -> dict[str, Any]:
        idle = []
        for _ in range(50):
            begun = time.perf_counter()
            gaps.current_gaps()
            idle.append((time.perf_counter() - begun) * 1000)
        with CaptureQueriesContext(connection) as captured:
            gaps.current_gaps()
        # The adapter's periodic checks (a re-read window, a structure checksum), made due by
        # backdating their clocks where the snapshot has them: what one request in a while pays.
        due = []
        clocks = [name for name in PERIODIC_CLOCKS if hasattr(gaps.current_gaps(), name)]
        for _ in range(10):
            snapshot = gaps.current_gaps()
            for name in clocks:
                setattr(snapshot, name, float("-inf"))
            begun = time.perf_counter()
            gaps.current_gaps()
            due.append((time.perf_counter() - begun) * 1000)
        return {
            "ms": percentiles(idle),
            "queries": len(captured.captured_queries),
            "sql": [(query["time"], query["sql"][:200]) for query in captured.captured_queries],
            "due_ms": percentiles(due),
            "clocks": clocks,
        }

    result["idle"] = idle_check()

    # One person's update: an agreed rating through the service, then current_gaps().
    engine_ms: list[float] = []
    original = GapEngine.set_agreed_level

    def timed_set(self: Any, *args: Any, **kwargs: Any) -> None:
        begun = time.perf_counter()
        original(self, *args, **kwargs)
        engine_ms.append((time.perf_counter() - begun) * 1000)

    GapEngine.set_agreed_level = timed_set  # type: ignore[method-assign]
    with_profile = employee_ids[np.asarray(loaded.inputs.employee_profile) >= 0]
    competency_ids = np.asarray(loaded.competency_ids)
    totals, services, refreshes, per_update_engine, update_queries = [], [], [], [], []
    picked_up = 0
    assessed_on = datetime.date.today() - datetime.timedelta(days=1)  # never "in the future"
    try:
        for number in range(updates):
            employee = Employee.objects.get(pk=int(rng.choice(with_profile)))
            index = int(np.searchsorted(employee_ids, employee.pk))
            person = gaps.current_gaps().engine.person_gaps(index)
            competency = Competency.objects.get(
                pk=int(competency_ids[rng.choice(person.competency)])
            )
            level = int(rng.integers(1, 6))
            before = len(engine_ms)
            with CaptureQueriesContext(connection) as captured:
                begun = time.perf_counter()
                record_assessment(
                    acting_user=coordinator,
                    employee=employee,
                    competency=competency,
                    kind=Assessment.Kind.AGREED,
                    level=level,
                    assessed_on=assessed_on,
                    note=BENCH_NOTE,
                )
                recorded = time.perf_counter()
                snapshot = gaps.current_gaps()
                done = time.perf_counter()
            totals.append((done - begun) * 1000)
            services.append((recorded - begun) * 1000)
            refreshes.append((done - recorded) * 1000)
            per_update_engine.append(sum(engine_ms[before:]))
            update_queries.append(len(captured.captured_queries))
            person = snapshot.engine.person_gaps(index)
            column = int(np.flatnonzero(competency_ids[person.competency] == competency.pk)[0])
            picked_up += int(person.agreed_level[column] == level)
            if number % 50 == 0:
                log(f"update {number}: {totals[-1]:.1f} ms ({update_queries[-1]} queries)")
    finally:
        GapEngine.set_agreed_level = original  # type: ignore[method-assign]
    result["updates"] = {
        "total_ms": percentiles(totals),
        "service_ms": percentiles(services),
        "refresh_ms": percentiles(refreshes),
        "engine_ms": percentiles(per_update_engine),
        "engine_calls": len(engine_ms),
        "queries": sorted(set(update_queries)),
        "picked_up": picked_up,
        "n": updates,
    }
    log(f"updates: {result['updates']}")

    result["idle_after"] = idle_check()

    # The incrementally updated engine equals a full reload from the database.
    incremental = gaps.current_gaps().engine
    reloaded = GapEngine.compute(gaps.load_organisation().inputs, gaps_weights(gaps))
    result["incremental_equals_reload"] = all(
        np.allclose(getattr(getattr(incremental, part), name), values, equal_nan=True)
        for part in ("people", "units", "cells")
        for name, values in vars(getattr(reloaded, part)).items()
    )
    del incremental, reloaded
    Assessment.objects.filter(note=BENCH_NOTE).delete()

    # One person's move through the ORM (Employee.save, then the next current_gaps()): another
    # job profile, another unit, or leaving, in turn; an EmployeeChange row each, applied
    # incrementally by GapEngine.set_employee. Undone afterwards. From a fresh load: the update
    # rows deleted above are still in the cached engine (deletions are not applied).
    gaps.forget_cached_gaps()
    snapshot = gaps.current_gaps()
    loads_before = snapshot.full_loads
    rng = np.random.default_rng(11)
    profile_pks = list(JobProfile.objects.order_by("pk").values_list("pk", flat=True))
    unit_pks = list(OrgUnit.objects.order_by("pk").values_list("pk", flat=True))
    originals: dict[int, tuple[int, int | None, bool]] = {}
    move_ms: dict[str, list[float]] = {"job profile": [], "unit": [], "leaving": []}
    save_ms, total_ms, move_queries, seen = [], [], [], []
    try:
        for turn, pk in enumerate(rng.choice(snapshot.organisation.employee_ids, MOVES, False)):
            kind = list(move_ms)[turn % 3]
            mover = Employee.objects.get(pk=int(pk))
            originals[mover.pk] = (mover.unit_id, mover.job_profile_id, mover.is_active)
            if kind == "job profile":
                mover.job_profile_id = int(rng.choice(profile_pks))
            elif kind == "unit":
                mover.unit_id = int(rng.choice(unit_pks))
            else:
                mover.is_active = False
            begun = time.perf_counter()
            mover.save()
            saved = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                snapshot = gaps.current_gaps()
            move_ms[kind].append((time.perf_counter() - saved) * 1000)
            save_ms.append((saved - begun) * 1000)
            total_ms.append((time.perf_counter() - begun) * 1000)
            move_queries.append(len(queries))
            index = int(np.searchsorted(snapshot.organisation.employee_ids, mover.pk))
            engine = snapshot.engine
            profile = mover.job_profile_id
            expected = -1 if profile is None else snapshot.profile_index(profile)
            seen.append(
                bool(engine.employee_active[index]) == mover.is_active
                and int(engine.employee_unit[index]) == snapshot.unit_index(mover.unit_id)
                and int(engine.employee_profile[index]) == (expected if mover.is_active else -1)
            )
        # Unit and column indices do not change with moves, so the unit totals and cells can be
        # compared with a fresh load array by array; not the holder sums, which add employee
        # indices (people who left keep theirs here and are not in a fresh load): the sole
        # holders they name are compared by employee id instead.
        fresh = gaps.load_organisation()
        reloaded = GapEngine.compute(fresh.inputs, gaps_weights(gaps))
        moved_equal = all(
            np.allclose(getattr(getattr(snapshot.engine, part), name), values, equal_nan=True)
            for part in ("units", "cells")
            for name, values in vars(getattr(reloaded, part)).items()
            if name != "holder_sum"
        )
        risks, fresh_risks = snapshot.engine.key_person_risks(), reloaded.key_person_risks()
        holders = np.where(risks.sole_holder >= 0, snapshot.employee_pks(risks.sole_holder), -1)
        fresh_holders = np.where(
            fresh_risks.sole_holder >= 0, fresh.employee_ids[fresh_risks.sole_holder], -1
        )
        moved_equal = moved_equal and np.array_equal(holders, fresh_holders)
        checksum_agrees = gaps._structure_checksum() == snapshot.checksum
        del fresh, reloaded
    finally:
        for pk, (unit, profile, active) in originals.items():
            Employee.objects.filter(pk=pk).update(unit=unit, job_profile=profile, is_active=active)
            EmployeeChange.objects.create(employee_id=pk)
    result["moves"] = {
        "ms": {kind: percentiles(values) for kind, values in move_ms.items()},
        "all_ms": percentiles(total_ms),
        "save_ms": percentiles(save_ms),
        "queries": sorted(set(move_queries)),
        "full_reloads": snapshot.full_loads - loads_before,
        "seen": all(seen),
        "n": MOVES,
        "equal_to_reload": moved_equal,
        "checksum_agrees": checksum_agrees,
    }
    log(f"one person's move: {result['moves']}")
    result["rss"] = rss_mb()
    return result


# --- the parent -------------------------------------------------------------------------------


def database_url(database: str, employees: int) -> str:
    suffix = "" if employees == DEFAULT_EMPLOYEES else f"-{employees}"
    if database == "sqlite":
        return f"sqlite:///{ROOT / 'var' / 'bench' / f'gaps{suffix}.sqlite3'}"
    return f"{PG_SERVER}/{PG_DATABASE}{suffix.replace('-', '_')}"


def run_child(url: str, *args: str) -> dict[str, Any] | None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "MILEPOST_HOME": str(ROOT)}
    env.pop("PYTEST_VERSION", None)
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        print(f"  child {args[0]} failed (exit {done.returncode})", file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def fresh_database(database: str, url: str) -> None:
    """Drop and create the database (SQLite: delete the file)."""
    if database == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")


def ensure_database(database: str, url: str) -> None:
    if database == "sqlite":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f"CREATE DATABASE {name}")


def measure(database: str, args: argparse.Namespace) -> dict[str, Any]:
    url = database_url(database, args.employees)
    print(f"{database}: {url}", file=sys.stderr, flush=True)
    if args.rebuild:
        fresh_database(database, url)
    else:
        ensure_database(database, url)
    built = run_child(url, "build", str(args.employees))
    if built is not None and built["status"] == "stale":
        print(f"  stale: {built['counts']}, rebuilding", file=sys.stderr, flush=True)
        fresh_database(database, url)
        built = run_child(url, "build", str(args.employees))
    figures: dict[str, Any] = {"database": database, "url": url, "build": built}
    figures["load_before"] = os.getloadavg()
    if built is None:
        return figures
    print(f"  build: {built}", file=sys.stderr, flush=True)
    cold = []
    for run in range(COLD_RUNS):
        figure = run_child(url, "cold")
        print(f"  cold recompute {run + 1}: {figure}", file=sys.stderr, flush=True)
        if figure is not None:
            cold.append(figure)
    figures["cold"] = cold
    figures["traced"] = run_child(url, "cold", "--trace")
    print(f"  traced: {figures['traced']}", file=sys.stderr, flush=True)
    figures["warm"] = run_child(
        url, "warm", str(args.employees), str(args.updates), str(args.requests), str(args.naive)
    )
    figures["load_average"] = os.getloadavg()
    return figures


def verdict(value: float, limit: float) -> str:
    return "OK" if value <= limit else "OVER"


def table(all_figures: list[dict[str, Any]]) -> str:
    lines = [
        "| database | measure | figure | budget | verdict |",
        "|---|---|---|---|---|",
    ]

    def add(database: str, measure: str, figure: str, budget: str = "", ok: str = "") -> None:
        lines.append(f"| {database} | {measure} | {figure} | {budget} | {ok} |")

    for figures in all_figures:
        name = {"sqlite": "SQLite", "postgres": "PostgreSQL"}[figures["database"]]
        built = figures.get("build")
        if built is None:
            add(name, "build", "FAILED (see stderr)")
            continue
        counts = built["counts"]
        how = f"{built['seconds']:.0f} s" if built["status"] == "built" else "reused"
        add(
            name,
            "build (informational)",
            f"{how}: {counts['employees']:,} employees, {counts['units']:,} units,"
            f" {counts['requirements']:,} requirements, {counts['assessments']:,} assessments"
            f" ({counts['agreed assessments']:,} agreed)",
        )
        cold = figures.get("cold") or []
        if cold:
            total = statistics.median(run["total"] for run in cold)
            load = statistics.median(run["load"] for run in cold)
            compute = statistics.median(run["compute"] for run in cold)
            peak = max(run["peak_rss"] for run in cold)
            add(
                name,
                f"cold recompute: load_organisation() + GapEngine.compute, median of {len(cold)}",
                f"{total:.2f} s = load {load:.2f} s + compute {compute:.2f} s"
                f" (runs {', '.join(format(run['total'], '.2f') for run in cold)})",
                f"<= {RECOMPUTE_BUDGET_S:g} s",
                verdict(total, RECOMPUTE_BUDGET_S),
            )
            add(
                name,
                "cold recompute peak RSS (fresh process)",
                f"{peak:.0f} MB (Django loaded, before the load: {cold[0]['baseline_rss']:.0f} MB;"
                f" engine holds {cold[0]['engine_mb']:.0f} MB)",
                f"<= {MEMORY_BUDGET_MB:g} MB",
                verdict(peak, MEMORY_BUDGET_MB),
            )
        traced = figures.get("traced")
        if traced:
            add(
                name,
                "cold recompute peak traced allocations (tracemalloc)",
                f"{traced['traced_peak']:.0f} MB",
            )
        warm = figures.get("warm")
        if warm is None:
            add(name, "warm measurements", "FAILED (see stderr)")
            continue
        add(name, "first current_gaps() in a process", f"{warm['first_current_gaps']:.2f} s")
        add(
            name,
            "adapter figures equal the engine on the synthetic arrays",
            "yes" if warm["equals_synthetic"] else "NO",
        )
        updates = warm["updates"]
        total_ms = updates["total_ms"]
        add(
            name,
            f"one person's update: record_assessment + current_gaps(), {updates['n']} updates",
            f"p50 {total_ms['p50']:.1f} ms, p95 {total_ms['p95']:.1f} ms,"
            f" max {total_ms['max']:.1f} ms; {'/'.join(map(str, updates['queries']))} queries",
            f"<= {UPDATE_BUDGET_MS:g} ms (p95)",
            verdict(total_ms["p95"], UPDATE_BUDGET_MS),
        )
        for key, label in (
            ("service_ms", "of which record_assessment"),
            ("refresh_ms", "of which current_gaps() picking it up"),
            ("engine_ms", "of which engine set_agreed_level"),
        ):
            part = updates[key]
            add(
                name,
                f"  {label}",
                f"p50 {part['p50']:.2f} ms, p95 {part['p95']:.2f} ms, max {part['max']:.2f} ms",
            )
        add(
            name,
            "updates seen by the next current_gaps(); incremental equals a full reload",
            f"{updates['picked_up']}/{updates['n']};"
            f" {'yes' if warm['incremental_equals_reload'] else 'NO'}",
        )
        for key, label in (
            ("idle", "current_gaps() with nothing new, before the updates"),
            ("idle_after", "current_gaps() with nothing new, after the updates"),
        ):
            idle = warm[key]
            add(
                name,
                label,
                f"p50 {idle['ms']['p50']:.2f} ms, p95 {idle['ms']['p95']:.2f} ms;"
                f" {idle['queries']} queries",
            )
            if idle["clocks"]:
                due = idle["due_ms"]
                add(
                    name,
                    f"  when its periodic checks are due ({', '.join(idle['clocks'])})",
                    f"p50 {due['p50']:.1f} ms, max {due['max']:.1f} ms",
                )
        moves = warm.get("moves")
        if moves:
            every = moves["all_ms"]
            add(
                name,
                f"one person's move (`Employee.save`) + the next current_gaps(), {moves['n']}"
                " moves: another job profile, another unit, leaving",
                f"p50 {every['p50']:.1f} ms, p95 {every['p95']:.1f} ms, max {every['max']:.1f} ms;"
                f" {'/'.join(map(str, moves['queries']))} queries; full reloads:"
                f" {moves['full_reloads']}; seen: {'yes' if moves['seen'] else 'NO'}",
                f"<= {UPDATE_BUDGET_MS:g} ms (p95)",
                verdict(every["p95"], UPDATE_BUDGET_MS),
            )
            add(
                name,
                "  of which current_gaps(), p50 / max: " + ", ".join(moves["ms"]),
                "; ".join(f"{ms['p50']:.1f} / {ms['max']:.1f} ms" for ms in moves["ms"].values())
                + f"; `Employee.save` p50 {moves['save_ms']['p50']:.1f} ms",
            )
            add(
                name,
                "  after the moves: unit totals, cells and sole holders equal a full reload;"
                " checksum agrees",
                f"{'yes' if moves['equal_to_reload'] else 'NO'};"
                f" {'yes' if moves['checksum_agrees'] else 'NO'}",
            )
        counts_seen = set()
        for label, page in warm["pages"].items():
            ms = page["ms"]
            counts_seen.update(page["queries"])
            add(
                name,
                f"unit heatmap page, {label} (id {page['unit']}), {ms['n']} GETs, warm",
                f"HTTP {page['status']}, {page['bytes'] / 1024:.0f} KB; p50 {ms['p50']:.0f} ms,"
                f" p95 {ms['p95']:.0f} ms; {'/'.join(map(str, sorted(set(page['queries']))))}"
                " queries",
                f"<= {PAGE_BUDGET_MS:g} ms (p95)",
                verdict(ms["p95"], PAGE_BUDGET_MS),
            )
        # The only query allowed to come and go is the sole holders' names, skipped when a
        # unit has no key-person risk: the count must not grow with the unit.
        bounded = max(counts_seen) - min(counts_seen) <= 1
        add(
            name,
            "heatmap page queries, every unit above",
            "same" if len(counts_seen) == 1 else f"{'-'.join(map(str, sorted(counts_seen)))}",
            "fixed",
            "OK" if bounded else "OVER",
        )
        naive = warm["naive"]
        if cold:
            ratio = naive["extrapolated_s"] / statistics.median(run["total"] for run in cold)
            add(
                name,
                f"naive per-employee ORM computation, sample of {naive['sample']}",
                f"{naive['per_employee_ms']:.1f} ms per employee -> {naive['extrapolated_s']:.0f} s"
                f" for all (extrapolated); agrees with the engine:"
                f" {'yes' if naive['agrees'] else 'NO'}",
            )
            add(name, "cold recompute speed-up over the naive ORM computation", f"{ratio:.0f}x")
        add(
            name,
            "load average (1 / 5 / 15 min) before and after",
            f"{' / '.join(f'{v:.1f}' for v in figures['load_before'])};"
            f" {' / '.join(f'{v:.1f}' for v in figures['load_average'])}",
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--employees", type=int, default=DEFAULT_EMPLOYEES)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--rebuild", action="store_true", help="build the databases afresh")
    parser.add_argument("--updates", type=int, default=200)
    parser.add_argument("--requests", type=int, default=30, help="GETs of each heatmap page")
    parser.add_argument("--naive", type=int, default=300, help="employees in the ORM sample")
    args = parser.parse_args()
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    unknown = set(databases) - {"sqlite", "postgres"}
    if unknown:
        parser.error(f"unknown databases {sorted(unknown)}: use sqlite and/or postgres")
    results = []
    for database in databases:
        try:
            results.append(measure(database, args))
        except Exception as exc:  # a benchmark reports and carries on
            print(f"{database}: {exc!r}", file=sys.stderr)
            results.append({"database": database, "build": None})
    print(
        f"\nGap analysis from the database ({args.employees:,} employees, {os.cpu_count()} cores)\n"
    )
    print(table(results))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1))
    print(f"\nEvery figure, with the SQL of the pages: {RESULTS.relative_to(ROOT)}")
    return 0


def child(argv: list[str]) -> None:
    mode, *rest = argv
    if mode == "build":
        result = child_build(int(rest[0]))
    elif mode == "cold":
        result = child_cold(trace="--trace" in rest)
    else:
        employees, updates, requests, naive = map(int, rest)
        result = child_warm(employees, updates, requests, naive)
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        sys.exit(main())
