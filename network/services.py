"""Every write that changes the state of centres, networks and people."""

import datetime as dt

from django.db import transaction
from django.db.models import Q

from network.models import Coordinator, Network, NetworkStatus, Person


def advance_statuses(today: dt.date) -> dict[str, int]:
    """Move networks along their life cycle by the calendar.

    Planned and recruiting networks whose start has come are running; running
    networks whose end has passed have ended. Each step is one conditional
    UPDATE, so running it twice, or on two workers at once, changes nothing
    the second time. "Followed up" is set when the follow-up call is held
    (``mark_followed_up``).
    """
    started = Network.objects.filter(
        status__in=[NetworkStatus.PLANNED, NetworkStatus.RECRUITING],
        start_date__lte=today,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    ended = Network.objects.filter(
        status__in=[NetworkStatus.PLANNED, NetworkStatus.RECRUITING, NetworkStatus.RUNNING],
        end_date__lt=today,
    )
    with transaction.atomic():
        return {
            "running": started.update(status=NetworkStatus.RUNNING),
            "ended": ended.update(status=NetworkStatus.ENDED),
        }


def mark_followed_up(network_id: int) -> bool:
    """An ended learning network whose follow-up call was held is followed up.

    A conditional UPDATE: only an ended network moves, and only once.
    """
    return bool(
        Network.objects.filter(pk=network_id, status=NetworkStatus.ENDED).update(
            status=NetworkStatus.FOLLOWED_UP
        )
    )


@transaction.atomic
def appoint_coordinator(person: Person) -> Coordinator:
    """Make ``person`` a coordinator of their centre, able to use the admin."""
    coordinator, _created = Coordinator.objects.get_or_create(centre=person.centre, person=person)
    if person.user is not None and not person.user.is_staff:
        person.user.is_staff = True
        person.user.save(update_fields=["is_staff"])
    return coordinator
