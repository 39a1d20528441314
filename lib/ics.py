"""iCalendar (RFC 5545) for sessions: e-mail invitations and subscribable feeds.

Times are written in Europe/Oslo with a VTIMEZONE, so Outlook and Google show
the local time the coordinator set. A session's UID never changes; SEQUENCE
grows each time its time or place changes, so calendars update the event
instead of adding a second one.
"""

from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event

from lib.dates import OSLO

PRODID = "-//USHT//Laeringsnettverk//NB"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    cancelled: bool = False
    url: str = ""


def build(events: list[CalendarEvent], *, method: str | None = None, name: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    stamp = datetime.now(tz=OSLO)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("sequence", item.sequence)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at.astimezone(OSLO))
        event.add("dtend", item.ends_at.astimezone(OSLO))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
