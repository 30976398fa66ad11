"""Benchmark: the client list and a client's page over a large client book, SQLite and PostgreSQL.

    .venv/bin/python bench/bench_clients.py [--clients 5000] [--small 500] [--runs 30]
        [--sqlite-only | --postgres]

Each database and size runs in its own child process on a fresh database (SQLite in a temporary
directory; PostgreSQL in a scratch database `milepost_clientbench` on 127.0.0.1:5432, user
postgres with trust auth, created and dropped here). The child migrates, then bulk inserts
CLIENTS clients (a tenth of them internal business units with their organisation unit, the
rest employers; owners spread over 20 account managers, one in fifty without an owner; health
scores, bands, stages and last contacts spread), 10 contacts and 40 interactions per client
(one contact taking part in each). With the defaults: 5,000 clients, 50,000 contacts, 200,000
interactions.

Django's test client, logged in as an L&D coordinator (DEBUG off), then requests each page RUNS
times after two warm-up requests: the client list (first page, a search for one client's name,
the clients without an owner, sorted by health, and the API's list filtered by health band) and
one client's page (40 interactions, 10 contacts). Prints, per database, size and page: p50 and
p95 in ms (wall clock), the p95 of the process's CPU time (less sensitive to other work on a
shared machine; SQLite's work is in-process, PostgreSQL's is not), the query count, and whether
the wall-clock p95 <= 150 ms; then whether each page's query count is the same at SMALL and
CLIENTS clients, and the load average. Exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "milepost_clientbench"
BUDGET_MS = 150.0
CONTACTS_PER_CLIENT = 10
INTERACTIONS_PER_CLIENT = 40
SECTORS = ["Insurance broking", "Logistics", "Care homes", "Retail", "Construction", "Finance"]


def build(clients: int) -> dict[str, int]:
    """Bulk insert the client book; returns the ids the pages need."""
    import datetime
    import random

    from django.utils import timezone

    from milepost.accounts.models import OrgUnit, Role, User
    from milepost.accounts.services import rebuild_unit_paths
    from milepost.clients.models import (
        Client,
        Contact,
        HealthBand,
        Interaction,
        InteractionKind,
        JourneyTemplate,
        Kind,
    )

    rng = random.Random(12)
    now = timezone.now()
    coordinator = User.objects.create_user(
        username="coordinator", password="x", role=Role.COORDINATOR
    )
    managers = User.objects.bulk_create(
        User(
            username=f"am{n:02d}",
            role=Role.ACCOUNT_MANAGER,
            first_name="Account",
            last_name=f"Manager {n}",
        )
        for n in range(20)
    )
    internal = clients // 10
    root = OrgUnit.objects.create(code="GRP", name="Group", kind=OrgUnit.Kind.ORGANISATION)
    units = OrgUnit.objects.bulk_create(
        OrgUnit(code=f"BU{n:05d}", name=f"Business unit {n}", parent=root) for n in range(internal)
    )
    rebuild_unit_paths()
    journey = JourneyTemplate.objects.get(is_default=True)
    stages = list(journey.stages.order_by("position"))
    rows = []
    for n in range(clients):
        score = rng.randint(5, 100)
        band = (
            HealthBand.GOOD
            if score >= 70
            else HealthBand.WATCH
            if score >= 40
            else HealthBand.AT_RISK
        )
        is_internal = n < internal
        rows.append(
            Client(
                kind=Kind.INTERNAL if is_internal else Kind.EXTERNAL,
                name=f"Business unit {n}" if is_internal else f"Employer {n:05d} Ltd",
                unit=units[n] if is_internal else None,
                sector="" if is_internal else SECTORS[n % len(SECTORS)],
                owner=None if n % 50 == 7 else managers[n % len(managers)],
                journey=journey,
                stage=stages[n % len(stages)],
                health_score=score,
                health_band=band,
                last_contact_at=now - datetime.timedelta(days=rng.randint(0, 400)),
            )
        )
    created = Client.objects.bulk_create(rows, batch_size=2000)
    contacts = Contact.objects.bulk_create(
        (
            Contact(
                client=client,
                name=f"Contact {c} of {client.pk}",
                job_title="Operations manager",
                email=f"c{c}.{client.pk}@employer.test",
            )
            for client in created
            for c in range(CONTACTS_PER_CLIENT)
        ),
        batch_size=5000,
    )
    kinds = InteractionKind.values
    interactions = Interaction.objects.bulk_create(
        (
            Interaction(
                client=client,
                kind=kinds[i % len(kinds)],
                occurred_at=now - datetime.timedelta(days=i * 9 + rng.randint(0, 8)),
                summary=f"Talked through the training plan, step {i}.",
                internal_only=i % 5 == 0,
                recorded_by=client.owner,
                next_step="Send the outline" if i % 10 == 0 else "",
                next_step_owner=client.owner if i % 10 == 0 and client.owner else None,
                next_step_due=(now + datetime.timedelta(days=i)).date()
                if i % 10 == 0 and client.owner
                else None,
            )
            for client in created
            for i in range(INTERACTIONS_PER_CLIENT)
        ),
        batch_size=5000,
    )
    through = Interaction.contacts.through
    through.objects.bulk_create(
        (
            through(
                interaction_id=interaction.pk,
                contact_id=contacts[
                    (index // INTERACTIONS_PER_CLIENT) * CONTACTS_PER_CLIENT
                    + index % CONTACTS_PER_CLIENT
                ].pk,
            )
            for index, interaction in enumerate(interactions)
        ),
        batch_size=5000,
    )
    middle = created[len(created) // 2]
    return {"coordinator": coordinator.pk, "client": middle.pk, "number": len(created) // 2}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def child(clients: int, runs: int) -> None:
    """Inside the child process: migrate, build, time each page."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "milepost.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client as Browser
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from milepost.accounts.models import User
    from milepost.accounts.services import issue_api_token
    from milepost.clients.models import Client, Contact, Interaction

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    ids = build(clients)
    build_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    coordinator = User.objects.get(pk=ids["coordinator"])
    browser = Browser()
    browser.force_login(coordinator)
    token = issue_api_token(acting_user=coordinator, name="bench")[1]
    list_url = reverse("clients:list")
    name = f"Employer {ids['number']:05d} Ltd"
    pages = {
        "list, first page": (list_url, {}),
        "list, search a name": (list_url, {"q": name}),
        "list, without owner": (list_url, {"owner": "none"}),
        "list, sorted by health": (list_url, {"sort": "health"}),
        "API list, health=at_risk": ("/api/v1/clients", {"health": "at_risk"}),
        "client page": (reverse("clients:detail", args=[ids["client"]]), {}),
    }
    results = {}
    for page, (url, query) in pages.items():
        headers = {"Authorization": f"Bearer {token}"} if url.startswith("/api/") else {}
        for _ in range(2):
            response = browser.get(url, query, headers=headers, secure=True)
            assert response.status_code == 200, f"{page}: {response.status_code}"
        times, cpu = [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                began, began_cpu = time.perf_counter(), time.process_time()
                browser.get(url, query, headers=headers, secure=True)
                times.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
        results[page] = {
            "p50": statistics.median(times),
            "p95": p95(times),
            "cpu_p95": p95(cpu),
            "queries": len(queries),
        }
    sizes = {
        "clients": Client.objects.count(),
        "contacts": Contact.objects.count(),
        "interactions": Interaction.objects.count(),
    }
    print(json.dumps({"pages": results, "sizes": sizes, "build_s": build_seconds}))


def run_child(database: str, url: str, clients: int, runs: int) -> dict | None:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "testserver",
        "MILEPOST_HOME": str(ROOT),
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("PYTEST_VERSION", None)
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(clients), "--runs", str(runs)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(f"{database}, {clients} clients: failed\n{done.stderr[-3000:]}", file=sys.stderr)
        return None
    result: dict = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", f"{PG_SERVER}/postgres", "-q", "-c", sql], check=True, capture_output=True
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=5000)
    parser.add_argument("--small", type=int, default=500, help="the size to compare counts with")
    parser.add_argument("--runs", type=int, default=30)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--sqlite-only", action="store_true")
    which.add_argument("--postgres", action="store_true", help="PostgreSQL only")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.runs)
        return

    databases = ["SQLite", "PostgreSQL"]
    if args.sqlite_only:
        databases = ["SQLite"]
    elif args.postgres:
        databases = ["PostgreSQL"]
    outcomes: dict[tuple[str, int], dict] = {}
    for database in databases:
        for clients in (args.small, args.clients):
            if database == "SQLite":
                url = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
            else:
                _psql(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
                _psql(f"CREATE DATABASE {PG_DATABASE}")
                url = f"{PG_SERVER}/{PG_DATABASE}"
            try:
                result = run_child(database, url, clients, args.runs)
            finally:
                if database == "PostgreSQL":
                    _psql(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            if result is not None:
                outcomes[(database, clients)] = result

    print(f"\nClient list and client page, {args.runs} runs each, p95 budget {BUDGET_MS:.0f} ms")
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    columns = ("p50 ms", "p95 ms", "CPU p95", "queries")
    print(f"{'database':<11} {'clients':>8} {'page':<26} " + " ".join(f"{c:>8}" for c in columns))
    for (database, clients), result in outcomes.items():
        for page, figures in result["pages"].items():
            ok = "yes" if figures["p95"] <= BUDGET_MS else "NO"
            print(
                f"{database:<11} {clients:>8,} {page:<26} {figures['p50']:>8.1f} "
                f"{figures['p95']:>8.1f} {figures['cpu_p95']:>8.1f} {figures['queries']:>8}  {ok}"
            )
    for (database, clients), result in outcomes.items():
        sizes = result["sizes"]
        print(
            f"{database} {clients:,}: {sizes['clients']:,} clients, {sizes['contacts']:,} "
            f"contacts, {sizes['interactions']:,} interactions, built in {result['build_s']:.1f} s"
        )
    for database in databases:
        small, large = outcomes.get((database, args.small)), outcomes.get((database, args.clients))
        if small is None or large is None:
            continue
        for page in large["pages"]:
            before, after = small["pages"][page]["queries"], large["pages"][page]["queries"]
            verdict = "same" if before == after else f"GROWS {before} -> {after}"
            print(
                f"{database} queries, {page}: {args.small:,} vs {args.clients:,} clients: {verdict}"
            )


if __name__ == "__main__":
    main()
