import datetime as dt

import pytest

from network.models import NetworkKind, NetworkStatus
from network.services import advance_statuses, appoint_coordinator
from reminders.tasks import carry_timeline
from tests.factories import NetworkFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_statuses_follow_the_calendar_and_a_second_run_changes_nothing():
    upcoming = NetworkFactory(start_date=dt.date(2027, 9, 1), end_date=dt.date(2028, 6, 1))
    started = NetworkFactory(
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2027, 6, 1),
        status=NetworkStatus.RECRUITING,
    )
    finished = NetworkFactory(
        start_date=dt.date(2025, 9, 1), end_date=dt.date(2026, 6, 1), status=NetworkStatus.RUNNING
    )
    ongoing = NetworkFactory(
        kind=NetworkKind.IMPROVEMENT, start_date=dt.date(2024, 1, 15), end_date=None
    )
    followed_up = NetworkFactory(
        start_date=dt.date(2024, 9, 1),
        end_date=dt.date(2025, 6, 1),
        status=NetworkStatus.FOLLOWED_UP,
    )

    assert advance_statuses(dt.date(2026, 11, 22)) == {"running": 2, "ended": 1}
    assert advance_statuses(dt.date(2026, 11, 22)) == {"running": 0, "ended": 0}

    statuses = {
        n.pk: n.status
        for n in type(upcoming).objects.filter(
            pk__in=[upcoming.pk, started.pk, finished.pk, ongoing.pk, followed_up.pk]
        )
    }
    assert statuses == {
        upcoming.pk: NetworkStatus.PLANNED,
        started.pk: NetworkStatus.RUNNING,
        finished.pk: NetworkStatus.ENDED,
        ongoing.pk: NetworkStatus.RUNNING,
        followed_up.pk: NetworkStatus.FOLLOWED_UP,
    }


def test_the_beat_task_uses_todays_date(time_machine):
    time_machine.move_to(dt.datetime(2027, 6, 2, 12, 0, tzinfo=dt.UTC))
    network = NetworkFactory(
        start_date=dt.date(2026, 9, 1), end_date=dt.date(2027, 6, 1), status=NetworkStatus.RUNNING
    )
    carry_timeline.delay()
    network.refresh_from_db()
    assert network.status == NetworkStatus.ENDED


def test_appointing_a_coordinator_opens_the_admin_to_them_once():
    person = PersonFactory(user=UserFactory(is_staff=False))
    first = appoint_coordinator(person)
    second = appoint_coordinator(person)
    person.user.refresh_from_db()
    assert first == second
    assert person.user.is_staff
