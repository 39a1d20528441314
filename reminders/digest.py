"""The weekly digest to each coordinator: what is due, overdue and unsigned."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from agreements.models import OPEN_STATES, Agreement, AgreementStatus
from network.models import Coordinator, Network, NetworkStatus
from reminders.models import Reminder, ReminderKind
from reports.services import overview

ACTIVE = (NetworkStatus.PLANNED, NetworkStatus.RECRUITING, NetworkStatus.RUNNING)


@transaction.atomic
def plan_digests(now=None) -> int:
    """One digest per coordinator per ISO week; running twice adds nothing."""
    now = now or timezone.now()
    year, week, _day = timezone.localtime(now).isocalendar()
    created = 0
    for coordinator in Coordinator.objects.select_related("person", "centre").exclude(
        person__email=""
    ):
        network = Network.objects.filter(centre=coordinator.centre_id, status__in=ACTIVE).first()
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
