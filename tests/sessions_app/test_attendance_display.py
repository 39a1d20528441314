"""Each team's attendance at the gatherings held: on the network overview, the team
page and in the summary PDF, with the rule in plain words, and a team that missed a
gathering marked (the agreement commits it to all three)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sessions_app.models import Attendance, SessionKind, SessionStatus
from sessions_app.queries import attendance_by_team
from teams.models import Role
from tests.factories import SessionFactory, TeamFactory, TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 9, 15, 9, tzinfo=dt.UTC)


def gathering(network, number, status=SessionStatus.HELD, kind=SessionKind.GATHERING):
    starts = START + dt.timedelta(days=90 * (number - 1))
    return SessionFactory(
        network=network,
        kind=kind,
        number=number,
        status=status,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=6),
    )


@pytest.fixture
def world(network):
    keen = TeamFactory(network=network, unit="Alltid der")
    patchy = TeamFactory(network=network, unit="Av og til")
    keen_member = TeamMemberFactory(team=keen, role=Role.TEAM_LEADER, person__user=UserFactory())
    patchy_member = TeamMemberFactory(team=patchy)
    TeamMemberFactory(team=patchy)  # one member present is enough for a gathering
    first, second = gathering(network, 1), gathering(network, 2)
    gathering(network, 3, status=SessionStatus.PLANNED)  # not held yet: not counted
    call = gathering(network, 4, kind=SessionKind.PHONE_CONFERENCE)  # not a gathering
    for session in (first, second, call):
        Attendance.objects.create(session=session, member=keen_member)
    Attendance.objects.create(session=first, member=patchy_member)
    Attendance.objects.create(session=second, member=patchy_member, present=False)
    return {"keen": keen, "patchy": patchy, "leader": keen_member.person.user, "second": second}


def test_a_gathering_counts_when_at_least_one_member_was_there(world, network):
    attendance = attendance_by_team(network.pk)
    keen, patchy = attendance[world["keen"].pk], attendance[world["patchy"].pk]
    assert (keen.held, keen.attended, keen.complete) == (2, 2, True)
    assert (patchy.held, patchy.attended) == (2, 1)
    assert [str(s) for s in patchy.missed] == ["Samling 2"]


def test_a_gathering_that_invites_other_teams_is_not_counted_against_a_team(world, network):
    world["second"].invited_teams.set([world["keen"]])
    patchy = attendance_by_team(network.pk)[world["patchy"].pk]
    assert (patchy.held, patchy.attended, patchy.missed) == (1, 1, ())


def test_the_network_overview_shows_attendance_and_marks_a_missed_gathering(
    client, coordinator, world, network
):
    client.force_login(coordinator)
    response = client.get(reverse("reports:network_reports", args=[network.pk]))
    page = " ".join(response.content.decode().split())
    assert "2 av 2 samlinger med minst ett medlem" in page
    assert "1 av 2 samlinger med minst ett medlem</span> <span" in page
    assert "Ikke møtt: Samling 2" in page
    assert "avtalen forplikter teamet til å delta på alle tre" in page


def test_the_team_page_shows_the_teams_attendance(client, world):
    client.force_login(world["leader"])
    page = " ".join(
        client.get(reverse("teams:team", args=[world["keen"].pk])).content.decode().split()
    )
    assert "Oppmøte" in page and "2 av 2 samlinger med minst ett medlem" in page
    assert "Ikke møtt" not in page
    assert "Avtalen forplikter teamet til å delta på alle tre samlingene." in page


def test_no_gathering_held_yet(client, coordinator, network):
    TeamFactory(network=network)
    gathering(network, 1, status=SessionStatus.PLANNED)
    client.force_login(coordinator)
    page = client.get(reverse("reports:network_reports", args=[network.pk])).content.decode()
    assert "Ingen samling holdt ennå" in page


def test_reading_attendance_takes_the_same_queries_for_more_teams_and_gatherings(world, network):
    with CaptureQueriesContext(connection) as small:
        attendance_by_team(network.pk)
    for number in (5, 6):
        session = gathering(network, number)
        for _ in range(3):
            team = TeamFactory(network=network)
            Attendance.objects.create(session=session, member=TeamMemberFactory(team=team))
    with CaptureQueriesContext(connection) as large:
        result = attendance_by_team(network.pk)
    assert len(result) == 8
    assert len(small) == len(large)
