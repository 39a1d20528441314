"""Who may see and change a team's workspace: the one rule, and the helper every
team page calls first."""

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest

from network.access import access_of
from network.models import NetworkStatus
from teams.models import Role, Team, TeamMember

DATA_ROLES = (Role.TEAM_LEADER, Role.MEASUREMENT_LEAD)


def workspace_teams(request: HttpRequest) -> QuerySet[Team]:
    """The teams whose workspace the user may open: their own teams, the teams of
    the unit they lead, and every team of the centres they coordinate. Each team
    carries ``user_role``: the user's role on it, or None."""
    access = access_of(request)
    if access.user_id is None:
        return Team.objects.none()
    user_id = access.user_id
    role = TeamMember.objects.filter(team=OuterRef("pk"), person__user_id=user_id).order_by()
    teams = Team.objects.annotate(user_role=Subquery(role.values("role")[:1]))
    if access.is_superuser:
        return teams
    return teams.filter(
        Q(user_role__isnull=False)
        | Q(unit_leader__user_id=user_id)
        | Q(network__centre_id__in=access.coordinated_centre_ids)
    )


def get_workspace_team(request: HttpRequest, pk: int) -> Team:
    """The team, or 404 for anyone outside it: another team's page does not exist."""
    team = (
        workspace_teams(request)
        .select_related("network__centre", "municipality", "focus_area", "unit_leader")
        .filter(pk=pk)
        # order_by(): without it, first() sorts by the Meta ordering, whose joins cost
        # more to plan than the lookup itself.
        .order_by()
        .first()
    )
    if team is None:
        raise Http404
    return team


def may_enter_data(team: Team) -> bool:
    """The team leader and the measurement lead enter measurements and PDSA cycles
    (``team`` as ``get_workspace_team`` gives it, with the user's role)."""
    return team.user_role in DATA_ROLES


def may_coordinate_team(request: HttpRequest, team: Team) -> bool:
    """The centre's coordinators and superusers: they follow the team, and reopen its
    reports."""
    access = access_of(request)
    return access.is_superuser or team.network.centre_id in access.coordinated_centre_ids


def may_delete_measure(request: HttpRequest, team: Team) -> bool:
    """The team leader, the centre's coordinators and superusers delete a measure
    (``team`` as ``get_workspace_team`` gives it, with the user's role)."""
    access = access_of(request)
    return (
        team.user_role == Role.TEAM_LEADER
        or access.is_superuser
        or team.network.centre_id in access.coordinated_centre_ids
    )


def teams_led_elsewhere(team: Team) -> list[Team]:
    """The other teams, in running networks, led by this team's team leader."""
    leader = team.members.filter(role=Role.TEAM_LEADER).values("person_id")[:1]
    return list(
        Team.objects.filter(
            members__role=Role.TEAM_LEADER,
            members__person_id__in=leader,
            network__status=NetworkStatus.RUNNING,
        )
        .exclude(pk=team.pk)
        .select_related("network", "municipality")
        .order_by("pk")
    )
