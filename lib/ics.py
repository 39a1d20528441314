"""iCalendar (RFC 5545, and iTIP, RFC 5546) for sessions: invitations in e-mail and
subscribable feeds.

- An e-mailed invitation is ``METHOD:REQUEST`` with the centre as ``ORGANIZER`` and
  the recipient as ``ATTENDEE`` (``RSVP=FALSE``: the product takes no replies), the
  convention Outlook and Google follow; a cancellation is ``METHOD:CANCEL`` with
  the same UID and a higher ``SEQUENCE``.
- A feed has no METHOD: it is published. Its ``DTSTAMP`` is when the event last
  changed, not when the feed was read, so calendars see no change where there was
  none; it asks to be read again every hour (``REFRESH-INTERVAL``,
  ``X-PUBLISHED-TTL``).
- Times are written in Europe/Oslo with a VTIMEZONE covering the events, so Outlook
  and Google show the local time the coordinator set. A session's UID never
  changes; SEQUENCE grows each time its time, place or status changes.
"""

import datetime as dt
from dataclasses import dataclass

from icalendar import Calendar, Event, vCalAddress, vText

from lib.dates import OSLO

PRODID = "-//USHT//Laeringsnettverk//NB"
REFRESH = dt.timedelta(hours=1)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    #: When the event last changed (its time, place or status).
    changed_at: dt.datetime
    location: str = ""
    description: str = ""
    cancelled: bool = False
    url: str = ""


@dataclass(frozen=True)
class Party:
    """An organizer or attendee: a name and an e-mail address."""

    name: str
    email: str


def _address(party: Party, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{party.email}")
    address.params["CN"] = vText(party.name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def build(
    events: list[CalendarEvent],
    *,
    method: str | None = None,
    name: str = "",
    organizer: Party | None = None,
    attendee: Party | None = None,
) -> bytes:
    """The calendar object: with ``method`` (REQUEST, CANCEL) an e-mailed
    scheduling message, without one a published feed."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    else:
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    if name:
        calendar.add("x-wr-calname", name)
    sent = dt.datetime.now(tz=dt.UTC)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("sequence", item.sequence)
        # A scheduling message is stamped when it is made; a feed's event when it
        # last changed (RFC 5545, 3.8.7.2).
        event.add("dtstamp", sent if method else item.changed_at.astimezone(dt.UTC))
        event.add("dtstart", item.starts_at.astimezone(OSLO))
        event.add("dtend", item.ends_at.astimezone(OSLO))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        if organizer is not None:
            event.add("organizer", _address(organizer))
        if attendee is not None:
            event.add(
                "attendee",
                _address(attendee, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE"),
            )
        cancelled = item.cancelled or method == "CANCEL"
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    if events:
        # A VTIMEZONE for the days the events cover, not for 1970–2038: that one is
        # large and takes most of the time to build.
        first = min(item.starts_at for item in events).astimezone(OSLO).date()
        last = max(item.ends_at for item in events).astimezone(OSLO).date()
        calendar.add_missing_timezones(
            first_date=first - dt.timedelta(days=1), last_date=last + dt.timedelta(days=2)
        )
    return calendar.to_ical()


def with_attendee(content: bytes, attendee: Party) -> bytes:
    """``content`` (one event, built without an attendee) with ``attendee`` added:
    an invitation to many people is built once, and each recipient costs a line.
    The line is icalendar's own, folded as it folds."""
    event = Event()
    event.add(
        "attendee",
        _address(attendee, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION", RSVP="FALSE"),
    )
    lines = event.to_ical().split(b"\r\n")[1:-2]  # between BEGIN:VEVENT and END:VEVENT
    return content.replace(b"END:VEVENT\r\n", b"\r\n".join([*lines, b"END:VEVENT\r\n"]), 1)
