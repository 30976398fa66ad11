"""Benchmark: full ESCO and O*NET imports, fresh and again (no changes), on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_import.py [--sqlite-only]

SQLite runs in a fresh file under a temporary directory; PostgreSQL in a scratch database
`milepost_bench` on 127.0.0.1:5432 (user postgres), created and dropped here. Each database runs
in its own child process because Django reads its settings once. Prints a table; exits 0.
Budget (docs/benchmarks.md): fresh ESCO <= 90 s, re-import <= 30 s, on both databases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "milepost_bench"


def child() -> None:
    """Run inside the child process: migrate, then time each import twice."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "milepost.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from milepost.frameworks.importers.esco import import_esco
    from milepost.frameworks.importers.onet import import_onet

    call_command("migrate", verbosity=0)
    data = Path(settings.MILEPOST_DATA_DIR)
    results = []
    for dataset, run_import in (
        ("ESCO 1.1.1", lambda: import_esco(data / "esco-1.1.1")),
        ("O*NET 29.0", lambda: import_onet(data / "onet-29.0")),
    ):
        for run in ("fresh", "re-import"):
            started = time.perf_counter()
            report = run_import()
            seconds = time.perf_counter() - started
            rows = sum(c.created + c.updated + c.unchanged for c in report.counts.values())
            written = sum(c.created + c.updated + c.removed for c in report.counts.values())
            results.append(
                {
                    "dataset": dataset,
                    "run": run,
                    "seconds": seconds,
                    "rows": rows,
                    "written": written,
                }
            )
    print(json.dumps(results))


def run_child(database: str, url: str) -> list[dict[str, object]]:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "MILEPOST_HOME": str(ROOT)}
    env.setdefault("MILEPOST_DATA_DIR", str(ROOT.parent / "shared" / "data"))
    done = subprocess.run(
        [sys.executable, __file__, "--child"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(f"{database}: benchmark failed\n{done.stderr}", file=sys.stderr)
        return []
    results: list[dict[str, object]] = json.loads(done.stdout.strip().splitlines()[-1])
    for result in results:
        result["database"] = database
    return results


def postgres_results() -> list[dict[str, object]]:
    try:
        import psycopg

        admin = psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=5)
    except Exception as exc:  # no server: report and carry on with SQLite's figures
        print(f"PostgreSQL skipped: {exc}", file=sys.stderr)
        return []
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
        admin.execute(f"CREATE DATABASE {PG_DATABASE}")
        try:
            return run_child("PostgreSQL", f"{PG_SERVER}/{PG_DATABASE}")
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        results += run_child("SQLite", f"sqlite:///{scratch}/bench.sqlite3")
    if "--sqlite-only" not in sys.argv:
        results += postgres_results()
    print(f"{'dataset':<12} {'database':<11} {'run':<10} {'seconds':>8} {'rows':>8} {'written':>8}")
    for r in results:
        print(
            f"{r['dataset']!s:<12} {r['database']!s:<11} {r['run']!s:<10} "
            f"{r['seconds']:>8.1f} {r['rows']:>8} {r['written']:>8}"
        )


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        main()
