"""Benchmark: password guessing against the log-in form, with and without the lockout.

    .venv/bin/python bench/bench_login.py [--seconds 15] [--attackers 10]

For each mode ("unprotected": django-axes switched off, as before the lockout; "protected": the
shipped settings) a fresh SQLite database in a temporary directory gets two users with real
PBKDF2 passwords and an API token, and `milepost runserver` (threaded) serves it on a free
loopback port. First a legitimate client calls `GET /api/v1/job-profiles` alone; then the same
client keeps calling while ATTACKERS threads post wrong passwords for another account for SECONDS;
last, the right password is tried. Everything stays on 127.0.0.1, every loop is bounded by time
and count, and the server is stopped at the end. Prints a table; exits 0.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
VICTIM, VICTIM_PASSWORD = "lena", "correct-horse-battery-staple"
MAX_REQUESTS_PER_THREAD = 10_000  # a second bound besides the clock


def setup_child() -> None:
    """In the child: migrate, create the users and a token, print the token."""
    import django

    django.setup()
    from django.core.management import call_command

    from milepost.accounts.models import Role, User
    from milepost.accounts.services import issue_api_token

    call_command("migrate", verbosity=0)
    User.objects.create_user(VICTIM, password=VICTIM_PASSWORD, role=Role.COORDINATOR)
    reader = User.objects.create_user("dana", password=VICTIM_PASSWORD, role=Role.COORDINATOR)
    print(json.dumps({"token": issue_api_token(acting_user=reader, name="bench")[1]}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def request(
    port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def try_password(port: int, username: str, password: str) -> int:
    """A browser's log-in: fetch the form (CSRF cookie and token), post it; the status."""
    _, headers, page = request(port, "GET", "/accounts/login/")
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not cookie or not token:
        return 0
    form = f"csrfmiddlewaretoken={token.group(1)}&username={username}&password={password}"
    status, _, _ = request(
        port,
        "POST",
        "/accounts/login/",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie.group(1)}",
        },
    )
    return status


def api_latencies(
    port: int, token: str, stop: threading.Event, out: list[tuple[float, float]]
) -> None:
    """Call the API until stopped; `out` gets (when it started, how long it took in ms)."""
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(MAX_REQUESTS_PER_THREAD):
        if stop.is_set():
            return
        started = time.perf_counter()
        try:
            status, _, _ = request(port, "GET", "/api/v1/job-profiles", headers=headers)
        except OSError:  # a timeout counts as 30 s
            status = 200
        if status == 200:
            out.append((started, (time.perf_counter() - started) * 1000))
        time.sleep(0.05)


def attacker(port: int, number: int, stop: threading.Event, statuses: list[int]) -> None:
    for attempt in range(MAX_REQUESTS_PER_THREAD):
        if stop.is_set():
            return
        try:
            statuses.append(try_password(port, VICTIM, f"guess-{number}-{attempt}"))
        except OSError:
            statuses.append(0)  # timed out


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(mode: str, seconds: float, attackers: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="milepost-bench-login-") as scratch:
        settings_module = Path(scratch) / "bench_login_settings.py"
        settings_module.write_text(
            f"from milepost.settings import *  # noqa: F403\nAXES_ENABLED = {mode == 'protected'}\n"
        )
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{scratch}/bench.sqlite3",
            "DEBUG": "0",  # as in production (no template or static-file reloading)
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SECURE_COOKIES": "0",  # plain HTTP on loopback
            "MILEPOST_HOME": scratch,
            "MATCH_DENSE": "0",
            "PYTHONPATH": os.pathsep.join([scratch, str(ROOT / "src")]),
            "DJANGO_SETTINGS_MODULE": "bench_login_settings",
        }
        env.pop("PYTEST_VERSION", None)  # real PBKDF2 hashing, as in production
        made = subprocess.run(
            [sys.executable, __file__, "--setup"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        token = json.loads(made.stdout.strip().splitlines()[-1])["token"]
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", f"{HOST}:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(300):
                try:
                    request(port, "GET", "/about/")
                    break
                except OSError:
                    time.sleep(0.1)
            quiet: list[tuple[float, float]] = []
            stop = threading.Event()
            alone = threading.Thread(target=api_latencies, args=(port, token, stop, quiet))
            alone.start()
            time.sleep(min(5.0, seconds / 3))
            stop.set()
            alone.join(timeout=60)

            busy: list[tuple[float, float]] = []
            statuses: list[int] = []
            stop = threading.Event()
            threads = [threading.Thread(target=api_latencies, args=(port, token, stop, busy))]
            threads += [
                threading.Thread(target=attacker, args=(port, number, stop, statuses))
                for number in range(attackers)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            time.sleep(seconds)
            stop.set()
            for thread in threads:
                thread.join(timeout=120)
            elapsed = time.perf_counter() - started
            right_password = try_password(port, VICTIM, VICTIM_PASSWORD)
        finally:
            server.terminate()
            server.wait(timeout=30)
    checked = statuses.count(200)  # the form came back "did not match": the password was hashed
    later = [ms for at, ms in busy if at >= started + elapsed / 2]
    return {
        "mode": mode,
        "guesses": len(statuses),
        "checked_per_s": checked / elapsed,
        "refused": statuses.count(429),
        "timed_out": statuses.count(0),
        "quiet_p50": statistics.median([ms for _, ms in quiet]) if quiet else float("nan"),
        "busy_p50": statistics.median([ms for _, ms in busy]) if busy else float("nan"),
        "busy_p95": percentile([ms for _, ms in busy], 0.95),
        "later_p50": statistics.median(later) if later else float("nan"),
        "right_password": {302: "logged in", 429: "refused (locked)"}.get(
            right_password, str(right_password)
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--attackers", type=int, default=10)
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup_child()
        return
    rows = [measure(mode, args.seconds, args.attackers) for mode in ("unprotected", "protected")]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{args.attackers} attackers, {args.seconds:.0f} s, against '{VICTIM}' on loopback")
    print(f"machine: {os.cpu_count()} cores, load average {load} (1, 5, 15 min) at the end")
    header = (
        "mode         guesses  passwords checked/s  refused (429)  timed out  API p50 alone  "
        "API p50 / p95 under attack  API p50, 2nd half  right password afterwards"
    )
    print(header)
    for row in rows:
        print(
            f"{row['mode']:<12} {row['guesses']:>7}  {row['checked_per_s']:>19.2f}  "
            f"{row['refused']:>13}  {row['timed_out']:>9}  {row['quiet_p50']:>10.0f} ms  "
            f"{row['busy_p50']:>11.0f} / {row['busy_p95']:>5.0f} ms  "
            f"{row['later_p50']:>13.0f} ms  {row['right_password']}"
        )


if __name__ == "__main__":
    main()
