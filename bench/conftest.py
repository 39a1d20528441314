"""Benchmarks: run with `make bench`, never as part of `make test`.

Each benchmark measures, prints one row of the table, and fails when its
budget is exceeded. Budgets are in CPU seconds of this process (a busy machine
inflates them far less than wall time); the wall time is printed for information.
"""

import statistics
import time
from typing import NamedTuple

import pytest
from django_scopes import scopes_disabled

ROWS = []


class Timing(NamedTuple):
    cpu: float  # median CPU seconds
    worst_cpu: float
    wall: float  # median wall seconds


def measure(function, *, repeat=5, warmup=1):
    for _ in range(warmup):
        function()
    cpu, wall = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return Timing(statistics.median(cpu), max(cpu), statistics.median(wall))


@pytest.fixture(autouse=True)
def _unscoped_bench_code():
    """The benchmarks set up several centres: their own code declares no centre."""
    with scopes_disabled():
        yield


@pytest.fixture
def report():
    def add(name, timing, budget):
        ROWS.append((name, timing, budget))

    return add


def pytest_terminal_summary(terminalreporter):
    if not ROWS:
        return
    terminalreporter.write_line("")
    terminalreporter.write_line(
        f"{'benchmark':45} {'CPU':>8} {'max CPU':>8} {'budget':>8}  ok {'wall':>8}"
    )
    for name, timing, budget in ROWS:
        ok = "yes" if timing.cpu <= budget else "NO"
        terminalreporter.write_line(
            f"{name:45} {timing.cpu:7.3f}s {timing.worst_cpu:7.3f}s {budget:7.3f}s "
            f"{ok:>3} {timing.wall:7.3f}s"
        )
    terminalreporter.write_line("CPU: median CPU seconds of this process; wall for information.")
