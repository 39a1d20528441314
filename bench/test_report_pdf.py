import datetime as dt

import pytest

from bench.conftest import measure
from reports.models import StatusReport
from reports.services import propose_report_periods, report_pdf
from sessions_app.services import propose_timeline
from teams.models import Measure, Measurement, PDSACycle
from tests.factories import NetworkFactory, TeamFactory

BUDGET_CPU_SECONDS = 1.0


@pytest.mark.django_db
def test_status_report_pdf_with_three_run_charts(report):
    network = NetworkFactory()
    propose_timeline(network)
    period = propose_report_periods(network)[0]
    team = TeamFactory(network=network)
    for index in range(3):
        measure_ = Measure.objects.create(team=team, name=f"Måling {index}", goal=5)
        for week in range(40):
            Measurement.objects.create(
                measure=measure_,
                period_start=dt.date(2026, 1, 5) + dt.timedelta(weeks=week),
                value=(week * 7 + index) % 11,
            )
        PDSACycle.objects.create(
            team=team, measure=measure_, change="Test", start_date=dt.date(2026, 3, 1)
        )
    status_report = StatusReport.objects.create(
        team=team, period=period, what_worked="Mye", challenges="Noe", next_steps="Videre"
    )
    timing = measure(lambda: report_pdf(status_report), repeat=5)
    report("status report PDF (3 run charts, 40 points)", timing, BUDGET_CPU_SECONDS)
    assert timing.cpu <= BUDGET_CPU_SECONDS
