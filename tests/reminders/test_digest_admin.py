"""The weekly digest in the admin: on or off for the centre, when it next goes out,
each coordinator's preview, and turning it off (and on) for oneself."""

import datetime as dt

import pytest
from django.urls import reverse

from lib.dates import OSLO
from reminders import digest
from reminders.models import ReminderKind, ReminderOptOut
from reports.services import propose_report_periods
from sessions_app.services import propose_timeline
from tests.factories import CoordinatorFactory, NetworkFactory, TeamFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:reminders_weeklydigest_changelist")


def test_the_next_digest_is_next_monday_at_seven(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 2, 12, tzinfo=OSLO))  # a Wednesday
    assert digest.next_digest_at() == dt.datetime(2026, 12, 7, 7, tzinfo=OSLO)
    time_machine.move_to(dt.datetime(2026, 12, 7, 6, 59, tzinfo=OSLO))  # Monday, before
    assert digest.next_digest_at() == dt.datetime(2026, 12, 7, 7, tzinfo=OSLO)


def test_the_page_shows_the_state_the_next_time_and_each_coordinators_preview(
    client, coordinator, centre, time_machine
):
    time_machine.move_to(dt.datetime(2026, 12, 2, 12, tzinfo=OSLO))
    network = NetworkFactory(centre=centre, title="Læringsnettverk fall")
    team = TeamFactory(network=network, unit="Leknes sykehjem")
    propose_timeline(network)
    propose_report_periods(network)
    colleague = CoordinatorFactory(centre=centre, person__name="Per Kollega").person
    colleague.email = "per@usht.no"
    colleague.save()
    client.force_login(coordinator)
    page = " ".join(client.get(URL).content.decode().split())
    assert "Neste oversikt: mandag 7. desember 2026 07:00" in page
    assert "<strong>På</strong>" in page
    assert "Per Kollega &lt;per@usht.no&gt;" in page
    assert coordinator.person.name in page
    # The preview is the e-mail as it would be sent: the overdue first report.
    assert "Forfalte statusrapporter:" in page
    assert str(team) in page
    assert page.count('class="digest-preview"') == 2


def test_a_centre_with_no_active_network_gets_no_digest(client, coordinator):
    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    assert "<strong>Av</strong>" in page and "ingen oversikt sendes" in page
    assert "digest-preview" not in page


def test_a_coordinator_turns_it_off_and_on_for_themselves(client, coordinator, centre):
    NetworkFactory(centre=centre)
    client.force_login(coordinator)
    response = client.post(URL, {"digest": "off"}, follow=True)
    assert "Du får ikke lenger den ukentlige oversikten." in response.content.decode()
    person = coordinator.person
    assert ReminderOptOut.objects.filter(person=person, kind=ReminderKind.DIGEST).exists()
    assert "Har slått av oversikten." in response.content.decode()
    response = client.post(URL, {"digest": "on"}, follow=True)
    assert "Du får den ukentlige oversikten igjen." in response.content.decode()
    assert not ReminderOptOut.objects.filter(person=person).exists()


def test_access(client, coordinator, outsider, centre, other_centre):
    NetworkFactory(centre=centre, title="Vårt nettverk")
    NetworkFactory(centre=other_centre, title="Deres nettverk")
    client.force_login(outsider)
    page = client.get(URL).content.decode()
    assert centre.name not in page and other_centre.name in page
    leader = TeamFactory(network=NetworkFactory(centre=centre))
    from tests.factories import TeamMemberFactory, UserFactory

    member = TeamMemberFactory(team=leader, person__user=UserFactory()).person.user
    client.force_login(member)
    assert client.get(URL).status_code in (302, 403)
