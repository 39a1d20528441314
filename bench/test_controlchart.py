"""The control-chart analysis at network scale: 4,000 series of 24 points."""

import random

from bench.conftest import measure
from teams.controlchart import ChartKind, analyse

BUDGET_CPU_SECONDS = 2.0
SERIES, POINTS = 4000, 24
KINDS = [ChartKind.I, ChartKind.P, ChartKind.P_PRIME, ChartKind.U, ChartKind.C, ChartKind.G]


def test_4000_series_of_24_points(report):
    rng = random.Random(18)
    work = []
    for index in range(SERIES):
        kind = KINDS[index % len(KINDS)]
        n = [rng.randint(20, 400) for _ in range(POINTS)]
        values = [rng.randint(0, size // 4) for size in n]
        if kind not in ChartKind.WITH_DENOMINATOR:
            n = None
        work.append((kind, values, n))

    def run():
        for kind, values, n in work:
            analyse(kind, values, n, freeze=12 if kind == ChartKind.I else None)

    timing = measure(run, repeat=3)
    report(f"control charts ({SERIES} series × {POINTS} points)", timing, BUDGET_CPU_SECONDS)
    assert timing.cpu <= BUDGET_CPU_SECONDS
