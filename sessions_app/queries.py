"""Reading the timeline, and who may see a session."""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404, HttpRequest

from network.access import access_of
from sessions_app.models import Attendance, FollowUpRecord, Session, SessionKind, SessionStatus
from teams.models import Team, TeamMember
from teams.queries import workspace_teams


def sessions_for_team(team):
    """The sessions a team is invited to: those open to every team, and those
    that name the team."""
    return (
        Session.objects.filter(network_id=team.network_id)
        .exclude(status=SessionStatus.CANCELLED)
        .filter(Q(invited_teams__isnull=True) | Q(invited_teams=team))
        .distinct()
    )


def next_sessions(team, now):
    """The next gathering and the next phone conference (or phone session)."""
    upcoming = list(sessions_for_team(team).filter(ends_at__gte=now).order_by("starts_at"))
    calls = (SessionKind.PHONE_CONFERENCE, SessionKind.PHONE_SESSION)
    return {
        "gathering": next((s for s in upcoming if s.kind == SessionKind.GATHERING), None),
        "call": next((s for s in upcoming if s.kind in calls), None),
        "all": upcoming[:6],
    }


def get_session_for_user(request: HttpRequest, pk: int) -> Session:
    """A session of the timeline, for the people it concerns: the members and unit
    leaders of the teams it invites, and the centre's coordinators; 404 for others."""
    session = Session.objects.select_related("network__centre").filter(pk=pk).order_by().first()
    if session is None:
        raise Http404
    access = access_of(request)
    if access.is_superuser or session.network.centre_id in access.coordinated_centre_ids:
        return session
    teams = workspace_teams(request).filter(network_id=session.network_id)
    if session.invited_teams.exists():
        teams = teams.filter(pk__in=session.invited_teams.values("pk"))
    if not teams.exists():
        raise Http404
    return session


def follow_up_call(network) -> Session | None:
    """The network's six-month follow-up call, if it has one."""
    return (
        Session.objects.filter(network=network, kind=SessionKind.FOLLOW_UP)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("number")
        .first()
    )


def follow_up_rows(session: Session) -> list[FollowUpRecord]:
    """The call's records with their teams and measures, in two queries."""
    return list(
        FollowUpRecord.objects.filter(session=session)
        .select_related("team__municipality", "recorded_by")
        .prefetch_related("measures")
        .order_by("team__municipality__name", "team__unit")
    )


def follow_up_by_team(network) -> dict[int, FollowUpRecord]:
    """{team id: record} of the network's follow-up call, for the network summary."""
    session = follow_up_call(network)
    return {record.team_id: record for record in follow_up_rows(session)} if session else {}


def invited_teams(session: Session):
    """The teams ``session`` invites: those it names, or every team of its network
    when it names none."""
    teams = Team.objects.filter(network_id=session.network_id)
    if session.invited_teams.exists():
        teams = teams.filter(pk__in=session.invited_teams.values("pk"))
    return teams


def invited_members(session: Session):
    """The members of the teams ``session`` invites: the people whose attendance
    can be recorded for it."""
    return TeamMember.objects.filter(team__in=invited_teams(session).values("pk"))


def attendance_sheet(session: Session) -> list[tuple[Team, list[tuple[TeamMember, bool]]]]:
    """The invited teams, each with its members and whether each is recorded as
    present, in three queries."""
    teams = list(
        invited_teams(session).select_related("municipality").order_by("municipality__name", "unit")
    )
    present = set(
        Attendance.objects.filter(session=session, present=True).values_list("member_id", flat=True)
    )
    members: dict[int, list[tuple[TeamMember, bool]]] = {team.pk: [] for team in teams}
    for member in (
        TeamMember.objects.filter(team__in=[team.pk for team in teams])
        .select_related("person")
        .order_by("team", "person__name", "pk")
    ):
        members[member.team_id].append((member, member.pk in present))
    return [(team, members[team.pk]) for team in teams]


@dataclass(frozen=True)
class TeamAttendance:
    """A team's attendance at the gatherings held so far: a gathering counts when at
    least one member was there. The agreement commits the team to all of them."""

    held: int
    attended: int
    missed: tuple[Session, ...]

    @property
    def complete(self) -> bool:
        return not self.missed


NO_GATHERINGS = TeamAttendance(0, 0, ())


def attendance_by_team(
    network_id: int, team_ids: list[int] | None = None
) -> dict[int, TeamAttendance]:
    """{team id: TeamAttendance} for the network's teams (or those of ``team_ids``),
    in four queries whatever the number of teams and gatherings: the held
    gatherings, the teams each invites, the (gathering, team) pairs with a member
    present, and the teams."""
    gatherings = list(
        Session.objects.filter(
            network_id=network_id, kind=SessionKind.GATHERING, status=SessionStatus.HELD
        ).order_by("starts_at", "pk")
    )
    invited: dict[int, set[int]] = {}
    for session_id, team_id in Session.invited_teams.through.objects.filter(
        session__in=[g.pk for g in gatherings]
    ).values_list("session_id", "team_id"):
        invited.setdefault(session_id, set()).add(team_id)
    attendance = Attendance.objects.filter(session__in=[g.pk for g in gatherings], present=True)
    teams = Team.objects.filter(network_id=network_id)
    if team_ids is not None:
        attendance = attendance.filter(member__team_id__in=team_ids)
        teams = teams.filter(pk__in=team_ids)
    present = set(attendance.order_by().values_list("session_id", "member__team_id").distinct())
    result = {}
    for team_id in teams.order_by().values_list("pk", flat=True):
        expected = [g for g in gatherings if not invited.get(g.pk) or team_id in invited[g.pk]]
        missed = tuple(g for g in expected if (g.pk, team_id) not in present)
        result[team_id] = TeamAttendance(len(expected), len(expected) - len(missed), missed)
    return result
