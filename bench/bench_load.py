"""Benchmark: 20 logged-in clients over a grown database, served by gunicorn with DEBUG off.

    .venv/bin/python bench/bench_load.py [--seconds 60] [--clients 20] [--sqlite | --postgres]
        [--units 70000] [--needs 1500] [--assessments 10000] [--demo-size 2000] [--workers 3]
        [--think SECONDS] [--keep DIR]

A fresh database (SQLite in a temporary directory, or the PostgreSQL database
`milepost_loadbench` on 127.0.0.1, created and dropped here) gets the demo organisation
(`milepost demo`), then, in bulk: UNITS more organisation units (divisions > regions > areas >
teams below the root, one division below the line manager's business unit), needs up to NEEDS
(spread over the units, a third of them in demand themes) and one person (the `employee` login's
own record, in the line manager's scope) with ASSESSMENTS ratings. gunicorn serves it as
docs/deploying.md does (WORKERS sync workers, DEBUG off, a strong SECRET_KEY, ALLOWED_HOSTS
127.0.0.1, SECURE_COOKIES=0 for plain HTTP on loopback) on a free loopback port.

CLIENTS threads log in through the real log-in form (CSRF token and cookie), as coordinator,
line manager, employee and executive in turn, each with a read-only API token of its own. Each
role first loads every page once (the cold time; a page the role may not see, 403 or 404, or
that sends it elsewhere, 302, is left out of its mix and listed), then the threads request a
weighted mix of pages for SECONDS: without pause (a closed loop, the default), or with
`--think SECONDS`, a random pause of 0.5x to 1.5x that many seconds between one client's
requests (locust's `wait_time = between(...)`; people reading the page). Every loop is
bounded by time and by count, and the server is stopped at the end. Prints the client model,
then per page requests, errors, p50, p95 and max in ms and whether p95 <= 300 ms; overall
requests a second and p95; the database sizes; the machine's load
average. Exits 0.

`--keep DIR` builds the database once and keeps it: the first run builds into DIR (SQLite
file, or the PostgreSQL database left in place) and writes DIR/built.json; later runs with the
same DIR migrate and reuse it (the build takes minutes). Sessions and tokens of earlier runs
stay in it.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
BUDGET_MS = 300.0
REQUEST_TIMEOUT = 60.0
MAX_REQUESTS_PER_THREAD = 50_000  # a second bound besides the clock
POSTGRES_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
POSTGRES_DATABASE = "milepost_loadbench"
ROLES = ("coordinator", "line.manager", "employee", "executive")
SEARCH_TERM = "Team 2.1"  # matches hundreds of the grown units


# --- building the database (in a child process, with the server's environment) -------------


def split_tree(total: int) -> list[int]:
    """How many units on each level: 5 divisions, 20 regions each, 25 areas each, then teams."""
    sizes, left = [], total
    for size in (5, 100, 2_500):
        take = min(size, left)
        sizes.append(take)
        left -= take
    sizes.append(left)
    return [size for size in sizes if size]


def build_child(units: int, needs: int, assessments: int, demo_size: int) -> None:
    """Build the grown database; print a JSON line with the ids and tokens the clients need."""
    import datetime

    import django

    django.setup()
    from django.db import transaction

    from milepost.accounts.models import ApiToken, OrgUnit, User
    from milepost.accounts.services import issue_api_token, rebuild_unit_paths
    from milepost.frameworks.models import CompetencyLevel
    from milepost.lib.signals import mark_structure_changed
    from milepost.needs.models import DemandTheme, Impact, Need, Status, Urgency
    from milepost.people.models import Assessment, Employee
    from milepost.site.demo.build import DEMO_PASSWORD, build_demo
    from milepost.site.demo.organisation import DEMO_LINE_MANAGER_UNIT, ROOT_CODE

    rng = random.Random(20261203)
    started = time.perf_counter()
    build_demo(size=demo_size)
    demo_seconds = time.perf_counter() - started

    root = OrgUnit.objects.get(code=ROOT_CODE)
    business_unit = OrgUnit.objects.get(code=DEMO_LINE_MANAGER_UNIT)
    kinds = [
        OrgUnit.Kind.BUSINESS_UNIT,
        OrgUnit.Kind.DEPARTMENT,
        OrgUnit.Kind.DEPARTMENT,
        OrgUnit.Kind.TEAM,
    ]
    words = ["Division", "Region", "Area", "Team"]
    with transaction.atomic():
        parents: list[tuple[int, str]] = []
        for depth, size in enumerate(split_tree(units)):
            rows = []
            for number in range(size):
                if depth == 0:
                    parent_id = business_unit.pk if number == size - 1 else root.pk
                    label = str(number + 1)
                else:
                    parent_id, parent_label = parents[number % len(parents)]
                    label = f"{parent_label}.{number // len(parents) + 1}"
                rows.append(
                    OrgUnit(
                        code=f"LB-{label}",
                        name=f"{words[depth]} {label}",
                        kind=kinds[depth],
                        parent_id=parent_id,
                    )
                )
            made = OrgUnit.objects.bulk_create(rows, batch_size=2_000)
            parents = [(unit.pk, unit.code.removeprefix("LB-")) for unit in made]
        rebuild_unit_paths()
    mark_structure_changed()

    users = {user.username: user for user in User.objects.filter(username__in=ROLES)}
    with transaction.atomic():
        themes = DemandTheme.objects.bulk_create(
            DemandTheme(title=f"Theme {number}: shared demand", created_by=users["coordinator"])
            for number in range(1, 31)
        )
        unit_ids = list(OrgUnit.objects.values_list("pk", flat=True))
        requesters = [users["employee"], users["line.manager"], users["coordinator"]]
        existing = Need.objects.count()
        Need.objects.bulk_create(
            (
                Need(
                    title=f"Load-bench need {number}: skills for a changing workload",
                    description="We keep running short of people who can do this well.",
                    business_issue="Backlog and rework.",
                    unit_id=rng.choice(unit_ids),
                    requester=rng.choice(requesters),
                    people_affected=rng.randint(1, 40),
                    urgency=rng.choice(Urgency.values),
                    impact=rng.choice(Impact.values),
                    status=rng.choice(Status.values),
                    theme=rng.choice(themes) if number % 3 == 0 else None,
                )
                for number in range(max(0, needs - existing))
            ),
            batch_size=1_000,
        )

    person = Employee.objects.get(user=users["employee"])
    levels = list(CompetencyLevel.objects.values_list("competency_id", "level"))
    first_day = person.start_date or datetime.date(2015, 1, 1)
    span = max(1, (datetime.date.today() - first_day).days)
    with transaction.atomic():
        missing = max(0, assessments - person.assessments.count())
        Assessment.objects.bulk_create(
            (
                Assessment(
                    employee=person,
                    competency_id=competency_id,
                    kind=rng.choice(Assessment.Kind.values),
                    level=level,
                    assessed_on=first_day + datetime.timedelta(days=rng.randrange(span)),
                    assessed_by=users["line.manager"],
                    note="Load-bench rating.",
                )
                for competency_id, level in (rng.choice(levels) for _ in range(missing))
            ),
            batch_size=2_000,
        )

    tokens = {
        username: issue_api_token(
            acting_user=user, name="loadbench", scope=ApiToken.Scope.READ, lifetime_days=None
        )[1]
        for username, user in users.items()
    }
    print(
        json.dumps(
            {
                "demo_seconds": demo_seconds,
                "build_seconds": time.perf_counter() - started,
                "units": OrgUnit.objects.count(),
                "needs": Need.objects.count(),
                "themed_needs": Need.objects.filter(theme__isnull=False).count(),
                "person_assessments": person.assessments.count(),
                "all_assessments": Assessment.objects.count(),
                "person": person.pk,
                "root_unit": root.pk,
                "business_unit": business_unit.pk,
                "tokens": tokens,
                "password": DEMO_PASSWORD,
            }
        )
    )


# --- HTTP ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Browser:
    """One client's cookies; one connection a request (gunicorn's sync workers close it)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            sent = dict(headers or {})
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body or None, headers=sent)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            for cookie in response.msg.get_all("Set-Cookie") or []:
                name, _, rest = cookie.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            connection.close()

    def log_in(self, username: str, password: str) -> bool:
        _, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token or "csrftoken" not in self.cookies:
            return False
        form = (
            f"csrfmiddlewaretoken={quote(token.group(1))}&username={quote(username)}"
            f"&password={quote(password)}"
        )
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        return status == 302 and "sessionid" in self.cookies


# --- the mix -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    weight: int
    path: Callable[[dict[str, object], str], str]
    api: bool = False


def unit_for(built: dict[str, object], role: str) -> object:
    """The root unit (70,000 units below it); the line manager's own business unit."""
    return built["business_unit"] if role == "line.manager" else built["root_unit"]


PAGES = (
    Page("home", 10, lambda b, r: "/"),
    Page("employee list", 8, lambda b, r: "/people/employees/"),
    Page("person page (10k ratings)", 8, lambda b, r: f"/people/employees/{b['person']}/"),
    Page("evidence log", 6, lambda b, r: f"/people/employees/{b['person']}/history/"),
    Page(
        "API assessments",
        6,
        lambda b, r: f"/api/v1/employees/{b['person']}/assessments",
        api=True,
    ),
    Page("demand board", 6, lambda b, r: "/needs/board/"),
    Page("needs list", 8, lambda b, r: "/needs/"),
    Page("units page", 6, lambda b, r: "/people/units/"),
    Page("unit search ?q=", 6, lambda b, r: f"/people/units/?q={quote(SEARCH_TERM)}"),
    Page("unit page", 6, lambda b, r: f"/people/units/{unit_for(b, r)}/"),
    Page("gap overview", 6, lambda b, r: "/insights/gaps/"),
    Page("unit gap page", 4, lambda b, r: f"/insights/gaps/units/{unit_for(b, r)}/"),
    Page("catalogue list", 6, lambda b, r: "/catalogue/"),
)


@dataclass
class Sample:
    page: str
    role: str
    status: int
    ms: float
    size: int = 0


def fetch(browser: Browser, page: Page, built: dict[str, object], role: str) -> Sample:
    headers = {}
    if page.api:
        headers["Authorization"] = f"Bearer {built['tokens'][role]}"  # type: ignore[index]
    started = time.perf_counter()
    try:
        if page.api:  # the token alone, as an API client calls it
            status, text = Browser(browser.port).request("GET", page.path(built, role), "", headers)
        else:
            status, text = browser.request("GET", page.path(built, role))
    except OSError:  # refused, reset or timed out
        status, text = 0, ""
    ms = (time.perf_counter() - started) * 1000
    return Sample(page.name, role, status, ms, len(text.encode()))


def client(
    browser: Browser,
    role: str,
    pages: list[Page],
    built: dict[str, object],
    deadline: float,
    seed: int,
    out: list[Sample],
    think: float = 0.0,
) -> None:
    rng = random.Random(seed)
    weights = [page.weight for page in pages]
    if think:  # start spread out, as people who did not all click at once
        time.sleep(min(rng.uniform(0, think), max(0.0, deadline - time.perf_counter())))
    for _ in range(MAX_REQUESTS_PER_THREAD):
        if time.perf_counter() >= deadline:
            return
        out.append(fetch(browser, rng.choices(pages, weights)[0], built, role))
        if think:
            pause = rng.uniform(0.5 * think, 1.5 * think)
            time.sleep(min(pause, max(0.0, deadline - time.perf_counter())))


def load_model(think: float) -> str:
    """The client model in words, for the report."""
    if not think:
        return "closed loop without pause: each client asks again as soon as it is answered"
    return (
        f"think time: each client pauses {0.5 * think:g}-{1.5 * think:g} s (uniform) between "
        "requests"
    )


def server_cpu_seconds(master: int) -> float:
    """CPU seconds (user + system) used so far by gunicorn's master and its live workers, read
    from /proc (Linux); 0 where /proc is not there. Other programs on the machine do not count,
    so CPU per request is a figure a busy machine does not distort."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0
    total = 0.0
    for pid in [str(master), *children]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --- one run -------------------------------------------------------------------------------


def postgres(action: str) -> str:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DATABASE}" WITH (FORCE)')
        if action == "create":
            connection.execute(f'CREATE DATABASE "{POSTGRES_DATABASE}"')
    return postgres_url()


def build(args: argparse.Namespace, env: dict[str, str], scratch: str) -> dict[str, Any]:
    """Build the grown database in a child process with the server's environment."""
    engine = "postgresql" if args.postgres else "sqlite"
    print(f"building the grown database on {engine} ...", flush=True)
    made = subprocess.run(
        [
            sys.executable,
            __file__,
            "--build",
            f"--units={args.units}",
            f"--needs={args.needs}",
            f"--assessments={args.assessments}",
            f"--demo-size={args.demo_size}",
        ],
        env=env,
        cwd=scratch,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if made.returncode != 0:
        print(made.stdout[-2000:], made.stderr[-4000:], sep="\n")
        raise SystemExit("building the database failed")
    built: dict[str, Any] = json.loads(made.stdout.strip().splitlines()[-1])
    print(
        f"built in {built['build_seconds']:.0f} s (demo {built['demo_seconds']:.0f} s)",
        flush=True,
    )
    return built


def postgres_url() -> str:
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + POSTGRES_DATABASE


def scratch_directory(args: argparse.Namespace) -> contextlib.AbstractContextManager[str]:
    """A temporary directory, or the kept one of `--keep DIR`."""
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        return contextlib.nullcontext(str(Path(args.keep).resolve()))
    return tempfile.TemporaryDirectory(prefix="milepost-bench-load-")


def run(args: argparse.Namespace) -> None:
    engine = "postgresql" if args.postgres else "sqlite"
    with scratch_directory(args) as scratch:
        kept = Path(scratch) / f"built-{engine}.json"
        reuse = bool(args.keep) and kept.exists()
        if args.postgres:
            database_url = postgres_url() if reuse else postgres("create")
        else:
            database_url = f"sqlite:///{scratch}/load.sqlite3"
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
            and not key.startswith("PYTEST")
        }
        env.update(
            {
                "DATABASE_URL": database_url,
                "DEBUG": "0",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": HOST,
                "SECURE_COOKIES": "0",  # plain HTTP on loopback
                "MILEPOST_HOME": scratch,
                "MATCH_DENSE": "0",
                "TASKS_BACKEND": "database",
                "PYTHONPATH": str(ROOT / "src"),
                "DJANGO_SETTINGS_MODULE": "milepost.settings",
            }
        )
        server = None
        try:
            subprocess.run(
                [sys.executable, "-m", "django", "migrate", "--no-input", "-v0"],
                env=env,
                cwd=scratch,
                check=True,
                timeout=600,
            )
            if reuse:
                built = json.loads(kept.read_text())
                print(f"reusing the grown database kept in {scratch}", flush=True)
            else:
                built = build(args, env, scratch)
                if args.keep:
                    kept.write_text(json.dumps(built))
            port = free_port()
            log = Path(scratch) / "gunicorn.log"
            server = subprocess.Popen(
                [
                    str(BIN / "gunicorn"),
                    "milepost.wsgi",
                    "--bind",
                    f"{HOST}:{port}",
                    "--workers",
                    str(args.workers),
                    "--timeout",
                    "120",
                ],
                env=env,
                cwd=scratch,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            for _ in range(600):
                try:
                    Browser(port).request("GET", "/about/")
                    break
                except OSError:
                    if server.poll() is not None:
                        raise SystemExit("gunicorn did not start:\n" + log.read_text()) from None
                    time.sleep(0.1)

            password = str(built["password"])
            # Each role loads every page once: the cold time, and which pages it may see.
            cold: dict[str, Sample] = {}
            allowed: dict[str, list[Page]] = {}
            left_out: list[str] = []
            for role in ROLES:
                browser = Browser(port)
                if not browser.log_in(role, password):
                    raise SystemExit(f"{role} could not log in")
                allowed[role] = []
                for page in PAGES:
                    if page.name in args.skip:
                        continue
                    sample = fetch(browser, page, built, role)
                    if sample.status in (302, 403, 404):  # 302: sent to their own page
                        left_out.append(f"{page.name} ({role}: {sample.status})")
                        continue
                    allowed[role].append(page)
                    if page.name not in cold or sample.ms > cold[page.name].ms:
                        cold[page.name] = sample

            browsers: list[tuple[Browser, str]] = []
            for number in range(args.clients):
                role = ROLES[number % len(ROLES)]
                browser = Browser(port)
                if not browser.log_in(role, password):
                    raise SystemExit(f"client {number} ({role}) could not log in")
                browsers.append((browser, role))

            samples: list[list[Sample]] = [[] for _ in browsers]
            cpu_before = server_cpu_seconds(server.pid)
            started = time.perf_counter()
            deadline = started + args.seconds
            threads = [
                threading.Thread(
                    target=client,
                    args=(
                        browser,
                        role,
                        allowed[role],
                        built,
                        deadline,
                        number,
                        samples[number],
                        args.think,
                    ),
                )
                for number, (browser, role) in enumerate(browsers)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.seconds + REQUEST_TIMEOUT + 30)
            elapsed = time.perf_counter() - started
            server_cpu = server_cpu_seconds(server.pid) - cpu_before
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=60)
            if args.postgres and not args.keep:
                postgres("drop")
    report(
        args,
        engine,
        built,
        cold,
        left_out,
        [s for group in samples for s in group],
        elapsed,
        server_cpu,
    )


def report(
    args: argparse.Namespace,
    engine: str,
    built: dict[str, object],
    cold: dict[str, Sample],
    left_out: list[str],
    samples: list[Sample],
    elapsed: float,
    server_cpu: float = 0.0,
) -> None:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print()
    print(
        f"{args.clients} clients ({', '.join(ROLES)} in turn), {args.seconds:.0f} s, "
        f"gunicorn {args.workers} sync workers, DEBUG off, {engine}"
    )
    print(
        f"database: {built['units']:,} units, {built['needs']:,} needs "
        f"({built['themed_needs']:,} in themes), {built['person_assessments']:,} assessments on "
        f"one person ({built['all_assessments']:,} in all), demo size {args.demo_size}"
    )
    print(f"model: {load_model(args.think)}")
    if args.skip:
        print(f"DIAGNOSTIC RUN: skipped {', '.join(args.skip)}")
    print(f"machine: {os.cpu_count()} cores, load average {load} (1, 5, 15 min) at the end")
    if left_out:
        print("left out of a role's mix (the role may not see it): " + "; ".join(left_out))
    print("cold ms, KB: the slowest role's first load of the page, alone, and its size")
    print()
    header = (
        f"{'page':<27} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'max ms':>7} {'cold ms':>8} {'KB':>6}  p95 <= {BUDGET_MS:.0f} ms"
    )
    print(header)
    print("-" * len(header))
    missed = []
    for page in PAGES:
        if page.name in args.skip:
            print(f"{page.name:<27} skipped (--skip)")
            continue
        times = [s.ms for s in samples if s.page == page.name]
        errors = sum(1 for s in samples if s.page == page.name and s.status != 200)
        p95 = percentile(times, 0.95)
        met = bool(times) and p95 <= BUDGET_MS
        first = cold.get(page.name)
        if not met:
            missed.append(page.name)
        print(
            f"{page.name:<27} {len(times):>8} {errors:>6} {percentile(times, 0.5):>7.0f} "
            f"{p95:>7.0f} {max(times, default=float('nan')):>7.0f} "
            f"{first.ms if first else float('nan'):>8.0f} "
            f"{first.size / 1024 if first else float('nan'):>6.0f}  {'yes' if met else 'NO'}"
        )
    times = [s.ms for s in samples]
    errors = sum(1 for s in samples if s.status != 200)
    failed: dict[tuple[str, str, int], int] = {}
    for s in samples:
        if s.status != 200:
            failed[(s.page, s.role, s.status)] = failed.get((s.page, s.role, s.status), 0) + 1
    p95 = percentile(times, 0.95)
    print("-" * len(header))
    print(
        f"{'overall':<27} {len(times):>8} {errors:>6} {percentile(times, 0.5):>7.0f} "
        f"{p95:>7.0f} {max(times, default=float('nan')):>7.0f} {'':>15}  "
        f"{'yes' if p95 <= BUDGET_MS else 'NO'}"
    )
    print()
    print(f"throughput: {len(times) / elapsed:.1f} requests/s over {elapsed:.0f} s")
    if server_cpu and times:
        per_request = server_cpu / len(times) * 1000
        cores = os.cpu_count() or 1
        print(
            f"server CPU: {server_cpu:.0f} s for {len(times):,} requests = {per_request:.0f} ms "
            f"a request (gunicorn master and workers; the machine's {cores} cores could serve "
            f"at most about {cores * 1000 / per_request:.0f} requests/s of this mix)"
        )
    if failed:
        print(
            "errors (status 0: refused or timed out): "
            + "; ".join(f"{p} as {r}: {n} x {c}" for (p, r, c), n in sorted(failed.items()))
        )
    verdict = "met" if p95 <= BUDGET_MS and not missed else "NOT met"
    print(
        f"budget p95 <= {BUDGET_MS:.0f} ms at {args.clients} clients: overall p95 {p95:.0f} ms; "
        f"{verdict}" + (f" (pages over budget: {', '.join(missed)})" if missed else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--units", type=int, default=70_000)
    parser.add_argument("--needs", type=int, default=1_500)
    parser.add_argument("--assessments", type=int, default=10_000)
    parser.add_argument("--demo-size", type=int, default=2_000, help="demo employees")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    database = parser.add_mutually_exclusive_group()
    database.add_argument("--sqlite", action="store_true", help="SQLite (the default)")
    database.add_argument("--postgres", action="store_true", help=f"PostgreSQL on {HOST}")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=[page.name for page in PAGES],
        help="leave a page out of every mix (a diagnostic run; the table says so)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="pause 0.5x-1.5x SECONDS between one client's requests (default 0: no pause)",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="build the database once into DIR and reuse it on later runs with the same DIR",
    )
    parser.add_argument("--build", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build_child(args.units, args.needs, args.assessments, args.demo_size)
        return
    sys.path.insert(0, str(ROOT / "src"))
    run(args)


if __name__ == "__main__":
    main()
