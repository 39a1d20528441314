"""The network's view of one measure for 30 teams with 24 points each.

Within the page budget of the product's other pages (25 ms of CPU, bench/national.py),
although the page draws 30 charts and the pooled one. The query count, which does not
grow with the teams, is a test (tests/reports/test_network_measure.py). Measured with
the cache of the small charts emptied before each request (cold) and as it stays
between requests (warm); the floor view
(a trivial template on the same stack) takes turns with the page and is printed too:
a busy machine slows both.
"""

import datetime as dt
import statistics
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from bench.conftest import Timing
from bench.national import PAGE_BUDGET_MS
from network.models import RecommendedMeasure
from teams.models import ChartType, Measure, Measurement
from tests.factories import CoordinatorFactory, NetworkFactory, TeamFactory

BUDGET_CPU_SECONDS = PAGE_BUDGET_MS / 1000
TEAMS, POINTS = 30, 24
TURNS = 30
NAME = "Andel pasienter risikovurdert for fall"


def turns(client, path, floor_path, *, cold=False):
    """The page's and the floor's CPU and wall times, in alternating turns; ``cold``:
    with the small charts' cache emptied before each turn of the page."""
    samples: dict[str, list[tuple[float, float]]] = {path: [], floor_path: []}
    for turn in range(TURNS):
        for target in (floor_path, path)[:: 1 - 2 * (turn % 2)]:
            if cold and target == path:
                cache.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(target)
            samples[target].append(
                (time.process_time() - started_cpu, time.perf_counter() - started)
            )

    def timing(rows):
        return Timing(
            statistics.median(c for c, _w in rows),
            max(c for c, _w in rows),
            statistics.median(w for _c, w in rows),
        )

    return timing(samples[path]), timing(samples[floor_path])


@pytest.mark.django_db
def test_small_multiples_of_thirty_teams(client, report, settings):
    settings.ROOT_URLCONF = "bench.urls"
    network = NetworkFactory()
    recommended = RecommendedMeasure.objects.get(name=NAME)
    points = []
    for t in range(TEAMS):
        measure_ = Measure.objects.create(
            team=TeamFactory(network=network),
            recommended=recommended,
            name=NAME,
            kind="proportion",
            chart=ChartType.P if t % 2 else ChartType.RUN,
        )
        points += [
            Measurement(
                measure=measure_,
                numerator=10 + (m * 7 + t) % 11,
                denominator=24,
                period_start=dt.date(2025 + m // 12, m % 12 + 1, 1),
            )
            for m in range(POINTS)
        ]
    Measurement.objects.bulk_create(points)
    client.force_login(CoordinatorFactory(centre=network.centre).person.user)
    url = reverse("reports:network_measure", args=[network.pk, recommended.pk])
    floor = reverse("bench_floor")
    assert len(client.get(url).context["rows"]) == TEAMS
    client.get(floor)
    cold, cold_floor = turns(client, url, floor, cold=True)
    page, floor_timing = turns(client, url, floor)
    name = f"small multiples ({TEAMS} teams × {POINTS} points)"
    report(f"{name}, cold cache", cold, BUDGET_CPU_SECONDS)
    report("  floor view, in turn with it", cold_floor, BUDGET_CPU_SECONDS)
    report(f"{name}, warm cache", page, BUDGET_CPU_SECONDS)
    report("  floor view, in turn with it", floor_timing, BUDGET_CPU_SECONDS)
    assert page.cpu <= BUDGET_CPU_SECONDS
    assert cold.cpu <= BUDGET_CPU_SECONDS
