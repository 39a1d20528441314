"""Reading the gatherings of improvement networks."""

from django.utils import timezone

from network.models import NetworkKind
from sessions_app.models import Session, SessionKind, SessionStatus


def open_gatherings():
    """Improvement-network gatherings that take registrations, soonest first."""
    return (
        Session.objects.filter(
            kind=SessionKind.GATHERING,
            status=SessionStatus.PLANNED,
            network__kind=NetworkKind.IMPROVEMENT,
            gathering__registration_open=True,
            starts_at__gte=timezone.now(),
        )
        .select_related("network")
        .order_by("starts_at")
    )
