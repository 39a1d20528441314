"""What to remind of, derived from the timeline, the reports and the agreements.

Each ``plan_*`` function computes the reminders an object calls for and
syncs them with the rows by key, in the caller's transaction: missing ones
are created (only those still ahead), pending ones are moved to their new
time, and pending ones no longer called for are cancelled. Sent reminders
are never touched. Running a plan twice changes nothing the second time.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from agreements.models import OPEN_STATES, Agreement
from lib.conditional import update_where
from lib.dates import at_oslo
from network.queries import coordinator_emails
from reminders.models import Reminder, ReminderKind, ReminderSettings, ReminderState, day_list
from reports.models import ReportPeriod, ReportStatus, StatusReport
from sessions_app.models import Session, SessionKind, SessionStatus
from sessions_app.queries import sessions_for_team
from teams.models import Role, Team, TeamMember

GATHERING_KINDS = (SessionKind.GATHERING, SessionKind.PRECOURSE)


@dataclass(frozen=True)
class Wanted:
    key: str
    kind: str
    email: str
    due_at: dt.datetime
    expires_at: dt.datetime | None = None
    person_id: int | None = None
    team_id: int | None = None
    copy_to: str = ""
    number: int = 1


def settings_for(network) -> ReminderSettings:
    settings, _created = ReminderSettings.objects.get_or_create(network=network)
    return settings


def _at_send_hour(day: dt.date, settings) -> dt.datetime:
    return at_oslo(day, dt.time(settings.send_hour))


def _sync(scope, wanted: list[Wanted], *, network, now, **objects):
    """Make the pending rows in ``scope`` match ``wanted``."""
    rows = {r.key: r for r in scope}
    keys = {w.key for w in wanted}
    for item in wanted:
        row = rows.get(item.key)
        if row is None:
            if item.due_at >= now - dt.timedelta(minutes=1):  # only what is still ahead
                Reminder.objects.create(
                    key=item.key,
                    kind=item.kind,
                    network=network,
                    recipient_email=item.email,
                    person_id=item.person_id,
                    team_id=item.team_id,
                    copy_to=item.copy_to,
                    number=item.number,
                    due_at=item.due_at,
                    expires_at=item.expires_at,
                    **objects,
                )
        elif row.state == ReminderState.PENDING and (
            row.due_at != item.due_at or row.expires_at != item.expires_at
        ):
            row.due_at, row.expires_at = item.due_at, item.expires_at
            row.save(update_fields=["due_at", "expires_at"])
    for key, row in rows.items():
        if key not in keys and row.state == ReminderState.PENDING:
            row.state = ReminderState.CANCELLED
            row.save(update_fields=["state"])


# --- Sessions ------------------------------------------------------------------------------


def session_recipients(session):
    """(email, person id, team id) of everyone invited to ``session``."""
    teams = list(session.invited_teams.all()) or list(
        Team.objects.filter(network_id=session.network_id)
    )
    team_ids = [team.pk for team in teams]
    people = [
        (m.person.email, m.person_id, m.team_id)
        for m in TeamMember.objects.filter(team_id__in=team_ids)
        .exclude(person__email="")
        .select_related("person")
    ]
    if session.invite_unit_leaders:
        people += [
            (team.unit_leader.email, team.unit_leader_id, team.pk)
            for team in Team.objects.filter(pk__in=team_ids).select_related("unit_leader")
            if team.unit_leader and team.unit_leader.email
        ]
    if session.invite_top_management:
        people += [
            (agreement.top_manager_email, None, agreement.team_id)
            for agreement in Agreement.objects.filter(team_id__in=team_ids).exclude(
                top_manager_email=""
            )
        ]
    seen, unique = set(), []
    for email, person_id, team_id in people:
        if email.lower() not in seen:
            seen.add(email.lower())
            unique.append((email, person_id, team_id))
    return unique


def plan_session(session: Session, *, now=None):
    now = now or timezone.now()
    settings = settings_for(session.network)
    wanted = []
    if session.status == SessionStatus.PLANNED and session.starts_at > now:
        gathering = session.kind in GATHERING_KINDS
        kind = ReminderKind.GATHERING if gathering else ReminderKind.CALL
        days = day_list(settings.gathering_days if gathering else settings.call_days)
        start_day = timezone.localtime(session.starts_at).date()
        for email, person_id, team_id in session_recipients(session):
            for days_before in days:
                due = min(
                    _at_send_hour(start_day - dt.timedelta(days=days_before), settings),
                    session.starts_at - dt.timedelta(hours=1),
                )
                wanted.append(
                    Wanted(
                        key=f"{kind}:s{session.pk}:d{days_before}:{email.lower()}",
                        kind=kind,
                        email=email,
                        person_id=person_id,
                        team_id=team_id,
                        due_at=due,
                        expires_at=session.starts_at,
                    )
                )
    _sync(
        Reminder.objects.filter(session=session).exclude(kind__in=NOTICE_KINDS),
        wanted,
        network=session.network,
        now=now,
        session=session,
    )
    plan_session_notices(session, now=now)


#: Reminders that carried the session's invitation.
INVITING_KINDS = (
    ReminderKind.GATHERING,
    ReminderKind.CALL,
    ReminderKind.CONFIRM_FOLLOW_UP,
    ReminderKind.SESSION_UPDATE,
    ReminderKind.SESSION_CANCELLED,
)
#: What tells those people that the session moved or was cancelled.
NOTICE_KINDS = (ReminderKind.SESSION_UPDATE, ReminderKind.SESSION_CANCELLED)


def plan_session_notices(session: Session, *, now=None):
    """Everyone who received the session's invitation at an older SEQUENCE gets an
    update (or, for a cancelled session, a cancellation), whether or not a reminder
    is still pending for them. A newer change supersedes a pending notice."""
    now = now or timezone.now()
    if session.status == SessionStatus.HELD:
        return
    kind = (
        ReminderKind.SESSION_CANCELLED
        if session.status == SessionStatus.CANCELLED
        else ReminderKind.SESSION_UPDATE
    )
    received = (
        Reminder.objects.filter(session=session, state=ReminderState.SENT, kind__in=INVITING_KINDS)
        .order_by()
        .values("recipient_email")
        .annotate(seen=Max(Coalesce("sequence", 0)), person=Max("person_id"), team=Max("team_id"))
        .filter(seen__lt=session.sequence)
    )
    keys = set()
    for row in received:
        email = row["recipient_email"]
        key = f"{kind}:s{session.pk}:q{session.sequence}:{email.lower()}"
        keys.add(key)
        Reminder.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "network_id": session.network_id,
                "session": session,
                "recipient_email": email,
                "person_id": row["person"],
                "team_id": row["team"],
                "due_at": now,
                "expires_at": session.ends_at,
            },
        )
    update_where(
        Reminder,
        Q(session_id=session.pk, kind__in=NOTICE_KINDS, state=ReminderState.PENDING)
        & ~Q(key__in=keys),
        state=ReminderState.CANCELLED,
    )


def plan_team_sessions(team: Team, *, now=None):
    """The sessions that invite ``team`` (a cancelled one has nothing to plan)."""
    for session in sessions_for_team(team).select_related("network"):
        plan_session(session, now=now)


# --- Status reports ------------------------------------------------------------------------------


def _team_leaders(team):
    return [
        (m.person.email, m.person_id)
        for m in team.members.filter(role=Role.TEAM_LEADER)
        .exclude(person__email="")
        .select_related("person")
    ]


def overdue_wanted(period, team, number, settings, leaders, coordinators):
    """Overdue reminder ``number`` (1, 2, …) of a team's report, one per leader."""
    due = _at_send_hour(
        period.due_on + dt.timedelta(days=settings.overdue_every_days * number), settings
    )
    copy = ", ".join(coordinators) if number >= settings.copy_coordinator_from else ""
    return [
        Wanted(
            key=f"report_overdue:p{period.pk}:t{team.pk}:n{number}:{email.lower()}",
            kind=ReminderKind.REPORT_OVERDUE,
            email=email,
            person_id=person_id,
            team_id=team.pk,
            due_at=due,
            copy_to=copy,
            number=number,
        )
        for email, person_id in leaders
    ]


def plan_report(period: ReportPeriod, team: Team, *, now=None):
    """Before the due date, on it, and the first overdue reminder (the sweep adds
    the next overdue one each time it sends one)."""
    now = now or timezone.now()
    settings = settings_for(period.network)
    submitted = StatusReport.objects.filter(
        period=period, team=team, status=ReportStatus.SUBMITTED
    ).exists()
    scope = Reminder.objects.filter(period=period, team=team)
    wanted = []
    if not submitted:
        leaders = _team_leaders(team)
        for email, person_id in leaders:
            for days_before in day_list(settings.report_days):
                due = _at_send_hour(period.due_on - dt.timedelta(days=days_before), settings)
                wanted.append(
                    Wanted(
                        key=f"report_due:p{period.pk}:t{team.pk}:d{days_before}:{email.lower()}",
                        kind=ReminderKind.REPORT_DUE,
                        email=email,
                        person_id=person_id,
                        team_id=team.pk,
                        due_at=due,
                    )
                )
        overdue = list(
            scope.filter(kind=ReminderKind.REPORT_OVERDUE).values_list("number", "state")
        )
        number = max((n for n, state in overdue if state != ReminderState.PENDING), default=0) + 1
        pending = {n for n, state in overdue if state == ReminderState.PENDING}
        if number not in pending:
            # A report already overdue when the network was set up or changed (or
            # when the sweep was down): the series goes on from the next reminder
            # still ahead, rather than never starting.
            while (
                _at_send_hour(
                    period.due_on + dt.timedelta(days=settings.overdue_every_days * number),
                    settings,
                )
                < now
            ):
                number += 1
        wanted += overdue_wanted(
            period, team, number, settings, leaders, coordinator_emails(period.network)
        )
    _sync(scope, wanted, network=period.network, now=now, period=period)


def plan_period(period: ReportPeriod, *, now=None):
    for team in period.network.teams.all():
        plan_report(period, team, now=now)


def plan_network_reports(network, *, now=None):
    """Every report of the network: after the network or its reminder settings change."""
    for period in network.report_periods.all():
        plan_period(period, now=now)


def plan_team_reports(team: Team, *, now=None):
    for period in team.network.report_periods.all():
        plan_report(period, team, now=now)


# --- Agreements -------------------------------------------------------------------------------


def agreement_wanted(agreement, number, settings, *, after=None):
    start = agreement.team.network.start_date
    first = _at_send_hour(start - dt.timedelta(days=settings.agreement_days_before_start), settings)
    if after is not None:
        due = after + dt.timedelta(days=settings.agreement_every_days)
    else:
        sent = agreement.sent_at or timezone.now()
        due = first if first > sent else sent + dt.timedelta(days=settings.agreement_every_days)
    return Wanted(
        key=f"agreement:a{agreement.pk}:n{number}",
        kind=ReminderKind.AGREEMENT,
        email=agreement.recipient_email,
        person_id=agreement.team.unit_leader_id,
        team_id=agreement.team_id,
        due_at=due,
        number=number,
    )


def plan_agreement(agreement: Agreement, *, now=None):
    now = now or timezone.now()
    network = agreement.team.network
    scope = Reminder.objects.filter(agreement=agreement)
    wanted = []
    if agreement.status in OPEN_STATES and agreement.recipient_email:
        settings = settings_for(network)
        done = scope.exclude(state=ReminderState.PENDING)
        last = done.order_by("-number").first()
        if last is None:
            wanted.append(agreement_wanted(agreement, 1, settings))
        else:
            wanted.append(agreement_wanted(agreement, last.number + 1, settings, after=last.due_at))
    _sync(scope, wanted, network=network, now=now, agreement=agreement)


# --- The follow-up call -------------------------------------------------------------------------


@transaction.atomic
def confirm_follow_up(session: Session, *, now=None):
    """Ask the coordinators to confirm the time of a new follow-up call."""
    now = now or timezone.now()
    for email in coordinator_emails(session.network):
        Reminder.objects.get_or_create(
            key=f"confirm_follow_up:s{session.pk}:{email.lower()}",
            defaults={
                "kind": ReminderKind.CONFIRM_FOLLOW_UP,
                "network": session.network,
                "session": session,
                "recipient_email": email,
                "due_at": now,
            },
        )
