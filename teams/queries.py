"""Who may see and change a team's workspace."""

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404

from network.queries import coordinated_centre_ids
from teams.models import Role, Team, TeamMember

DATA_ROLES = (Role.TEAM_LEADER, Role.MEASUREMENT_LEAD)


def workspace_teams(user):
    """The teams whose workspace ``user`` may open: their own teams, the teams of
    the unit they lead, and every team of the centres they coordinate."""
    if not (user.is_authenticated and user.is_active):
        return Team.objects.none()
    if user.is_superuser:
        return Team.objects.all()
    return Team.objects.filter(
        Q(pk__in=TeamMember.objects.filter(person__user=user).values("team_id"))
        | Q(unit_leader__user=user)
        | Q(network__centre__in=coordinated_centre_ids(user))
    )


def get_workspace_team(user, pk):
    """The team, or 404 for anyone outside it: another team's page does not exist.

    The same people as ``workspace_teams``, checked in Python on the team read with
    the user's role on it (one query for a member, whose role ``role_in`` keeps).
    """
    if not (user.is_authenticated and user.is_active):
        raise Http404
    role = TeamMember.objects.filter(team=OuterRef("pk"), person__user=user).order_by()
    # order_by(): without it, first() sorts by the Meta ordering, whose joins cost
    # more to plan than the lookup itself.
    team = (
        Team.objects.select_related("network__centre", "municipality", "focus_area", "unit_leader")
        .annotate(user_role=Subquery(role.values("role")[:1]))
        .filter(pk=pk)
        .order_by()
        .first()
    )
    if team is None:
        raise Http404
    team.__dict__.setdefault("_roles", {})[user.pk] = team.user_role
    if user.is_superuser or team.user_role is not None:
        return team
    if team.unit_leader is not None and team.unit_leader.user_id == user.pk:
        return team
    if team.network.centre_id in coordinated_centre_ids(user):
        return team
    raise Http404


def role_in(user, team):
    """The user's role on the team, or None (a coordinator has none); asked once per
    request and team."""
    roles = team.__dict__.setdefault("_roles", {})
    if user.pk not in roles:
        roles[user.pk] = (
            TeamMember.objects.filter(team=team, person__user=user)
            .order_by()
            .values_list("role", flat=True)
            .first()
        )
    return roles[user.pk]


def may_enter_data(user, team) -> bool:
    """The team leader and the measurement lead enter measurements and PDSA cycles."""
    return role_in(user, team) in DATA_ROLES
