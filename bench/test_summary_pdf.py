import datetime as dt

import pytest

from bench.conftest import measure
from reports.exports import summary_pdf
from reports.services import propose_report_periods
from sessions_app.services import propose_timeline
from teams.models import Measure, Measurement, PDSACycle
from tests.factories import NetworkFactory, TeamFactory, TeamMemberFactory

BUDGET_CPU_SECONDS = 10.0
TEAMS, MEASURES, POINTS = 30, 3, 24


@pytest.mark.django_db
def test_network_summary_pdf_for_thirty_teams(report):
    network = NetworkFactory()
    propose_timeline(network)
    propose_report_periods(network)
    points = []
    for t in range(TEAMS):
        team = TeamFactory(network=network)
        TeamMemberFactory.create_batch(4, team=team)
        for m in range(MEASURES):
            measure_ = Measure.objects.create(team=team, name=f"Måling {m}", goal=5)
            points += [
                Measurement(
                    measure=measure_,
                    value=(w * 7 + m + t) % 11,
                    period_start=dt.date(2026, 1, 5) + dt.timedelta(weeks=w),
                )
                for w in range(POINTS)
            ]
            PDSACycle.objects.create(
                team=team, measure=measure_, change="Test", start_date=dt.date(2026, 3, 1)
            )
    Measurement.objects.bulk_create(points)
    timing = measure(lambda: summary_pdf(network), repeat=3, warmup=0)
    report(
        f"network summary PDF ({TEAMS} teams, {TEAMS * MEASURES} charts)",
        timing,
        BUDGET_CPU_SECONDS,
    )
    assert timing.cpu <= BUDGET_CPU_SECONDS
