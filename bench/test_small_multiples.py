"""The network's view of one measure for 30 teams with 24 points each."""

import datetime as dt

import pytest
from django.urls import reverse

from bench.conftest import measure
from network.models import RecommendedMeasure
from teams.models import ChartType, Measure, Measurement
from tests.factories import CoordinatorFactory, NetworkFactory, TeamFactory

#: Twice the budget of the product's other pages (25 ms, bench/national.py): the page
#: draws 30 charts. The query count, which does not grow with the teams, is a test
#: (tests/reports/test_network_measure.py).
BUDGET_CPU_SECONDS = 0.05
TEAMS, POINTS = 30, 24
NAME = "Andel pasienter risikovurdert for fall"


@pytest.mark.django_db
def test_small_multiples_of_thirty_teams(client, report):
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
    assert len(client.get(url).context["rows"]) == TEAMS
    timing = measure(lambda: client.get(url), repeat=10)
    report(
        f"small multiples ({TEAMS} teams × {POINTS} points)",
        timing,
        BUDGET_CPU_SECONDS,
    )
    assert timing.cpu <= BUDGET_CPU_SECONDS
