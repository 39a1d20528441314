"""The team, its leader, a measure with a year of data and a PDSA cycle, and the
first reporting period: what the status-report tests start from."""

import datetime as dt

import pytest
from django.urls import reverse

from reports.services import propose_report_periods
from sessions_app.services import propose_timeline
from teams.models import Measure, Measurement, PDSACycle, Role
from tests.factories import PersonFactory, TeamMemberFactory, UserFactory

TEXT = {
    "activities": "Tavlemøte hver fredag",
    "what_worked": "Sklisikre sokker",
    "challenges": "Mange vikarer i sommer",
    "support_needed": "Hjelp med målingene",
    "next_steps": "Spre til avdeling 3",
}


@pytest.fixture
def setup(team, coordinator):
    propose_timeline(team.network)
    propose_report_periods(team.network)
    coordinator.person.email = "koordinator@usht.no"
    coordinator.person.save()
    team.unit_leader = PersonFactory(centre=team.network.centre, email="enhetsleder@kommune.no")
    team.aim = "Færre fall"
    team.save()
    leader = TeamMemberFactory(
        team=team, role=Role.TEAM_LEADER, person__user=UserFactory(email="leder@kommune.no")
    ).person.user
    measure = Measure.objects.create(team=team, name="Antall fall", goal=2, direction="down")
    for month in range(1, 13):
        Measurement.objects.create(
            measure=measure, period_start=dt.date(2026, month, 1), value=10 if month < 7 else 3
        )
    cycle = PDSACycle.objects.create(
        team=team,
        measure=measure,
        change="Sklisikre sokker",
        start_date=dt.date(2026, 9, 10),
        learning="Det virker",
    )
    period = team.network.report_periods.get(number=1)
    return {
        "team": team,
        "leader": leader,
        "period": period,
        "cycle": cycle,
        "url": reverse("reports:report", args=[team.pk, period.pk]),
    }
