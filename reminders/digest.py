"""The weekly digest to each coordinator: what is due, overdue and unsigned."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agreements.models import OPEN_STATES, Agreement, AgreementStatus
from lib.dates import at_oslo
from network.models import Coordinator, Network, NetworkStatus
from reminders.models import Reminder, ReminderKind
from reports.services import overview

ACTIVE = (NetworkStatus.PLANNED, NetworkStatus.RECRUITING, NetworkStatus.RUNNING)


def next_digest_at(now: dt.datetime | None = None) -> dt.datetime | None:
    """When beat next plans the digests (``weekly-digest`` in CELERY_BEAT_SCHEDULE,
    a crontab in Oslo time); the sweep sends them within the minute."""
    entry = settings.CELERY_BEAT_SCHEDULE.get("weekly-digest")
    if entry is None:
        return None
    schedule = entry["schedule"]
    now = timezone.localtime(now or timezone.now())
    for days in range(8):
        day = now.date() + dt.timedelta(days=days)
        # crontab's day_of_week counts from Sunday (0); isoweekday() from Monday (1).
        if day.isoweekday() % 7 not in schedule.day_of_week:
            continue
        for hour in sorted(schedule.hour):
            for minute in sorted(schedule.minute):
                moment = at_oslo(day, dt.time(hour, minute))
                if moment > now:
                    return moment
    return None


def digest_network(centre_id: int) -> Network | None:
    """The network a centre's digest is filed under: none when the centre has no
    active network, and then no digest goes out."""
    return Network.objects.filter(centre=centre_id, status__in=ACTIVE).first()


@transaction.atomic
def plan_digests(now=None) -> int:
    """One digest per coordinator per ISO week; running twice adds nothing."""
    now = now or timezone.now()
    year, week, _day = timezone.localtime(now).isocalendar()
    created = 0
    for coordinator in Coordinator.objects.select_related("person", "centre").exclude(
        person__email=""
    ):
        network = digest_network(coordinator.centre_id)
        if network is None:
            continue
        _row, was_created = Reminder.objects.get_or_create(
            key=f"digest:c{coordinator.pk}:{year}-W{week:02d}",
            defaults={
                "kind": ReminderKind.DIGEST,
                "network": network,
                "person": coordinator.person,
                "recipient_email": coordinator.person.email,
                "due_at": now,
            },
        )
        created += was_created
    return created


def digest_context(reminder, today: dt.date) -> dict:
    centre = reminder.network.centre
    networks = list(
        Network.objects.filter(centre=centre, status__in=ACTIVE, kind="learning").order_by(
            "start_date"
        )
    )
    soon, overdue = [], []
    for network in networks:
        periods, rows = overview(network, today)
        for row in rows:
            for period, state, _report in row.cells:
                if state == "overdue":
                    overdue.append((network, row.team, period))
                elif state in ("missing", "draft") and period.due_on <= today + dt.timedelta(
                    days=14
                ):
                    soon.append((network, row.team, period))
    unsigned = list(
        Agreement.objects.filter(
            team__network__in=networks,
            status__in=[
                *OPEN_STATES,
                AgreementStatus.NOT_SENT,
                AgreementStatus.EXPIRED,
                AgreementStatus.VOIDED,
            ],
        ).select_related("team__network", "team__municipality")
    )
    return {
        "centre": centre,
        "soon": soon,
        "overdue": overdue,
        "unsigned": unsigned,
        "networks": networks,
    }
