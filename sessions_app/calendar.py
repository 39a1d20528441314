"""Sessions as iCalendar events, for every e-mail about a session and for feeds."""

from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from lib.ics import CalendarEvent, Party, build, with_attendee
from network.models import Coordinator, Network, NetworkKind
from sessions_app.models import Session, SessionKind, SessionStatus


def page_url(session: Session) -> str:
    """The session's own page: an improvement network's gathering has a public one;
    every other session its page in the timeline."""
    if session.kind == SessionKind.GATHERING and session.network.kind == NetworkKind.IMPROVEMENT:
        return settings.SITE_URL + reverse("gatherings:gathering", args=[session.pk])
    return settings.SITE_URL + reverse("sessions_app:session", args=[session.pk])


def event(session: Session) -> CalendarEvent:
    with translation.override("nb"):
        return CalendarEvent(
            uid=f"session-{session.pk}@usht-laeringsnettverk",
            sequence=session.sequence,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            summary=f"{session} – {session.network.title}",
            changed_at=session.calendar_changed_at,
            location=session.place or session.dial_in,
            description="\n\n".join(part for part in (session.agenda, session.dial_in) if part),
            cancelled=session.status == SessionStatus.CANCELLED,
            url=page_url(session),
        )


def organizer(network: Network) -> Party:
    """The centre, with the name of its (first) coordinator: who the invitation is
    from. Its address is the centre's, else that coordinator's, else the site's."""
    centre = network.centre
    coordinator = (
        Coordinator.objects.filter(centre=centre)
        .select_related("person")
        .order_by("person__name")
        .first()
    )
    name = str(centre)
    if coordinator is not None:
        name = f"{centre} ({coordinator.person.name})"
    email = (
        centre.email
        or (coordinator.person.email if coordinator else "")
        or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    )
    return Party(name=name, email=email)


def invitation_to_all(session: Session, *, from_: Party | None = None) -> tuple[bytes, str]:
    """The e-mailed calendar object, without its attendee, and its METHOD: REQUEST,
    or CANCEL for a cancelled session. ``lib.ics.with_attendee`` adds each
    recipient."""
    method = "CANCEL" if session.status == SessionStatus.CANCELLED else "REQUEST"
    content = build([event(session)], method=method, organizer=from_ or organizer(session.network))
    return content, method


def invitation(
    session: Session, attendee: Party, *, from_: Party | None = None
) -> tuple[bytes, str]:
    """The e-mailed calendar object for one recipient, and its METHOD."""
    content, method = invitation_to_all(session, from_=from_)
    return with_attendee(content, attendee), method
