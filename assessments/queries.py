"""Who may see and change a unit's rounds. Everyone who opens the team's workspace
sees them (``teams.queries.get_workspace_team``); the unit changes them, the
coordinator closes them."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from assessments.models import Assessment
from network.access import access_of
from teams.models import Team
from teams.queries import get_workspace_team


def is_unit(request: HttpRequest, team: Team) -> bool:
    """The team's members and its unit leader (and superusers) correct and delete
    the rounds (``team`` as ``get_workspace_team`` gives it, with the user's role)."""
    access = access_of(request)
    leader = team.unit_leader
    return (
        team.user_role is not None
        or (leader is not None and leader.user_id is not None and leader.user_id == access.user_id)
        or access.is_superuser
    )


def may_close(request: HttpRequest, team: Team) -> bool:
    """The centre's coordinators (and superusers) close and reopen rounds."""
    access = access_of(request)
    return access.is_superuser or team.network.centre_id in access.coordinated_centre_ids


def get_round(
    request: HttpRequest, team_id: int, round_id: int, *, for_unit: bool = False
) -> tuple[Team, Assessment]:
    """The team and its round: 404 outside the workspace or for another team's
    round; 403 when ``for_unit`` and the user is not of the unit, or otherwise when
    the user may not close rounds."""
    team = get_workspace_team(request, team_id)
    assessment = Assessment.objects.filter(team=team, pk=round_id).order_by().first()
    if assessment is None:
        raise Http404
    allowed = is_unit(request, team) if for_unit else may_close(request, team)
    if not allowed:
        raise PermissionDenied
    return team, assessment
