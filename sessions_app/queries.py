"""Reading the timeline."""

from django.db.models import Q

from sessions_app.models import Session, SessionKind, SessionStatus


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
