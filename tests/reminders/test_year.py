"""A whole network year with the clock moving: every reminder, sent once, on time."""

import datetime as dt
from collections import Counter

import pytest
from django.core import mail

from agreements import services as agreements
from lib.dates import OSLO
from lib.tokens import sha256_hex
from reminders.models import Reminder, ReminderKind, ReminderState
from reminders.sending import sweep
from reports.models import StatusReport
from reports.services import propose_report_periods, save_draft, submit
from sessions_app.services import propose_timeline
from teams.models import Role
from tests.factories import (
    CoordinatorFactory,
    NetworkFactory,
    PersonFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def at(day, hour=9):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=OSLO)


def walk(time_machine, start, end, events=None):
    """Move the clock a day at a time, sweeping at 09:00; run events on their day."""
    events = events or {}
    day = start
    while day <= end:
        time_machine.move_to(at(day))
        if day in events:
            events[day]()
        sweep()
        day += dt.timedelta(days=1)


def test_a_network_year(time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to(at(dt.date(2026, 7, 25), 8))
    coordinator = CoordinatorFactory(person__email="koordinator@usht.no")
    centre = coordinator.centre
    network = NetworkFactory(
        centre=centre, start_date=dt.date(2026, 9, 1), end_date=dt.date(2027, 6, 1)
    )
    unit_leader = PersonFactory(centre=centre, email="enhet@kommune.no")
    team = TeamFactory(network=network, unit_leader=unit_leader)
    leader = TeamMemberFactory(
        team=team,
        role=Role.TEAM_LEADER,
        person__email="leder@k.no",
        person__user=UserFactory(email="leder@k.no"),
    ).person.user
    TeamMemberFactory(team=team, role=Role.MEMBER, person__email="medlem@k.no")
    propose_timeline(network)
    propose_report_periods(network)
    with django_capture_on_commit_callbacks(execute=True):
        token = agreements.send(team.agreement)

    def sign():
        agreements.sign(
            token,
            signer_name="Enhet Leder",
            signer_title="Enhetsleder",
            top_manager_name="Topp Leder",
            top_manager_email="topp@kommune.no",
            shown_sha256=sha256_hex(agreements.render_document(team.agreement)),
            ip="127.0.0.1",
            user_agent="test",
        )

    def submit_report(number):
        def run():
            period = network.report_periods.get(number=number)
            report = StatusReport.objects.get_or_create(team=team, period=period)[0]
            save_draft(report, cycles=[], what_worked="x", challenges="y", next_steps="z")
            submit(report, user=leader)

        return run

    outbox_before = len(mail.outbox)
    walk(
        time_machine,
        dt.date(2026, 7, 26),
        dt.date(2027, 12, 31),
        events={
            dt.date(2026, 8, 20): sign,
            dt.date(2026, 12, 5): submit_report(1),
            dt.date(2027, 3, 1): submit_report(2),
        },
    )

    sent = Reminder.objects.filter(state=ReminderState.SENT)
    by_kind = Counter(sent.values_list("kind", flat=True))
    # Gatherings: 2 members x 2 reminders x 3 gatherings, plus the unit leader and the
    # top-management attendee for gathering 3; calls: 2 members x 5 calls (incl. follow-up).
    assert by_kind[ReminderKind.GATHERING] == 2 * 2 * 3 + 2 * 2
    assert by_kind[ReminderKind.CALL] == 2 * 5
    assert sorted(sent.filter(kind=ReminderKind.AGREEMENT).values_list("due_at", flat=True)) == [
        at(dt.date(2026, 8, 11), 8),
        at(dt.date(2026, 8, 18), 8),
    ]
    report_dates = sorted(
        (r.due_at.astimezone(OSLO).date(), r.kind, r.copy_to) for r in sent.filter(period__number=1)
    )
    assert report_dates == [
        (dt.date(2026, 11, 17), ReminderKind.REPORT_DUE, ""),
        (dt.date(2026, 11, 24), ReminderKind.REPORT_DUE, ""),
        (dt.date(2026, 11, 27), ReminderKind.REPORT_OVERDUE, ""),
        (dt.date(2026, 11, 30), ReminderKind.REPORT_OVERDUE, "koordinator@usht.no"),
        (dt.date(2026, 12, 3), ReminderKind.REPORT_OVERDUE, "koordinator@usht.no"),
    ]
    assert not sent.filter(period__number=2).exists()  # submitted a week early
    assert sent.filter(recipient_email="topp@kommune.no").count() == 2
    # Every reminder was sent on its day, and exactly once.
    for reminder in sent:
        assert reminder.sent_at.astimezone(OSLO).date() == reminder.due_at.astimezone(OSLO).date()
    assert sent.count() == len(mail.outbox) - outbox_before
    assert Reminder.objects.filter(state=ReminderState.PENDING).count() == 0
    assert not Reminder.objects.filter(state=ReminderState.FAILED).exists()
