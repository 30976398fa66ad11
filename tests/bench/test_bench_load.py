"""The load bench's client model and CPU reading (bench/bench_load.py); the bench itself runs
by hand, see docs/benchmarks.md."""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_load.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_load", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # its dataclasses look their module up while made
    spec.loader.exec_module(module)
    return module


def run_client(bench: ModuleType, monkeypatch: pytest.MonkeyPatch, think: float) -> list[float]:
    pauses: list[float] = []
    monkeypatch.setattr(bench, "MAX_REQUESTS_PER_THREAD", 40)
    monkeypatch.setattr(bench.time, "sleep", pauses.append)
    monkeypatch.setattr(
        bench, "fetch", lambda browser, page, built, role: bench.Sample(page.name, role, 200, 1.0)
    )
    out: list[object] = []
    page = bench.Page("home", 1, lambda b, r: "/")
    bench.client(None, "employee", [page], {}, time.perf_counter() + 60, 1, out, think)
    assert len(out) == 40
    return pauses


def test_without_think_time_a_client_never_pauses(bench, monkeypatch):
    assert run_client(bench, monkeypatch, 0.0) == []
    assert "without pause" in bench.load_model(0.0)


def test_think_time_pauses_half_to_one_and_a_half_times_between_requests(bench, monkeypatch):
    pauses = run_client(bench, monkeypatch, 2.0)
    start, *between = pauses
    assert 0 <= start <= 2.0  # clients start spread out
    assert len(between) == 40
    assert all(1.0 <= pause <= 3.0 for pause in between)
    assert max(between) - min(between) > 0.5  # random, not a fixed pause
    assert bench.load_model(2.0).startswith("think time: each client pauses 1-3 s")


def test_server_cpu_is_read_from_proc(bench):
    started = time.process_time()
    while time.process_time() - started < 0.05:
        pass
    assert bench.server_cpu_seconds(os.getpid()) > 0
    assert bench.server_cpu_seconds(2**22 + 12345) == 0.0  # no such process
