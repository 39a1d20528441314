"""Sessions as iCalendar events, for every e-mail about a session and for feeds."""

from django.conf import settings
from django.utils import translation

from lib.ics import CalendarEvent, build
from sessions_app.models import SessionStatus


def event(session) -> CalendarEvent:
    with translation.override("nb"):
        return CalendarEvent(
            uid=f"session-{session.pk}@usht-laeringsnettverk",
            sequence=session.sequence,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            summary=f"{session} – {session.network.title}",
            location=session.place or session.dial_in,
            description="\n\n".join(part for part in (session.agenda, session.dial_in) if part),
            cancelled=session.status == SessionStatus.CANCELLED,
            url=settings.SITE_URL,
        )


def session_event(sessions, *, method=None) -> bytes:
    return build([event(s) for s in sessions], method=method)
