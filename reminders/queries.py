"""Reads of the outbox that other apps and the project's own pages use."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from reminders.models import Reminder, ReminderState, SweepHeartbeat


def last_sweep() -> dt.datetime | None:
    """When a reminder sweep last ran to its end (None: never)."""
    return SweepHeartbeat.objects.filter(pk=1).values_list("finished_at", flat=True).first()


def queue_by_centre(now: dt.datetime | None = None) -> list[dict]:
    """The outbox per centre, for the operator: due now, waiting, being sent (leased),
    retrying after an error, failed, and sent in the last 24 hours. Needs no scope:
    the caller is the installation's operator (scopes_disabled)."""
    now = now or timezone.now()
    due = Q(state=ReminderState.PENDING, due_at__lte=now)
    return list(
        Reminder.objects.order_by()
        .values("network__centre__name")
        .annotate(
            due=Count("pk", filter=due),
            waiting=Count("pk", filter=Q(state=ReminderState.PENDING, due_at__gt=now)),
            sending=Count("pk", filter=Q(state=ReminderState.SENDING)),
            retrying=Count("pk", filter=Q(state=ReminderState.PENDING, attempts__gt=0)),
            failed=Count("pk", filter=Q(state=ReminderState.FAILED)),
            sent_24h=Count(
                "pk",
                filter=Q(state=ReminderState.SENT, sent_at__gte=now - dt.timedelta(hours=24)),
            ),
        )
        .order_by("network__centre__name")
    )
