import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from lib.dates import OSLO
from network.models import NetworkStatus
from reminders.calendar import new_feed_token
from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.sending import sweep
from reminders.tasks import carry_timeline, weekly_digest
from reports.services import propose_report_periods
from sessions_app.models import SessionKind, SessionStatus
from sessions_app.services import propose_timeline, record_status
from teams.models import Role
from tests.factories import NetworkFactory, SessionFactory, TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def test_the_follow_up_call_is_created_six_months_after_the_end(coordinator, centre, time_machine):
    coordinator.person.email = "koordinator@usht.no"
    coordinator.person.save()
    time_machine.move_to(dt.datetime(2027, 6, 2, 12, tzinfo=OSLO))
    network = NetworkFactory(
        centre=centre,
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2027, 6, 1),
        status=NetworkStatus.RUNNING,
    )
    result = carry_timeline.delay().get()
    assert result["ended"] == 1 and result["follow_ups"] == 1
    follow_up = network.sessions.get(kind=SessionKind.FOLLOW_UP)
    assert follow_up.starts_at == dt.datetime(2027, 12, 2, 13, tzinfo=OSLO)
    assert carry_timeline.delay().get()["follow_ups"] == 0  # never twice
    assert network.sessions.filter(kind=SessionKind.FOLLOW_UP).count() == 1

    sweep()
    message = mail.outbox[-1]
    assert message.to == ["koordinator@usht.no"]
    assert "Bekreft tidspunktet for oppfølgingssamtalen" in message.subject
    assert f"/admin/sessions_app/session/{follow_up.pk}/change/" in message.body
    assert "text/calendar; method=REQUEST" in [part.mimetype for part in message.alternatives]

    follow_up.status = SessionStatus.HELD
    follow_up.save()
    record_status(follow_up)
    network.refresh_from_db()
    assert network.status == NetworkStatus.FOLLOWED_UP


def test_an_existing_follow_up_is_kept(centre, time_machine):
    time_machine.move_to(dt.datetime(2027, 6, 2, 12, tzinfo=OSLO))
    network = NetworkFactory(centre=centre, status=NetworkStatus.RUNNING)
    propose_timeline(network)
    planned = network.sessions.get(kind=SessionKind.FOLLOW_UP)
    assert carry_timeline.delay().get()["follow_ups"] == 0
    assert list(network.sessions.filter(kind=SessionKind.FOLLOW_UP)) == [planned]


def test_the_private_calendar_feed(client, team, time_machine):
    time_machine.move_to(dt.datetime(2026, 8, 1, 12, tzinfo=OSLO))
    member = TeamMemberFactory(team=team, role=Role.TEAM_LEADER)
    propose_timeline(team.network)
    other = TeamFactory()
    SessionFactory(network=other.network, title="Annet nettverks samling")
    token = new_feed_token(member.person)
    response = client.get(reverse("reminders:feed", args=[token]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 8
    summaries = " ".join(str(e["SUMMARY"]) for e in events)
    assert "Samling 3" in summaries and "Annet nettverks" not in summaries
    first = min(e.decoded("DTSTART") for e in events)
    assert first == dt.datetime(2026, 9, 1, 9, tzinfo=OSLO)

    new_token = new_feed_token(member.person)  # renewing revokes the old address
    assert client.get(reverse("reminders:feed", args=[token])).status_code == 404
    assert client.get(reverse("reminders:feed", args=[new_token])).status_code == 200
    assert client.get(reverse("reminders:feed", args=["gjettet"])).status_code == 404


def test_the_calendar_page_shows_a_new_address_once(client, team):
    member = TeamMemberFactory(team=team)
    from tests.factories import UserFactory

    member.person.user = UserFactory()
    member.person.save()
    client.force_login(member.person.user)
    page = client.post(reverse("reminders:calendar"), {"new": "1"}, follow=True).content.decode()
    assert "/kalender/" in page and ".ics" in page
    again = client.get(reverse("reminders:calendar")).content.decode()
    assert ".ics" not in again and "Lag en ny adresse" in again
    client.post(reverse("reminders:calendar"), {"revoke": "1"})
    assert not hasattr(type(member.person).objects.get(pk=member.person.pk), "calendar_feed")


def test_the_weekly_digest(coordinator, centre, time_machine):
    coordinator.person.email = "koordinator@usht.no"
    coordinator.person.save()
    time_machine.move_to(dt.datetime(2026, 12, 7, 7, tzinfo=OSLO))
    network = NetworkFactory(centre=centre, status=NetworkStatus.RUNNING)
    propose_timeline(network)
    propose_report_periods(network)
    TeamFactory(network=network, unit="Leknes sykehjem")
    assert weekly_digest.delay().get() == 1
    assert weekly_digest.delay().get() == 0  # once a week
    message = mail.outbox[-1]
    assert message.to == ["koordinator@usht.no"]
    assert "Forfalte statusrapporter" in message.body
    assert "Leknes sykehjem" in message.body
    assert Reminder.objects.get(kind=ReminderKind.DIGEST).state == ReminderState.SENT
