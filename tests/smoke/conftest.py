"""Smoke tests: the production server as docs/deploying.md runs it.

gunicorn serves `milepost.wsgi` with DEBUG off on a PostgreSQL database of its own, after the
same steps an operator takes (migrate, collectstatic, a demo organisation instead of real data).
The tests talk to it over HTTP like a browser without JavaScript would.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ADMIN_URL = os.environ.get("SMOKE_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DATABASE = "milepost_smoke"
STARTUP_SECONDS = 60


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/smoke/" in str(item.fspath):
            item.add_marker(pytest.mark.smoke)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fresh_database() -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + DATABASE


def _run(args: list[str], env: dict[str, str], cwd: Path) -> None:
    result = subprocess.run(
        [str(BIN / "milepost"), *args], env=env, cwd=cwd, capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.fail(f"milepost {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


@pytest.fixture(scope="session")
def production_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("milepost-home")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE", "PYTEST_VERSION", "DATABASE_URL"}
        and not key.startswith("PYTEST_")
    }
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": _fresh_database(),
            "MILEPOST_HOME": str(home),
            "MILEPOST_DATA_DIR": str(REPO.parent / "shared" / "data"),
            "ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback: the HTTPS settings are checked by `check --deploy` below.
            "SECURE_COOKIES": "0",
            "TASKS_BACKEND": "database",
        }
    )
    return env


@pytest.fixture(scope="session")
def server(production_env: dict[str, str]) -> Iterator[str]:
    home = Path(production_env["MILEPOST_HOME"])
    _run(["migrate", "--no-input"], production_env, home)
    _run(["demo", "--size", "120", "--allow-without-debug"], production_env, home)
    _run(["collectstatic", "--no-input"], production_env, home)
    port = _free_port()
    log = (home / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "milepost.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "60",
        ],
        env=production_env,
        cwd=home,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while True:
            try:
                requests.get(f"{url}/about/", timeout=30)
                break
            except (requests.ConnectionError, requests.Timeout):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("gunicorn did not start:\n" + (home / "gunicorn.log").read_text())
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
