"""Benchmark: `milepost backup` and `milepost restore` of the default demo.

    .venv/bin/python bench/bench_backup.py [--size 2000] [--grow-assessments 1000000]
        [--postgres postgres://postgres@127.0.0.1:5432/postgres]

For SQLite (a file in a temporary directory) and, when --postgres names a server, PostgreSQL
(two scratch databases created and dropped there): migrate, load the demo, back it up (with
100 media files of 64 KiB), migrate a second, empty database, restore into it, and check the
two databases' archives are identical table by table. --grow-assessments copies the demo's
assessments (raw SQL) until there are that many, to show memory stays flat as tables grow.
Every step runs as its own `milepost` process; the table gives seconds and each process's peak
resident memory. Prints a table; exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
# Runs one `milepost` command and prints its peak resident memory (kB) on the last line.
CHILD = (
    "import resource, sys\n"
    "from milepost.cli import main\n"
    "try:\n"
    "    main(['milepost', *sys.argv[1:]])\n"
    "finally:\n"
    "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


GROW = """
from django.db import connection
from milepost.people.models import Assessment
names = ("employee_id, competency_id, kind, level, assessed_on, assessed_by_id, note, source, "
         "cycle_id, created_at")
with connection.cursor() as cursor:
    while (count := Assessment.objects.count()) < {target}:
        cursor.execute(
            f"INSERT INTO people_assessment ({{names}}) SELECT {{names}} FROM people_assessment "
            "ORDER BY id LIMIT %s",
            [min(count, {target} - count)],
        )
"""


def milepost(env: dict[str, str], *args: str) -> tuple[float, int, str]:
    """(seconds, peak RSS in MB, stdout) of one `milepost` command in its own process."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"milepost {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return elapsed, peak_kb // 1024, done.stdout


def own_seconds(output: str) -> float:
    """The time the command reports on its last line ("... in 3.2 s"): without start-up."""
    return float(output.strip().splitlines()[-1].rsplit(" in ", 1)[1].split()[0])


def table_hashes(archive: Path) -> dict[str, str]:
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
    return {label: entry["sha256"] for label, entry in manifest["tables"].items()}


def scratch_postgres(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def postgres_admin(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(statement)


def run_vendor(
    vendor: str, source_url: str, target_url: str, scratch: Path, size: int, grow: int
) -> dict:
    base = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DEBUG": "1",
        "MILEPOST_HOME": str(scratch),
        "MATCH_DENSE": "0",
    }
    base.pop("PYTEST_VERSION", None)
    media = scratch / f"media-{vendor}"
    (media / "evidence").mkdir(parents=True)
    for number in range(100):
        (media / "evidence" / f"file-{number:03}.bin").write_bytes(os.urandom(64 * 1024))
    source = {**base, "DATABASE_URL": source_url, "MEDIA_ROOT": str(media)}
    target = {**base, "DATABASE_URL": target_url, "MEDIA_ROOT": str(scratch / f"restored-{vendor}")}
    archive = scratch / f"{vendor}.zip"
    again = scratch / f"{vendor}-again.zip"

    milepost(source, "migrate", "--no-input", "-v0")
    demo_s, _, _ = milepost(source, "demo", "--size", str(size))
    if grow:
        milepost(source, "shell", "-c", GROW.format(target=grow))
    backup_s, backup_mb, backup_out = milepost(source, "backup", str(archive))
    milepost(target, "migrate", "--no-input", "-v0")
    restore_s, restore_mb, restore_out = milepost(target, "restore", str(archive))
    milepost(target, "backup", str(again))
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
    rows = sum(entry["rows"] for entry in manifest["tables"].values())
    return {
        "vendor": vendor,
        "demo_s": demo_s,
        "rows": rows,
        "tables": len(manifest["tables"]),
        "archive_mb": archive.stat().st_size / 2**20,
        "backup_s": backup_s,
        "backup_mb": backup_mb,
        "restore_s": restore_s,
        "restore_mb": restore_mb,
        "equal": table_hashes(archive) == table_hashes(again),
        "backup_own_s": own_seconds(backup_out),
        "restore_own_s": own_seconds(restore_out),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=2000, help="demo employees (default 2000)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", ""),
        help="a PostgreSQL server URL where two scratch databases may be created",
    )
    parser.add_argument(
        "--grow-assessments",
        type=int,
        default=0,
        help="copy assessments until there are this many (default: the demo's own)",
    )
    options = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-backup-") as directory:
        scratch = Path(directory)
        results.append(
            run_vendor(
                "sqlite",
                f"sqlite:///{scratch}/source.sqlite3",
                f"sqlite:///{scratch}/target.sqlite3",
                scratch,
                options.size,
                options.grow_assessments,
            )
        )
        if options.postgres:
            names = ("bench_backup_source", "bench_backup_target")
            for name in names:
                postgres_admin(options.postgres, f'DROP DATABASE IF EXISTS "{name}"')
                postgres_admin(options.postgres, f'CREATE DATABASE "{name}"')
            try:
                results.append(
                    run_vendor(
                        "postgresql",
                        scratch_postgres(options.postgres, names[0]),
                        scratch_postgres(options.postgres, names[1]),
                        scratch,
                        options.size,
                        options.grow_assessments,
                    )
                )
            finally:
                for name in names:
                    postgres_admin(options.postgres, f'DROP DATABASE IF EXISTS "{name}"')

    grown = (
        f", assessments grown to {options.grow_assessments:,}" if options.grow_assessments else ""
    )
    print(f"\nbackup and restore of the demo ({options.size:,} employees{grown}, 100 media files)")
    print()
    header = (
        "| database | tables | rows | archive MB | backup s (process) | backup peak MB "
        "| restore s (process) | restore peak MB | restored equal |"
    )
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for result in results:
        print(
            f"| {result['vendor']} | {result['tables']} | {result['rows']:,} "
            f"| {result['archive_mb']:.1f} | {result['backup_own_s']:.1f} "
            f"({result['backup_s']:.1f}) | {result['backup_mb']} "
            f"| {result['restore_own_s']:.1f} ({result['restore_s']:.1f}) | {result['restore_mb']} "
            f"| {'yes' if result['equal'] else 'NO'} |"
        )
    print(
        "\nseconds: as the command reports them (checks, data and media), in brackets the whole "
        "process with Python and Django starting; peak MB: the process's maximum resident set"
    )


if __name__ == "__main__":
    main()
