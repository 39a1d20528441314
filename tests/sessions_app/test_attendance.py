"""Attendance as a checklist of the invited teams' members, by team, with "Hele
teamet møtte"; only people invited to the session can be marked."""

import threading

import pytest
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled

from sessions_app.models import Attendance
from sessions_app.services import AttendanceError, record_attendance
from teams.models import Role
from tests.factories import PersonFactory, SessionFactory, TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(network, centre):
    first = TeamFactory(network=network, unit="Avdeling A")
    second = TeamFactory(network=network, unit="Avdeling B")
    outside = TeamFactory(network=network, unit="Avdeling C")
    for team, names in ((first, ["Kari", "Ola"]), (second, ["Per", "Pål"]), (outside, ["Espen"])):
        for index, name in enumerate(names):
            TeamMemberFactory(
                team=team,
                person=PersonFactory(centre=centre, name=f"{name} Nordmann"),
                role=Role.TEAM_LEADER if index == 0 else Role.MEMBER,
            )
    return first, second, outside


@pytest.fixture
def session(network, teams):
    session = SessionFactory(network=network, number=1)
    session.invited_teams.set(teams[:2])
    return session


def url(session):
    return reverse("admin:sessions_app_session_attendance", args=[session.pk])


def present(session):
    return sorted(
        a.member.person.name for a in Attendance.objects.filter(session=session, present=True)
    )


def test_the_checklist_lists_the_invited_teams_members_by_team(client, coordinator, session, teams):
    client.force_login(coordinator)
    page = client.get(url(session)).content.decode()
    assert f"<legend><h2>{teams[0]}</h2></legend>" in page
    assert f"<legend><h2>{teams[1]}</h2></legend>" in page
    assert page.count("Hele teamet møtte</label>") == 2
    for name in ("Kari", "Ola", "Per", "Pål"):
        assert f"{name} Nordmann" in page
    assert "Espen Nordmann" not in page and str(teams[2]) not in page
    assert "js/attendance.js" in page  # ticks a team's boxes; the server does it too
    assert page.index("Kari Nordmann") < page.index("Ola Nordmann") < page.index("Per Nordmann")


def test_the_whole_team_box_marks_every_member_and_the_rest_are_absent(
    client, coordinator, session, teams
):
    client.force_login(coordinator)
    per = teams[1].members.get(person__name="Per Nordmann")
    response = client.post(url(session), {"team": [teams[0].pk], "member": [per.pk]}, follow=True)
    assert "Oppmøtet på Samling 1 er lagret: 3 av 4 til stede." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "admin:network_network_change", args=[session.network_id]
    )
    assert present(session) == ["Kari Nordmann", "Ola Nordmann", "Per Nordmann"]
    assert Attendance.objects.filter(session=session, present=False).count() == 1
    # Shown again: the ticks stand, the complete team's box is ticked.
    page = client.get(url(session)).content.decode()
    box = f'value="{teams[0].pk}" id="team-{teams[0].pk}" data-team-box="{teams[0].pk}"'
    assert f"{box} checked" in page
    assert f'id="team-{teams[1].pk}" data-team-box="{teams[1].pk}">' in page
    # Saved again with fewer ticks: the rows change, none is added twice.
    client.post(url(session), {"member": [per.pk]})
    assert present(session) == ["Per Nordmann"]
    assert Attendance.objects.filter(session=session).count() == 4


def test_someone_not_invited_is_refused_and_nothing_is_saved(client, coordinator, session, teams):
    client.force_login(coordinator)
    kari = teams[0].members.get(person__name="Kari Nordmann")
    espen = teams[2].members.get()
    response = client.post(url(session), {"member": [kari.pk, espen.pk]})
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Bare medlemmer av teamene som er invitert til Samling 1, kan føres som til stede; "
        "Espen Nordmann er ikke invitert. Ingenting ble lagret."
    ) in page
    assert not Attendance.objects.filter(session=session).exists()
    # What was ticked is shown ticked again.
    assert f'value="{kari.pk}" id="member-{kari.pk}" data-member-of="{teams[0].pk}" checked' in page
    with pytest.raises(AttendanceError):
        record_attendance(session, [], [teams[2].pk])  # nor a team that is not invited
    assert not Attendance.objects.filter(session=session).exists()


def test_a_session_that_names_no_team_invites_every_team_of_its_network(
    client, coordinator, network, teams
):
    session = SessionFactory(network=network, number=2)
    record_attendance(session, [], [team.pk for team in teams])
    assert len(present(session)) == 5
    other = TeamMemberFactory()  # another network's member
    with pytest.raises(AttendanceError):
        record_attendance(session, [other.pk])


def test_bad_input_is_refused_with_a_message(client, coordinator, session):
    client.force_login(coordinator)
    response = client.post(url(session), {"member": ["abc"]})
    assert response.status_code == 400
    assert "Valget ble ikke forstått; kryss av på nytt." in response.content.decode()
    response = client.post(url(session), {"member": ["99999999999999"]})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_outsiders_get_404_and_other_roles_403(client, outsider, session, django_user_model):
    client.force_login(outsider)
    assert client.get(url(session)).status_code == 404
    assert client.post(url(session), {"member": []}).status_code == 404
    staff = django_user_model.objects.create_user("staff@example.no", "pw", is_staff=True)
    client.force_login(staff)
    assert client.get(url(session)).status_code == 403
    assert not Attendance.objects.exists()


def test_the_session_page_links_to_the_checklist(client, coordinator, session):
    client.force_login(coordinator)
    page = client.get(
        reverse("admin:sessions_app_session_change", args=[session.pk])
    ).content.decode()
    assert f'href="{url(session)}">Registrer oppmøte</a>' in page
    assert 'name="attendance-' not in page  # not an inline of pickers any more


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_coordinators_saving_at_once_are_taken_in_turn(session, teams):
    """Without the session's row lock both would insert the same rows, and the second
    would fail on the unique (session, member); with it, the last save stands."""
    barrier, errors = threading.Barrier(2), []

    def run(team):
        barrier.wait()
        try:
            with scopes_disabled():
                record_attendance(session, [], [team.pk])
        except Exception as error:  # pragma: no cover - shown in the assert
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(team,)) for team in teams[:2]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = Attendance.objects.filter(session=session)
    assert rows.count() == 4  # one row per invited member, whoever saved last
    assert rows.filter(present=True).count() == 2
