"""Invitations that calendars treat as invitations, parsed back with icalendar."""

import datetime as dt
import email

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from lib.dates import OSLO
from reminders.calendar import new_feed_token
from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.sending import sweep
from sessions_app.models import SessionStatus
from teams.models import Role
from tests.factories import SessionFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 1, 12, 9, 0, tzinfo=OSLO)


@pytest.fixture
def gathering(team, coordinator, time_machine):
    coordinator.person.name, coordinator.person.email = "Kari Koordinator", "kari@usht.no"
    coordinator.person.save()
    time_machine.move_to(START - dt.timedelta(days=20))
    TeamMemberFactory(
        team=team, role=Role.TEAM_LEADER, person__name="Liv Leder", person__email="liv@kommune.no"
    )
    TeamMemberFactory(team=team, person__name="Ola Olsen", person__email="ola@kommune.no")
    return SessionFactory(
        network=team.network,
        kind="gathering",
        number=2,
        place="Leknes",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=6),
    )


def calendar_of(message):
    """The text/calendar alternative: what Outlook and Google read."""
    (part,) = [a for a in message.alternatives if a.mimetype.startswith("text/calendar")]
    return part.mimetype, Calendar.from_ical(part.content)


def send_all_due(time_machine, when):
    time_machine.move_to(when)
    return sweep()


def test_a_reminder_is_an_invitation_from_the_centre_to_its_recipient(
    gathering, time_machine, settings
):
    settings.SITE_URL = "https://usht.example.no"
    send_all_due(time_machine, START - dt.timedelta(days=14, hours=-1))
    message = next(m for m in mail.outbox if m.to == ["liv@kommune.no"])
    mimetype, calendar = calendar_of(message)
    assert mimetype == "text/calendar; method=REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:kari@usht.no"
    assert organizer.params["CN"] == f"{gathering.network.centre} (Kari Koordinator)"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:liv@kommune.no" and attendee.params["CN"] == "Liv Leder"
    assert attendee.params["RSVP"] == "FALSE"
    assert str(event["URL"]) == f"https://usht.example.no/tidslinje/{gathering.pk}/"
    # The whole message, as a mail program sees it: automatic, on the site's domain.
    parsed = email.message_from_bytes(message.message().as_bytes())
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Message-ID"].endswith("@usht.example.no>")
    types = [part.get_content_type() for part in parsed.walk()]
    assert "text/calendar" in types and "multipart/alternative" in types


def test_a_session_moved_after_every_reminder_was_sent_sends_an_update(gathering, time_machine):
    send_all_due(time_machine, START - dt.timedelta(days=1))  # both reminders sent
    assert not Reminder.objects.filter(session=gathering, state=ReminderState.PENDING).exists()
    before = len(mail.outbox)
    _, first = calendar_of(mail.outbox[-1])
    old_sequence = first.walk("VEVENT")[0]["SEQUENCE"]

    gathering.starts_at += dt.timedelta(hours=2)
    gathering.ends_at += dt.timedelta(hours=2)
    gathering.save()
    assert sweep()["sent"] == 2
    updates = mail.outbox[before:]
    assert sorted(m.to[0] for m in updates) == ["liv@kommune.no", "ola@kommune.no"]
    for message in updates:
        _, calendar = calendar_of(message)
        (event,) = calendar.walk("VEVENT")
        assert calendar["METHOD"] == "REQUEST"
        assert event["SEQUENCE"] > old_sequence
        assert event.decoded("DTSTART") == START + dt.timedelta(hours=2)
        assert "Tidspunkt eller sted er endret" in message.subject
    # Saving again without a change sends nothing more.
    gathering.agenda = "Ny agenda"
    gathering.save()
    assert sweep()["sent"] == 0


def test_a_cancelled_session_sends_method_cancel_to_everyone_who_had_it(gathering, time_machine):
    send_all_due(time_machine, START - dt.timedelta(days=13))  # the 14-day reminders
    sent_to = set(
        Reminder.objects.filter(session=gathering, state=ReminderState.SENT).values_list(
            "recipient_email", flat=True
        )
    )
    before = len(mail.outbox)
    gathering.status = SessionStatus.CANCELLED
    gathering.save()
    # The 2-day reminders still pending are cancelled; the cancellations go out.
    assert sweep()["sent"] == len(sent_to) == 2
    for message in mail.outbox[before:]:
        mimetype, calendar = calendar_of(message)
        assert mimetype == "text/calendar; method=CANCEL"
        (event,) = calendar.walk("VEVENT")
        assert event["STATUS"] == "CANCELLED"
    assert not Reminder.objects.filter(session=gathering, state=ReminderState.PENDING).exists()
    assert Reminder.objects.filter(kind=ReminderKind.SESSION_CANCELLED).count() == 2


def test_the_feed_keeps_dtstamp_until_the_event_changes(client, gathering, time_machine):
    member = gathering.network.teams.first().members.first()
    token = new_feed_token(member.person)

    def stamps():
        content = client.get(reverse("reminders:feed", args=[token])).content
        calendar = Calendar.from_ical(content)
        return calendar, {str(e["UID"]): e.decoded("DTSTAMP") for e in calendar.walk("VEVENT")}

    calendar, first = stamps()
    assert "METHOD" not in calendar
    assert calendar["X-PUBLISHED-TTL"] == "PT1H"
    assert calendar.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=1)
    time_machine.move_to(START - dt.timedelta(days=10))
    assert stamps()[1] == first  # a later download changes nothing
    gathering.place = "Svolvær"
    gathering.save()
    _, moved = stamps()
    uid = f"session-{gathering.pk}@usht-laeringsnettverk"
    assert moved[uid] > first[uid]


def test_a_phone_conference_is_called_a_phone_conference(team, time_machine):
    time_machine.move_to(START - dt.timedelta(days=5))
    TeamMemberFactory(team=team, person__email="ola@kommune.no")
    SessionFactory(
        network=team.network,
        kind="phone_conference",
        number=1,
        starts_at=START,
        ends_at=START + dt.timedelta(hours=1),
        dial_in="Tlf. 22 00 00 00, PIN 1234",
    )
    send_all_due(time_machine, START - dt.timedelta(days=1, hours=-1))
    (message,) = mail.outbox
    assert "telefonkonferansen" in message.body
    assert "samlingen" not in message.body


def test_a_reminder_can_be_turned_off_from_the_mail_program_and_the_settings_page(
    client, gathering, time_machine, settings
):
    settings.SITE_URL = "https://usht.example.no"
    send_all_due(time_machine, START - dt.timedelta(days=14, hours=-1))
    message = next(m for m in mail.outbox if m.to == ["ola@kommune.no"])
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://usht.example.no/kalender/avmeld/")
    assert "https://usht.example.no/kalender/" in message.body  # the settings page
    path = link.removeprefix("https://usht.example.no")
    asked = client.get(path).content.decode()  # a GET only asks
    assert "Skru av disse påminnelsene" in asked
    person = gathering.network.teams.first().members.get(person__email="ola@kommune.no").person
    assert not person.reminder_opt_outs.exists()
    # What a mail program sends (RFC 8058): a POST without a CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    done = csrf_client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Du får ikke flere" in done.content.decode()
    assert list(person.reminder_opt_outs.values_list("kind", flat=True)) == ["gathering"]

    # The 2-day reminder goes to Liv, not to Ola.
    before = len(mail.outbox)
    send_all_due(time_machine, START - dt.timedelta(days=2, hours=-1))
    assert [m.to for m in mail.outbox[before:]] == [["liv@kommune.no"]]
    skipped = Reminder.objects.get(
        session=gathering, recipient_email="ola@kommune.no", state=ReminderState.CANCELLED
    )
    assert skipped.kind == ReminderKind.GATHERING
    # A moved session is news that always comes.
    gathering.place = "Svolvær"
    gathering.save()
    sweep()
    assert ["ola@kommune.no"] in [m.to for m in mail.outbox]
    assert client.get("/kalender/avmeld/forfalsket/").status_code == 404
