"""Reading a unit: who may see the unit leader's page and the board, the led
units, the open requests and the board's cards.

The unit leader's page is for the unit leader and the centre's coordinators; the
team's own members are sent to the team page (403). The board is for everyone who
sees the team's workspace (``teams.queries.workspace_teams``); it is changed by the
team's members and the coordinators, never by the unit leader.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from network.access import access_of
from teams.models import Team, TeamMember
from teams.queries import workspace_teams
from units.models import BoardCard, Column, ResultRequest


@dataclass(frozen=True)
class UnitAccess:
    """A team as ``workspace_teams`` gives it, and what the user is to it."""

    team: Team
    is_unit_leader: bool
    coordinates: bool

    @property
    def is_member(self) -> bool:
        return self.team.user_role is not None

    @property
    def may_edit_board(self) -> bool:
        """Team members and coordinators move and write cards; the unit leader looks."""
        return self.is_member or self.coordinates


def led_teams(request: HttpRequest) -> QuerySet[Team]:
    """The teams of the units the user leads."""
    user_id = access_of(request).user_id
    if user_id is None:
        return Team.objects.none()
    return Team.objects.filter(unit_leader__user_id=user_id)


def leads_units_only(request: HttpRequest) -> bool:
    """True for a unit leader who is on no team and coordinates nothing: the front
    page sends them to their units."""
    access = access_of(request)
    if access.user_id is None or access.may_coordinate:
        return False
    on_a_team = TeamMember.objects.filter(person__user_id=access.user_id).order_by()
    return led_teams(request).order_by().exists() and not on_a_team.exists()


def _unit_access(request: HttpRequest, pk: int) -> UnitAccess:
    team = (
        workspace_teams(request)
        .select_related("network__centre", "municipality", "focus_area", "unit_leader")
        .filter(pk=pk)
        .order_by()
        .first()
    )
    if team is None:
        raise Http404
    access = access_of(request)
    leader = team.unit_leader
    return UnitAccess(
        team=team,
        is_unit_leader=leader is not None and leader.user_id == access.user_id,
        coordinates=access.is_superuser or team.network.centre_id in access.coordinated_centre_ids,
    )


def get_unit(request: HttpRequest, pk: int) -> UnitAccess:
    """The unit leader's page of a team: its unit leader and the centre's
    coordinators. 404 for anyone outside the team, 403 for its members."""
    unit = _unit_access(request, pk)
    if not (unit.is_unit_leader or unit.coordinates):
        raise PermissionDenied(_("This page is for the unit leader; the team has its own page."))
    return unit


def get_board(request: HttpRequest, pk: int, *, edit: bool = False) -> UnitAccess:
    """The team's board: for the team, its unit leader and the coordinators (404 for
    others); ``edit``: 403 for the unit leader."""
    unit = _unit_access(request, pk)
    if edit and not unit.may_edit_board:
        raise PermissionDenied(_("The team's members and the coordinators change the board."))
    return unit


def open_request(team: Team) -> ResultRequest | None:
    """The unit leader's request that no report has answered yet."""
    return (
        ResultRequest.objects.filter(team=team, closed_at__isnull=True)
        .select_related("asked_by")
        .order_by()
        .first()
    )


def answered_requests(team: Team, limit: int = 5) -> list[ResultRequest]:
    """The unit leader's latest requests that a report has answered."""
    return list(
        ResultRequest.objects.filter(team=team, closed_at__isnull=False)
        .select_related("closed_by_report__period")
        .order_by("-asked_at")[:limit]
    )


def board_columns(team: Team) -> list[tuple[Column, list[BoardCard]]]:
    """The board's four columns in order, each with its cards (newest move first),
    in one query."""
    cards: dict[str, list[BoardCard]] = {column.value: [] for column in Column}
    for card in (
        BoardCard.objects.filter(team=team)
        .select_related("cycle", "idea")
        .order_by("-moved_at", "-pk")
    ):
        cards[card.column].append(card)
    return [(column, cards[column.value]) for column in Column]
