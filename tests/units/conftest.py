"""A team with its leader and a member, its unit leader (who logs in), a unit leader
of another team in the same centre, a measure with points, and the timeline."""

import datetime as dt

import pytest

from reports.services import propose_report_periods
from sessions_app.services import propose_timeline
from teams.models import Measure, Measurement, PDSACycle, Role
from tests.factories import PersonFactory, TeamFactory, TeamMemberFactory, UserFactory


@pytest.fixture
def unit(team, coordinator):
    propose_timeline(team.network)
    propose_report_periods(team.network)
    team.unit_leader = PersonFactory(
        centre=team.network.centre,
        name="Marit Berg",
        email="enhetsleder@kommune.no",
        user=UserFactory(email="enhetsleder@kommune.no"),
    )
    team.save()
    leader = TeamMemberFactory(
        team=team,
        role=Role.TEAM_LEADER,
        person__email="leder@kommune.no",
        person__user=UserFactory(email="leder@kommune.no"),
    ).person.user
    member = TeamMemberFactory(
        team=team, role=Role.MEMBER, person__user=UserFactory(email="medlem@kommune.no")
    ).person.user
    other_team = TeamFactory(network=team.network)
    other_team.unit_leader = PersonFactory(
        centre=team.network.centre, user=UserFactory(email="annen.leder@kommune.no")
    )
    other_team.save()
    measure = Measure.objects.create(team=team, name="Antall fall", goal=2, direction="down")
    for month in range(1, 13):
        Measurement.objects.create(
            measure=measure, period_start=dt.date(2026, month, 1), value=10 if month < 7 else 3
        )
    cycle = PDSACycle.objects.create(
        team=team, measure=measure, change="Sklisikre sokker", start_date=dt.date(2026, 9, 10)
    )
    return {
        "team": team,
        "unit_leader": team.unit_leader.user,
        "leader": leader,
        "member": member,
        "coordinator": coordinator,
        "other_unit_leader": other_team.unit_leader.user,
        "other_team": other_team,
        "measure": measure,
        "cycle": cycle,
    }
