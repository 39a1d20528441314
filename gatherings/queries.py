"""Reading the gatherings of improvement networks."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django_scopes import scopes_disabled

from network.models import NetworkKind
from sessions_app.models import Session, SessionKind, SessionStatus


def open_gatherings() -> QuerySet[Session]:
    """Improvement-network gatherings that take registrations, soonest first: every
    centre's, since they are public."""
    with scopes_disabled():
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


def get_public_gathering(session_id: int) -> Session:
    """An improvement network's gathering, for its public pages (any centre's), or
    404; a cancelled gathering has no page."""
    with scopes_disabled():
        session = (
            Session.objects.select_related("network__centre")
            .filter(
                pk=session_id,
                kind=SessionKind.GATHERING,
                network__kind=NetworkKind.IMPROVEMENT,
            )
            .exclude(status=SessionStatus.CANCELLED)
            .first()
        )
    if session is None:
        raise Http404
    return session
