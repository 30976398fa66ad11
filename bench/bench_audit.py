"""Benchmark: what the audit trail costs, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_audit.py [--sqlite-only] [--size 2000] [--rows 10000]

Each database and mode runs in its own child process on a fresh database (SQLite in a temporary
directory; PostgreSQL in a scratch database `milepost_bench_audit` on 127.0.0.1:5432, user
postgres, created and dropped here), once with the audit trail on and once with it switched off
(`auditlog.context.disable_auditlog`). Three measures:

- the demo organisation (`build_demo`, --size employees): framework, people, history, reviews,
  needs, the catalogue; mostly bulk writes, which the trail does not see row by row;
- a --rows-row assessment CSV through `milepost import assessments` (one bulk_create; with the
  trail on, plus the one entry for the run);
- 2,000 single saves of a course title (`Model.save()`, what web forms and the API do), where
  the trail adds a read of the old row and an insert for each save.

Prints a table; exits 0.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "milepost_bench_audit"
SAVES = 2000


def child(audited: bool, size: int, rows: int) -> None:
    """Run inside the child process: migrate, then time each measure once."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "milepost.settings")
    django.setup()
    from auditlog.context import disable_auditlog
    from auditlog.models import LogEntry
    from django.core.management import call_command

    from milepost.accounts.models import Role, User
    from milepost.catalogue.models import Course
    from milepost.frameworks.models import JobProfileRequirement
    from milepost.people.models import Employee
    from milepost.site.demo.build import build_demo

    call_command("migrate", verbosity=0)
    switch = contextlib.nullcontext() if audited else disable_auditlog()
    results: dict[str, float | int] = {}
    with switch:
        started = time.perf_counter()
        build_demo(size=size)
        results["demo"] = time.perf_counter() - started

        path = Path(tempfile.mkdtemp()) / "assessments.csv"
        path.write_text(_assessment_csv(Employee, JobProfileRequirement, rows))
        coordinator = User.objects.filter(role=Role.COORDINATOR).first()
        assert coordinator is not None, "the demo has an L&D coordinator"
        started = time.perf_counter()
        call_command(
            "import_data",
            "assessments",
            str(path),
            "--as",
            coordinator.username,
            "--quiet",
            stdout=io.StringIO(),
        )
        results["import"] = time.perf_counter() - started

        courses = list(Course.objects.order_by("pk"))
        started = time.perf_counter()
        for number in range(SAVES):
            course = courses[number % len(courses)]
            course.title = f"{course.code} edition {number}"
            course.save()
        results["saves"] = time.perf_counter() - started
    results["entries"] = LogEntry.objects.count()
    print(json.dumps(results))


def _assessment_csv(employee_model: type, requirement_model: type, rows: int) -> str:
    """`rows` self ratings of competencies on the people's own job profiles, dated yesterday."""
    required: dict[int, list[tuple[str, str]]] = {}
    for profile_id, framework, code in requirement_model.objects.values_list(
        "job_profile_id", "competency__framework__code", "competency__code"
    ):
        required.setdefault(profile_id, []).append((framework, code))
    day = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["employee_id", "framework_code", "competency_code", "kind", "level", "assessed_on"]
    )
    written = 0
    people = employee_model.objects.exclude(job_profile=None).values_list(
        "employee_id", "job_profile_id"
    )
    while written < rows:
        for employee_id, profile_id in people:
            for framework, code in required.get(profile_id, []):
                level = 1 + written % 5
                writer.writerow([employee_id, framework, code, "self", level, day])
                written += 1
                if written == rows:
                    return out.getvalue()
        day = (datetime.date.fromisoformat(day) - datetime.timedelta(days=1)).isoformat()
    return out.getvalue()


def run_child(database: str, url: str, audited: bool, size: int, rows: int) -> dict | None:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "MILEPOST_HOME": str(ROOT)}
    env["PYTHONPATH"] = str(ROOT / "src")
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "on" if audited else "off",
            "--size",
            str(size),
            "--rows",
            str(rows),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(f"{database}: benchmark failed\n{done.stderr[-3000:]}", file=sys.stderr)
        return None
    result: dict = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", f"{PG_SERVER}/postgres", "-q", "-c", sql], check=True, capture_output=True
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--child", choices=["on", "off"])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    if args.child:
        child(args.child == "on", args.size, args.rows)
        return

    table = []
    databases = ["SQLite"] if args.sqlite_only else ["SQLite", "PostgreSQL"]
    for database in databases:
        for audited in (False, True):
            if database == "SQLite":
                directory = tempfile.mkdtemp()
                url = f"sqlite:///{directory}/bench.sqlite3"
            else:
                _psql(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                _psql(f"CREATE DATABASE {PG_DATABASE}")
                url = f"{PG_SERVER}/{PG_DATABASE}"
            result = run_child(database, url, audited, args.size, args.rows)
            if database == "PostgreSQL":
                _psql(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            if result is not None:
                table.append((database, "on" if audited else "off", result))

    print(
        f"\nAudit trail overhead: demo of {args.size} employees, {args.rows:,}-row assessment "
        f"CSV, {SAVES:,} single saves"
    )
    print(
        f"{'database':<11} {'audit':<5} {'demo s':>8} {'import s':>9} {'saves s':>8} "
        f"{'ms/save':>8} {'entries':>8}"
    )
    for database, mode, result in table:
        print(
            f"{database:<11} {mode:<5} {result['demo']:>8.1f} {result['import']:>9.2f} "
            f"{result['saves']:>8.2f} {1000 * result['saves'] / SAVES:>8.2f} "
            f"{result['entries']:>8,}"
        )


if __name__ == "__main__":
    main()
