"""A coordinator adding members to a network that starts months from now chooses
when the "choose your password" e-mails go out: now, or when the network starts (a
planned row that the sweep sends once, not a countdown in memory)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from lib.dates import OSLO
from teams import services
from teams.models import PlannedInvitation
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def team_form(team, person, **extra):
    return {
        "network": team.network.pk,
        "municipality": team.municipality.pk,
        "unit": team.unit,
        "name": "",
        "focus_area": team.focus_area.pk,
        "aim": "",
        "progress_plan": "",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-person": person.pk,
        "members-0-role": "member",
        "members-0-profession": "nurse",
        **extra,
    }


@pytest.fixture
def later(team, time_machine):
    time_machine.move_to(dt.datetime(2026, 5, 4, 12, tzinfo=OSLO))  # the network starts 1.9.
    return PersonFactory(centre=team.network.centre, name="Nina Ny", email="nina@kommune.no")


def test_the_email_waits_for_the_networks_start_and_is_then_sent_once(
    client, coordinator, team, later, django_capture_on_commit_callbacks, time_machine
):
    client.force_login(coordinator)
    page = client.get(reverse("admin:teams_team_change", args=[team.pk])).content.decode()
    assert "Når nettverket starter (klokken 8 om morgenen)" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:teams_team_change", args=[team.pk]),
            team_form(team, later, send_invitations="start"),
            follow=True,
        )
    assert "Nina Ny får e-posten om å velge passord 1. september 2026." in (
        response.content.decode()
    )
    assert mail.outbox == []
    planned = PlannedInvitation.objects.get()
    assert planned.due_at == dt.datetime(2026, 9, 1, 8, tzinfo=OSLO)
    later.refresh_from_db()
    assert later.user_id is None  # no login made before it is sent
    # Not yet due: nothing.
    assert services.send_due_invitations(site_url="https://usht.example.no") == 0
    time_machine.move_to(dt.datetime(2026, 9, 1, 8, 1, tzinfo=OSLO))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_invitations(site_url="https://usht.example.no") == 1
        assert services.send_due_invitations(site_url="https://usht.example.no") == 0
    (message,) = mail.outbox
    assert message.to == ["nina@kommune.no"]
    assert "https://usht.example.no/konto/nytt-passord/" in message.body
    assert PlannedInvitation.objects.get().sent_at is not None


def test_now_sends_at_once(client, coordinator, team, later, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:teams_team_change", args=[team.pk]),
            team_form(team, later, send_invitations="now"),
        )
    assert [m.to for m in mail.outbox] == [["nina@kommune.no"]]
    assert not PlannedInvitation.objects.exists()


def test_the_task_sends_what_is_due(team, later, time_machine, django_capture_on_commit_callbacks):
    from teams.tasks import send_due_invitations

    services.plan_invitation(later, dt.datetime(2026, 5, 4, 11, tzinfo=OSLO))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_invitations.delay().get() == 1
    assert mail.outbox[-1].to == ["nina@kommune.no"]


def test_a_person_with_a_login_gets_no_planned_invitation(team):
    person = PersonFactory(centre=team.network.centre, user=UserFactory())
    assert services.plan_invitation(person, dt.datetime(2026, 9, 1, tzinfo=OSLO)) is None


def test_a_running_network_offers_no_choice(client, coordinator, team, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 1, 12, tzinfo=OSLO))  # started 1.9.
    client.force_login(coordinator)
    page = client.get(reverse("admin:teams_team_change", args=[team.pk])).content.decode()
    assert "Når nettverket starter" not in page
