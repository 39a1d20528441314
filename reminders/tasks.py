"""Beat tasks: thin, idempotent, each calling one service. A sweep serves the whole
installation: it declares no centre of its own (scopes_disabled)."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from network.models import Network, NetworkKind, NetworkStatus
from network.services import advance_statuses
from reminders import digest, planning, sending
from sessions_app.models import SessionKind
from sessions_app.services import create_follow_up


@shared_task(name="reminders.sweep")
def sweep():
    """Every few minutes: send what is due (each reminder at most once)."""
    with scopes_disabled():
        return sending.sweep()


@shared_task(name="reminders.weekly_digest")
def weekly_digest():
    with scopes_disabled():
        created = digest.plan_digests()
        sending.sweep()
    return created


@shared_task(name="reminders.carry_timeline")
def carry_timeline():
    """Move networks along by the calendar, and give every ended learning network
    its follow-up call six months after the end (unless it has one)."""
    with scopes_disabled():
        statuses = advance_statuses(timezone.localdate())
        created = 0
        ended = Network.objects.filter(kind=NetworkKind.LEARNING, status=NetworkStatus.ENDED)
        for network in ended.exclude(sessions__kind=SessionKind.FOLLOW_UP):
            with transaction.atomic():
                session = create_follow_up(network)
                if session is not None:
                    planning.confirm_follow_up(session)
                    created += 1
    return {**statuses, "follow_ups": created}
