"""A report already overdue when its network is set up or changed gets its overdue
reminders planned: the series starts from the next reminder still ahead."""

import datetime as dt

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from lib.dates import OSLO
from reminders import planning
from reminders.models import Reminder, ReminderKind, ReminderState
from reports.models import ReportPeriod, ReportStatus
from teams.models import Role
from tests.factories import TeamMemberFactory

pytestmark = pytest.mark.django_db

DUE = dt.date(2026, 11, 24)


def overdue(team):
    return sorted(
        (r.number, r.due_at.astimezone(OSLO), r.recipient_email, bool(r.copy_to))
        for r in Reminder.objects.filter(
            team=team, kind=ReminderKind.REPORT_OVERDUE, state=ReminderState.PENDING
        )
    )


@pytest.fixture
def leader(team, coordinator):
    return TeamMemberFactory(team=team, role=Role.TEAM_LEADER, person__email="kari@kommune.no")


def test_a_period_made_ten_days_after_its_due_date_plans_the_next_overdue_reminder(
    team, leader, time_machine
):
    time_machine.move_to(dt.datetime(2026, 12, 4, 12, tzinfo=OSLO))  # due + 10 days
    ReportPeriod.objects.create(
        network=team.network, number=1, title="Rapport 1", starts_on=DUE, due_on=DUE
    )
    # Every 3 days: the 1st (27.11) to the 3rd (3.12) are past; the 4th is ahead,
    # with the coordinator copied, as the 4th of a series always is.
    assert overdue(team) == [(4, dt.datetime(2026, 12, 6, 8, tzinfo=OSLO), "kari@kommune.no", True)]


def test_changing_the_network_plans_a_report_that_had_none(team, leader, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 4, 12, tzinfo=OSLO))
    period = ReportPeriod.objects.create(
        network=team.network, number=1, title="Rapport 1", starts_on=DUE, due_on=DUE
    )
    Reminder.objects.filter(period=period).delete()  # as before this was planned
    team.network.title = "Nytt navn"
    team.network.save()
    assert [n for n, *_ in overdue(team)] == [4]


def test_new_reminder_settings_move_the_overdue_reminder(team, leader, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 4, 12, tzinfo=OSLO))
    ReportPeriod.objects.create(
        network=team.network, number=1, title="Rapport 1", starts_on=DUE, due_on=DUE
    )
    settings = planning.settings_for(team.network)
    settings.overdue_every_days = 7
    settings.save()
    # Every 7 days: 1.12 is past, 8.12 is next.
    assert overdue(team) == [(2, dt.datetime(2026, 12, 8, 8, tzinfo=OSLO), "kari@kommune.no", True)]


def test_a_pending_reminder_the_sweep_has_not_reached_yet_is_kept(team, leader, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 26, 12, tzinfo=OSLO))
    period = ReportPeriod.objects.create(
        network=team.network, number=1, title="Rapport 1", starts_on=DUE, due_on=DUE
    )
    assert [n for n, *_ in overdue(team)] == [1]
    # The due time passes while the sweep is behind: re-planning keeps the row for it.
    time_machine.move_to(dt.datetime(2026, 11, 27, 8, 30, tzinfo=OSLO))
    planning.plan_period(period)
    assert [n for n, *_ in overdue(team)] == [1]


def test_the_demos_overdue_first_period_has_overdue_reminders(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 2, 12, tzinfo=OSLO))
    call_command("seed_demo", verbosity=0)
    with scopes_disabled():
        first = ReportPeriod.objects.get(
            network__title__startswith="Læringsnettverk fall", number=1
        )
        assert first.due_on < dt.date(2026, 12, 2)
        rows = Reminder.objects.filter(
            period=first, kind=ReminderKind.REPORT_OVERDUE, state=ReminderState.PENDING
        )
        # The demo's other teams have submitted their first report (the progress
        # scores); the team still without one gets the overdue series.
        waiting = first.network.teams.exclude(
            status_reports__period=first, status_reports__status=ReportStatus.SUBMITTED
        )
        assert waiting.count() >= 1
        assert sorted(rows.values_list("team_id", flat=True)) == sorted(
            waiting.values_list("pk", flat=True)
        )
        assert all(r.due_at > dt.datetime(2026, 12, 2, 12, tzinfo=OSLO) for r in rows)
