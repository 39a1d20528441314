"""Sending: at most once, retries with backoff, rescheduling and cancelling."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django_scopes import scopes_disabled
from icalendar import Calendar

from lib.dates import OSLO
from lib.emails import message_id
from reminders import planning
from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.sending import backoff, sweep
from sessions_app.models import SessionStatus
from teams.models import Role
from tests.factories import SessionFactory, TeamMemberFactory
from tests.smtp import smtp_server

START = dt.datetime(2027, 1, 12, 9, 0, tzinfo=OSLO)


@pytest.fixture
def gathering(team, time_machine):
    time_machine.move_to(START - dt.timedelta(days=20))
    TeamMemberFactory(team=team, role=Role.TEAM_LEADER, person__email="kari@kommune.no")
    TeamMemberFactory(team=team, person__email="ola@kommune.no")
    return SessionFactory(
        network=team.network,
        kind="gathering",
        number=2,
        place="Leknes",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=6),
    )


def calendar_part(message):
    (part,) = [a.content for a in message.alternatives if a.mimetype.startswith("text/calendar")]
    return part


def pending(session):
    return sorted(
        (r.recipient_email, r.due_at.astimezone(OSLO))
        for r in session.reminders.filter(state=ReminderState.PENDING)
    )


@pytest.mark.django_db
def test_a_session_plans_14_and_2_days_before_for_each_member(gathering):
    assert pending(gathering) == [
        ("kari@kommune.no", dt.datetime(2026, 12, 29, 8, tzinfo=OSLO)),
        ("kari@kommune.no", dt.datetime(2027, 1, 10, 8, tzinfo=OSLO)),
        ("ola@kommune.no", dt.datetime(2026, 12, 29, 8, tzinfo=OSLO)),
        ("ola@kommune.no", dt.datetime(2027, 1, 10, 8, tzinfo=OSLO)),
    ]


@pytest.mark.django_db
def test_moving_a_session_moves_its_pending_reminders(gathering):
    gathering.starts_at += dt.timedelta(days=7)
    gathering.ends_at += dt.timedelta(days=7)
    gathering.save()
    assert {due.date() for _email, due in pending(gathering)} == {
        dt.date(2027, 1, 5),
        dt.date(2027, 1, 17),
    }
    assert Reminder.objects.count() == 4


@pytest.mark.django_db
def test_cancelling_a_session_cancels_them(gathering):
    gathering.status = SessionStatus.CANCELLED
    gathering.save()
    assert pending(gathering) == []
    assert gathering.reminders.filter(state=ReminderState.CANCELLED).count() == 4


@pytest.mark.django_db
def test_a_member_added_late_gets_only_what_is_still_ahead(gathering, team, time_machine):
    time_machine.move_to(START - dt.timedelta(days=5))
    TeamMemberFactory(team=team, person__email="sen@kommune.no")
    late = [(e, d) for e, d in pending(gathering) if e == "sen@kommune.no"]
    assert late == [("sen@kommune.no", dt.datetime(2027, 1, 10, 8, tzinfo=OSLO))]


@pytest.mark.django_db
def test_sweeping_twice_or_running_the_task_again_sends_once(gathering, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 29, 9, tzinfo=OSLO))
    assert sweep()["sent"] == 2
    assert sweep()["sent"] == 0
    from reminders.tasks import sweep as sweep_task

    sweep_task.delay()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_claimed_reminder_waits_for_its_lease_and_is_then_taken_back(
    gathering, time_machine, settings
):
    """A sweep that died leaves its claim; nobody else sends it while the lease
    holds, and the next sweep after the lease sends it, with the same Message-ID."""
    settings.REMINDER_LEASE_SECONDS = 600
    time_machine.move_to(dt.datetime(2026, 12, 29, 9, tzinfo=OSLO))
    first = gathering.reminders.filter(state=ReminderState.PENDING).order_by("due_at").first()
    Reminder.objects.filter(pk=first.pk).update(
        state=ReminderState.SENDING,
        lease_token="dead-worker",
        lease_until=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=600),
    )
    assert sweep()["sent"] == 1
    assert first.recipient_email not in [m.to[0] for m in mail.outbox]
    time_machine.move_to(dt.datetime(2026, 12, 29, 9, 11, tzinfo=OSLO))
    assert sweep()["sent"] == 1
    first.refresh_from_db()
    assert first.state == ReminderState.SENT
    (message,) = [m for m in mail.outbox if m.to == [first.recipient_email]]
    assert message.extra_headers["Message-ID"] == message_id("reminder", first.key)
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert not Reminder.objects.filter(state=ReminderState.SENDING).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_send_each_reminder_once(gathering, time_machine):
    time_machine.move_to(dt.datetime(2027, 1, 10, 9, tzinfo=OSLO))
    results, barrier = [], threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            with scopes_disabled():  # as the sweep task declares
                results.append(sweep()["sent"])
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 4
    assert len(mail.outbox) == 4
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kari@kommune.no",
        "kari@kommune.no",
        "ola@kommune.no",
        "ola@kommune.no",
    ]


def test_backoff_grows_and_is_capped():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert backoff(12) == dt.timedelta(hours=6)


@pytest.mark.django_db
def test_transient_smtp_errors_are_retried_then_shown_as_failed(
    gathering, time_machine, settings, client, coordinator
):
    with smtp_server() as (server, port):
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        server.fail_next = 1
        time_machine.move_to(dt.datetime(2026, 12, 29, 9, tzinfo=OSLO))
        first = sweep()
        assert (first["sent"], first["retry"]) == (1, 1)
        retried = gathering.reminders.get(
            state=ReminderState.PENDING, due_at__lt=START - dt.timedelta(days=5)
        )
        assert "451" in retried.last_error
        time_machine.move_to(dt.datetime(2026, 12, 29, 9, 6, tzinfo=OSLO))
        assert sweep()["sent"] == 1
        assert len(server.messages) == 2
        assert {m.rcpt_tos[0] for m in server.messages} == {"kari@kommune.no", "ola@kommune.no"}
        body = server.messages[0].content.decode()
        assert "Content-Type: text/calendar" in body

        server.fail_next = 99
        time_machine.move_to(dt.datetime(2027, 1, 10, 9, tzinfo=OSLO))
        for minutes in (0, 6, 17, 40, 90):
            time_machine.move_to(
                dt.datetime(2027, 1, 10, 9, tzinfo=OSLO) + dt.timedelta(minutes=minutes)
            )
            sweep()
    failed = Reminder.objects.filter(state=ReminderState.FAILED)
    assert failed.count() == 2
    assert all(r.attempts == 5 and "451" in r.last_error for r in failed)
    client.force_login(coordinator)
    page = client.get(
        reverse("admin:reminders_reminder_changelist"), {"state__exact": "failed"}
    ).content.decode()
    assert "451" in page and "kari@kommune.no" in page


@pytest.mark.django_db
def test_the_invitation_parses_with_oslo_times_and_a_stable_uid(gathering, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 29, 9, tzinfo=OSLO))
    sweep()
    first = Calendar.from_ical(calendar_part(mail.outbox[0]))
    gathering.starts_at += dt.timedelta(hours=1)
    gathering.ends_at += dt.timedelta(hours=1)
    gathering.save()
    time_machine.move_to(dt.datetime(2027, 1, 10, 9, tzinfo=OSLO))
    sweep()
    second = Calendar.from_ical(calendar_part(mail.outbox[-1]))
    (event_1,), (event_2,) = first.walk("VEVENT"), second.walk("VEVENT")
    assert event_1["UID"] == event_2["UID"]
    assert (event_1["SEQUENCE"], event_2["SEQUENCE"]) == (0, 1)
    start = event_1.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Oslo" and (start.hour, start.minute) == (9, 0)
    assert event_2.decoded("DTSTART").hour == 10
    assert first["METHOD"] == "REQUEST"
    message = mail.outbox[0]
    assert "Påminnelse: Samling 2" in message.subject
    assert "fordi du er invitert" in message.body
    assert message.alternatives[0].mimetype == "text/html"


@pytest.mark.django_db
def test_the_last_gathering_reaches_unit_leaders_and_top_management(team, time_machine):
    time_machine.move_to(START - dt.timedelta(days=20))
    from tests.factories import PersonFactory

    team.unit_leader = PersonFactory(centre=team.network.centre, email="enhet@kommune.no")
    team.save()
    team.agreement.top_manager_email = "topp@kommune.no"
    team.agreement.save()
    TeamMemberFactory(team=team, person__email="ola@kommune.no")
    last = SessionFactory(
        network=team.network,
        kind="gathering",
        number=3,
        starts_at=START,
        ends_at=START + dt.timedelta(hours=6),
        invite_unit_leaders=True,
        invite_top_management=True,
    )
    planning.plan_session(last)
    assert {e for e, _d in pending(last)} == {
        "ola@kommune.no",
        "enhet@kommune.no",
        "topp@kommune.no",
    }
    assert all(r.kind == ReminderKind.GATHERING for r in last.reminders.all())
