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
from dataclasses import dataclass

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lib.dates import THURSDAY, TUESDAY, add_months, at_oslo, midpoint, weekday_on_or_after
from network.models import Network
from network.services import mark_followed_up
from sessions_app.models import Session, SessionKind, SessionStatus

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


@transaction.atomic
def propose_timeline(network: Network, *, include_precourse: bool = False) -> TimelineResult:
    """Create the default sessions that ``network`` does not have yet.

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
