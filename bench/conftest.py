"""Benchmarks: run with `make bench`, never as part of `make test`.

Each benchmark measures, prints one row of the table, and fails when its
budget is exceeded.
"""

import statistics
import time

import pytest

ROWS = []


def measure(function, *, repeat=5, warmup=1):
    for _ in range(warmup):
        function()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), max(timings)


@pytest.fixture
def report():
    def add(name, median, worst, budget):
        ROWS.append((name, median, worst, budget))

    return add


def pytest_terminal_summary(terminalreporter):
    if not ROWS:
        return
    terminalreporter.write_line("")
    terminalreporter.write_line(f"{'benchmark':45} {'median':>9} {'max':>9} {'budget':>9}  ok")
    for name, median, worst, budget in ROWS:
        ok = "yes" if median <= budget else "NO"
        terminalreporter.write_line(f"{name:45} {median:8.3f}s {worst:8.3f}s {budget:8.1f}s  {ok}")
