"""Benchmark: API calls while another process holds SQLite's write lock (an import's write).

    .venv/bin/python bench/bench_busy.py [--hold 25]

A fresh SQLite file in a temporary directory (WAL, the shipped settings) gets a coordinator with
an API token. A second connection (the sqlite3 module, as another process's import would) takes
the write lock with BEGIN IMMEDIATE and holds it for HOLD seconds. Meanwhile, through Django's
full request stack: token reads (each with the token's last use more than a minute old, so each
would record it), one API write (a need), and a second `import` taking the import lock. Prints a
table of status codes and seconds; exits 0. Before issue 11 a read that recorded its token use
waited 20 s and failed with "database is locked" (5 of 7 reads in the report), a write failed the
same way as a 500, and a second import died with a traceback.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold", type=float, default=25.0, help="seconds the lock is held")
    parser.add_argument("--reads", type=int, default=7)
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="milepost-busy-"))
    database = directory / "busy.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "milepost.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import CommandError, call_command
    from django.test import Client

    from milepost.accounts.models import ApiToken, OrgUnit, Role, User
    from milepost.accounts.services import issue_api_token
    from milepost.lib.locks import exclusive

    call_command("migrate", verbosity=0)
    coordinator = User.objects.create_user("dana", password="x" * 20, role=Role.COORDINATOR)
    unit = OrgUnit.objects.create(code="HQ", name="Head office", kind=OrgUnit.Kind.ORGANISATION)
    token, raw = issue_api_token(acting_user=coordinator, name="bench")
    Client().get("/api/v1/job-profiles", HTTP_AUTHORIZATION=f"Bearer {raw}")  # warm-up
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=None)  # every read will record it
    units_csv = directory / "units.csv"
    units_csv.write_text("code,name,parent_code,kind\nHQ2,Second,,organisation\n")

    locked, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        # As a first import would: the import lock, then SQLite's write lock.
        with exclusive("import", what="import"):
            other = sqlite3.connect(database, timeout=1, isolation_level=None)
            other.execute("BEGIN IMMEDIATE")
            other.execute("UPDATE accounts_orgunit SET name = name")
            locked.set()
            release.wait(args.hold)
            other.execute("ROLLBACK")
            other.close()

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    locked.wait(10)
    started = time.perf_counter()
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    rows: list[tuple[str, str, float]] = []
    for number in range(1, args.reads + 1):
        begin = time.perf_counter()
        response = client.get("/api/v1/job-profiles", **headers)
        rows.append(
            (f"token read {number}", str(response.status_code), time.perf_counter() - begin)
        )
    begin = time.perf_counter()
    try:
        call_command("import_data", "units", str(units_csv), "--quiet")
        outcome = "imported"
    except CommandError as exc:
        outcome = "refused: " + str(exc)[:60]
    rows.append(("import during the lock", outcome, time.perf_counter() - begin))
    begin = time.perf_counter()
    response = client.post(
        "/api/v1/needs",
        {"title": "Calls", "description": "Handlers struggle with calls.", "unit_id": unit.pk},
        content_type="application/json",
        **headers,
    )
    code = response.json().get("code", "") if response.status_code >= 400 else ""
    rows.append(
        ("API write", f"{response.status_code} {code}".strip(), time.perf_counter() - begin)
    )
    held_for = time.perf_counter() - started
    release.set()
    holder.join()

    print(f"write lock held by another connection; SQLite timeout 20 s; held {held_for:.1f} s")
    print(f"{'request':<28} {'answer':<62} {'seconds':>8}")
    for name, answer, seconds in rows:
        print(f"{name:<28} {answer:<62} {seconds:>8.3f}")


if __name__ == "__main__":
    main()
