"""Reading the gatherings of improvement networks."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django_scopes import scopes_disabled

from gatherings.models import Registration, RegistrationStatus
from lib.tokens import hash_token
from network.access import access_of
from network.models import Network, NetworkKind
from network.queries import coordinated_networks
from sessions_app.models import Session, SessionKind, SessionStatus
from teams.queries import workspace_teams


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


#: The networks whose participants' pages this browser may open: set by the personal
#: link in a registration's e-mail (knowledge.views.participant_link).
PARTICIPANT_SESSION_KEY = "participant_networks"


def registration_for_link(token: str) -> Registration | None:
    """The registration behind a personal link from its latest e-mail, unless it
    was cancelled."""
    with scopes_disabled():
        return (
            Registration.objects.select_related("session__network")
            .filter(token_hash=hash_token(token))
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )


def participant_networks(request: HttpRequest) -> list[int]:
    return list(request.session.get(PARTICIPANT_SESSION_KEY, []))


def get_participant_network(request: HttpRequest, network_id: int) -> Network:
    """A network, for its participants: the centre's coordinators, the members and
    unit leaders of its teams who log in, and people registered for one of its
    gatherings who came through the personal link in their e-mail. 403 for someone
    of the same centre without a part in it, 404 for everyone else."""
    with scopes_disabled():
        network = Network.objects.select_related("centre").filter(pk=network_id).first()
    if network is None:
        raise Http404
    if network.pk in participant_networks(request):
        return network
    if coordinated_networks(request).filter(pk=network.pk).exists():
        return network
    if workspace_teams(request).filter(network_id=network.pk).exists():
        return network
    centres = access_of(request).centre_ids
    if request.user.is_authenticated and centres is not None and network.centre_id in centres:
        raise PermissionDenied
    raise Http404


def waiting_position(registration: Registration) -> int | None:
    """Where a registration stands on the waiting list (1 is next), or None."""
    if registration.status != RegistrationStatus.WAITING:
        return None
    ahead = (
        Registration.objects.filter(
            session_id=registration.session_id, status=RegistrationStatus.WAITING
        )
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1
