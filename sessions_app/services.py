"""The timeline: propose the default nine months, and keep it editable.

The default follows the USHT guide for unit leaders ("Læringsnettverk som
metode"): an optional pre-course; gathering 1 in September/October; phone
session 4 in November, where USHT asks how the work goes; gathering 2 in
December/January; gathering 3 in March with unit leaders and top management;
phone conferences between the gatherings; and USHT's follow-up call six
months after the end. Gatherings fall on Tuesdays and calls on Thursdays, a
starting point that the coordinator then edits in the admin.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lib.dates import THURSDAY, TUESDAY, add_months, at_oslo, midpoint, weekday_on_or_after
from lib.emails import message_id, send_email
from lib.pdf import render_pdf
from lib.tokens import hash_token, new_token
from network.models import Network, NetworkStatus, User
from network.queries import coordinator_emails
from network.services import mark_followed_up
from sessions_app.models import Attendance, FollowUpRecord, Session, SessionKind, SessionStatus
from sessions_app.queries import invited_members
from teams.models import Measure, Role, TeamMember

GATHERING_HOURS = (dt.time(9, 0), dt.time(15, 30))
CALL_HOURS = (dt.time(13, 0), dt.time(14, 0))
PRECOURSE_HOURS = (dt.time(9, 0), dt.time(12, 0))
NETWORK_MONTHS = 9
FOLLOW_UP_MONTHS = 6


class TimelineError(Exception):
    pass


@dataclass(frozen=True)
class ProposedSession:
    kind: str
    number: int
    day: dt.date
    hours: tuple[dt.time, dt.time]
    invite_leaders: bool = False

    @property
    def label(self) -> str:
        return f"{SessionKind(self.kind).label} {self.number}"

    @property
    def starts_at(self) -> dt.datetime:
        return at_oslo(self.day, self.hours[0])

    @property
    def ends_at(self) -> dt.datetime:
        return at_oslo(self.day, self.hours[1])


def default_end(start: dt.date) -> dt.date:
    return add_months(start, NETWORK_MONTHS)


def default_timeline(
    start: dt.date, end: dt.date | None = None, *, include_precourse: bool = False
) -> list[ProposedSession]:
    """The default sessions of a learning network starting on ``start``. Pure."""
    end = end or default_end(start)
    # The school year of gathering 1: the first September/October on or after the start.
    year = start.year if start <= dt.date(start.year, 10, 31) else start.year + 1
    g1 = weekday_on_or_after(max(start, dt.date(year, 9, 1)), TUESDAY)
    g2 = weekday_on_or_after(max(dt.date(year, 12, 1), g1 + dt.timedelta(weeks=6)), TUESDAY)
    g3 = weekday_on_or_after(dt.date(year + 1, 3, 10), TUESDAY)
    phone_session = weekday_on_or_after(
        max(dt.date(year, 11, 15), g1 + dt.timedelta(weeks=4)), THURSDAY
    )
    if phone_session >= g2:
        phone_session = weekday_on_or_after(g1 + dt.timedelta(weeks=3), THURSDAY)

    sessions = []
    if include_precourse:
        precourse = weekday_on_or_after(g1 - dt.timedelta(weeks=4), TUESDAY)
        sessions.append(ProposedSession(SessionKind.PRECOURSE, 1, precourse, PRECOURSE_HOURS))
    sessions += [
        ProposedSession(SessionKind.GATHERING, 1, g1, GATHERING_HOURS),
        ProposedSession(SessionKind.PHONE_SESSION, 4, phone_session, CALL_HOURS),
        ProposedSession(SessionKind.GATHERING, 2, g2, GATHERING_HOURS),
        ProposedSession(SessionKind.GATHERING, 3, g3, GATHERING_HOURS, invite_leaders=True),
    ]
    # Phone conferences between the gatherings, and one between gathering 3 and the end.
    gaps = [(g2, g3)]
    if phone_session > g1 + dt.timedelta(weeks=5):
        gaps.insert(0, (g1, phone_session))
    if end - g3 >= dt.timedelta(weeks=6):
        gaps.append((g3, end))
    for number, (first, second) in enumerate(gaps, start=1):
        day = weekday_on_or_after(midpoint(first, second), THURSDAY)
        sessions.append(ProposedSession(SessionKind.PHONE_CONFERENCE, number, day, CALL_HOURS))
    follow_up = weekday_on_or_after(add_months(end, FOLLOW_UP_MONTHS), THURSDAY)
    sessions.append(ProposedSession(SessionKind.FOLLOW_UP, 1, follow_up, CALL_HOURS))
    return sorted(sessions, key=lambda s: s.starts_at)


def _agenda(kind: str, number: int) -> str:
    """Default agendas in the network's language, Norwegian, from the guide."""
    with translation.override("nb"):
        if kind == SessionKind.PRECOURSE:
            return _("Introduction to improvement work before the network starts.")
        if kind == SessionKind.GATHERING:
            return {
                1: _(
                    "Knowledge of improvement, the Model for Improvement and the focus area. "
                    "The teams define their aims and progress plans."
                ),
                2: _("In-depth learning and experience sharing."),
                3: _(
                    "Leadership, results and implementation. Unit leaders and top "
                    "management are invited. Planning the further work in the municipality."
                ),
            }.get(number, "")
        if kind == SessionKind.PHONE_SESSION:
            return _("USHT asks how the improvement work goes: challenges and successes.")
        if kind == SessionKind.PHONE_CONFERENCE:
            return _("Guidance and experience sharing in groups, about one hour.")
        if kind == SessionKind.FOLLOW_UP:
            return _("USHT's follow-up of the teams half a year after the network ended.")
    return ""


@dataclass
class TimelineResult:
    created: list[Session]
    kept: list[Session]


def preview_timeline(network: Network) -> list[tuple[ProposedSession, Session | None]]:
    """What ``propose_timeline`` would do: each proposed session, with the session
    of the same kind and number that the network has already (kept as it is)."""
    if not network.is_learning:
        return []
    existing = {(s.kind, s.number): s for s in Session.objects.filter(network=network)}
    proposed = default_timeline(
        network.start_date, network.end_date, include_precourse=network.has_precourse
    )
    return [(item, existing.get((item.kind, item.number))) for item in proposed]


@transaction.atomic
def propose_timeline(network: Network, *, include_precourse: bool | None = None) -> TimelineResult:
    """Create the default sessions that ``network`` does not have yet: with the
    pre-course when the network has one (``Network.has_precourse``), unless
    ``include_precourse`` says otherwise.

    A session is identified by its kind and number: one that exists already,
    whatever its date now, is kept as the coordinator left it. Running this
    again never duplicates a session.
    """
    if not network.is_learning:
        raise TimelineError(
            _(
                "Only learning networks have the nine-month timeline; an improvement "
                "network plans its gatherings one by one."
            )
        )
    if include_precourse is None:
        include_precourse = network.has_precourse
    proposed = default_timeline(
        network.start_date, network.end_date, include_precourse=include_precourse
    )
    existing = {
        (s.kind, s.number): s for s in Session.objects.select_for_update().filter(network=network)
    }
    result = TimelineResult(created=[], kept=[])
    for item in proposed:
        if (item.kind, item.number) in existing:
            result.kept.append(existing[(item.kind, item.number)])
            continue
        session, created = Session.objects.get_or_create(
            network=network,
            kind=item.kind,
            number=item.number,
            defaults={
                "starts_at": item.starts_at,
                "ends_at": item.ends_at,
                "agenda": _agenda(item.kind, item.number),
                "invite_unit_leaders": item.invite_leaders,
                "invite_top_management": item.invite_leaders,
            },
        )
        (result.created if created else result.kept).append(session)
    return result


@transaction.atomic
def create_follow_up(network: Network) -> Session | None:
    """USHT's follow-up call six months after the end, unless the network has one.

    Returns the new session, or None when one exists already.
    """
    if network.sessions.filter(kind=SessionKind.FOLLOW_UP).exists():
        return None
    end = network.end_date or default_end(network.start_date)
    day = weekday_on_or_after(add_months(end, FOLLOW_UP_MONTHS), THURSDAY)
    session, created = Session.objects.get_or_create(
        network=network,
        kind=SessionKind.FOLLOW_UP,
        number=1,
        defaults={
            "starts_at": at_oslo(day, CALL_HOURS[0]),
            "ends_at": at_oslo(day, CALL_HOURS[1]),
            "agenda": _agenda(SessionKind.FOLLOW_UP, 1),
        },
    )
    return session if created else None


def record_status(session: Session) -> None:
    """What follows from a session's status, once it is saved: a held follow-up
    call completes its network (followed up)."""
    if session.kind == SessionKind.FOLLOW_UP and session.status == SessionStatus.HELD:
        mark_followed_up(session.network_id)


# --- The six-month follow-up call ------------------------------------------------------


class FollowUpError(Exception):
    """A follow-up action that cannot be done now: the message says why."""


class StaleRecord(FollowUpError):
    """The record was saved by someone else after this form was read."""


class LinkProblem(FollowUpError):
    """A team's link that does not open: "unknown", "used" or "expired"."""

    def __init__(self, reason: str, record: FollowUpRecord | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.record = record


#: What the team and the coordinator write (the measures are set apart).
RECORD_FIELDS = ("sustained", "sustained_note", "other_measures", "spread", "obstacles")
#: The team's link stays open until this long after the call has ended.
LINK_GRACE = dt.timedelta(days=1)


def ensure_records(session: Session) -> list[FollowUpRecord]:
    """One record per team of the network, made the first time the page is opened."""
    if session.kind != SessionKind.FOLLOW_UP:
        raise ValueError("not a follow-up call")
    have = set(session.follow_up_records.values_list("team_id", flat=True))
    missing = session.network.teams.exclude(pk__in=have).values_list("pk", flat=True)
    FollowUpRecord.objects.bulk_create(
        [FollowUpRecord(session=session, team_id=pk) for pk in missing], ignore_conflicts=True
    )
    return list(
        session.follow_up_records.select_related("team__municipality", "recorded_by").order_by(
            "team__municipality__name", "team__unit"
        )
    )


def _write(
    record: FollowUpRecord,
    data: dict[str, Any],
    measures: Iterable[Measure],
    also: tuple[str, ...],
) -> None:
    """Write the answers, the fields in ``also`` (set by the caller) and the next
    version; never a full save of a copy read before."""
    unknown = set(data) - {*RECORD_FIELDS, "coordinator_notes"}
    if unknown:
        raise ValueError(f"not a follow-up field: {sorted(unknown)}")
    for name, value in data.items():
        setattr(record, name, value)
    record.version = F("version") + 1
    record.save(update_fields=[*data, *also, "version"])
    record.measures.set([m for m in measures if m.team_id == record.team_id])
    record.refresh_from_db(fields=["version"])


def _send_link(
    context: dict[str, Any], leaders: list[str], key: str, reply_to: list[str] | None
) -> None:
    send_email("follow_up_link", context, leaders, headers={"Message-ID": key}, reply_to=reply_to)


def issue_link(record: FollowUpRecord, *, now: dt.datetime | None = None) -> str:
    """A new link for the team's part (an old one stops working); returns the token.
    It is open until a day after the call has ended."""
    now = now or timezone.now()
    token, token_hash = new_token()
    FollowUpRecord.objects.filter(pk=record.pk).update(
        token_hash=token_hash,
        token_expires_at=max(record.session.ends_at, now) + LINK_GRACE,
        link_sent_at=now,
    )
    return token


def send_team_links(session: Session, *, now: dt.datetime | None = None) -> int:
    """E-mail each team leader a link to fill in the team's part before the call.
    A new link replaces an old one. Teams that have filled in their part, or whose
    record is done, get none. Returns the number of links sent."""
    now = now or timezone.now()
    ensure_records(session)
    sent = 0
    with transaction.atomic():
        records = (
            FollowUpRecord.objects.select_for_update(of=("self",))
            .filter(session=session, team_filled_at__isnull=True, recorded_at__isnull=True)
            .select_related("session", "team__network__centre", "team__municipality")
        )
        for record in records:
            leaders = list(
                record.team.members.filter(role=Role.TEAM_LEADER)
                .exclude(person__email="")
                .values_list("person__email", flat=True)
            )
            if not leaders:
                continue
            token = issue_link(record, now=now)
            context = {
                "team": record.team,
                "session": session,
                "network": session.network,
                "link": settings.SITE_URL + reverse("sessions_app:team_follow_up", args=[token]),
            }
            reply_to = coordinator_emails(session.network) or None
            key = message_id("follow-up", f"{record.pk}:{hash_token(token)}")
            transaction.on_commit(partial(_send_link, context, leaders, key, reply_to))
            sent += 1
    return sent


def find_team_link(
    token: str, *, now: dt.datetime | None = None, for_update: bool = False
) -> FollowUpRecord:
    """The record behind a team's link, or LinkProblem: "unknown" (no such link, or
    replaced by a newer one), "used" (the team sent its part, or the record is
    done), "expired"."""
    now = now or timezone.now()
    if not token or len(token) > 100:
        raise LinkProblem("unknown")
    queryset = FollowUpRecord.objects.select_related(
        "session__network__centre", "team__municipality"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    record = queryset.filter(token_hash=hash_token(token)).first()
    if record is None:
        raise LinkProblem("unknown")
    if record.team_filled_at is not None or record.recorded_at is not None:
        raise LinkProblem("used", record)
    if record.token_expires_at is None or record.token_expires_at <= now:
        raise LinkProblem("expired", record)
    return record


def fill_team_part(
    token: str,
    *,
    data: dict[str, Any],
    measures: Iterable[Measure],
    name: str,
    now: dt.datetime | None = None,
) -> FollowUpRecord:
    """The team's answers through its link: once; the link is used afterwards."""
    now = now or timezone.now()
    with transaction.atomic():
        record = find_team_link(token, now=now, for_update=True)
        record.team_filled_at, record.team_filled_by = now, name.strip()
        _write(
            record,
            {k: data[k] for k in RECORD_FIELDS},
            measures,
            ("team_filled_at", "team_filled_by"),
        )
    return record


def save_record(
    record: FollowUpRecord,
    *,
    data: dict[str, Any],
    measures: Iterable[Measure],
    by: User,
    seen_version: int,
    now: dt.datetime | None = None,
) -> FollowUpRecord:
    """The coordinator's record of the call for one team, over the team's part.
    The row is locked and its version compared with the one the form was made
    from: a save in between (the team's, or another coordinator's) is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = FollowUpRecord.objects.select_for_update(of=("self",)).get(pk=record.pk)
        if locked.version != seen_version:
            raise StaleRecord(
                _(
                    "%(team)s: the record was saved by someone else (or the team sent its "
                    "part) after you opened the page. What you wrote is kept below; look at "
                    "the saved answers and save again."
                )
                % {"team": record.team}
            )
        locked.recorded_at, locked.recorded_by = now, by
        _write(locked, data, measures, ("recorded_at", "recorded_by"))
    return locked


def complete_follow_up(session: Session) -> bool:
    """The coordinator records the follow-up as done: the call is held and the
    network moves from ended to followed up (``network.services.mark_followed_up``,
    a conditional UPDATE). Refused before the network has ended, and before any
    team's record is saved. Answers whether the network moved now."""
    with transaction.atomic():
        locked = Session.objects.select_for_update().select_related("network").get(pk=session.pk)
        network = locked.network
        if network.status == NetworkStatus.FOLLOWED_UP:
            return False
        if network.status != NetworkStatus.ENDED:
            raise FollowUpError(
                _("The network has not ended yet: the follow-up comes after the end.")
            )
        if not locked.follow_up_records.filter(recorded_at__isnull=False).exists():
            raise FollowUpError(_("Save the record of at least one team first."))
        if locked.status != SessionStatus.HELD:
            locked.status = SessionStatus.HELD
            locked.save(update_fields=["status"])
        return mark_followed_up(network.pk)


def follow_up_pdf(session: Session) -> bytes:
    from sessions_app.queries import follow_up_rows

    return render_pdf(
        "sessions_app/follow_up_pdf.html",
        {
            "session": session,
            "network": session.network,
            "records": follow_up_rows(session),
            "generated": timezone.localtime(),
        },
    )


# --- Attendance ---------------------------------------------------------------


class AttendanceError(Exception):
    """Attendance that cannot be recorded; the message says why."""


@dataclass(frozen=True)
class AttendanceResult:
    present: int
    invited: int


@transaction.atomic
def record_attendance(
    session: Session, present: Iterable[int], whole_teams: Iterable[int] = ()
) -> AttendanceResult:
    """Record who of the invited teams' members attended ``session``.

    ``present``: team-member ids ticked; ``whole_teams``: team ids whose box "the
    whole team attended" is ticked, which marks every member of the team present.
    Every invited member gets a row, present or not, so a session with rows has
    its attendance recorded. Anyone not invited is refused and nothing is saved.
    The session's row is locked: two coordinators saving at once are taken one
    after the other, the last one's ticks standing.
    """
    session = Session.objects.select_for_update().get(pk=session.pk)
    invited = {member.pk: member for member in invited_members(session).order_by()}
    invited_teams = {member.team_id for member in invited.values()}
    present_ids, team_ids = set(present), set(whole_teams)
    strangers = present_ids - invited.keys()
    strange_teams = team_ids - invited_teams
    if strangers or strange_teams:
        names = sorted(
            str(member.person)
            for member in TeamMember.objects.filter(pk__in=strangers).select_related("person")
        )
        count = len(strangers) + len(strange_teams)
        raise AttendanceError(
            ngettext(
                "Only members of the teams invited to %(session)s can be marked as present; "
                "%(names)s is not invited. Nothing was saved.",
                "Only members of the teams invited to %(session)s can be marked as present; "
                "%(names)s are not invited. Nothing was saved.",
                max(count, len(names)),
            )
            % {"session": session, "names": ", ".join(names) or _("someone")}
        )
    present_ids |= {pk for pk, member in invited.items() if member.team_id in team_ids}
    recorded = {row.member_id: row for row in Attendance.objects.filter(session=session)}
    changed, new = [], []
    for pk in invited:
        row = recorded.get(pk)
        if row is None:
            new.append(Attendance(session=session, member_id=pk, present=pk in present_ids))
        elif row.present != (pk in present_ids):
            row.present = pk in present_ids
            changed.append(row)
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, ["present"])
    return AttendanceResult(present=len(present_ids), invited=len(invited))
