"""Calendar arithmetic for the timeline, in Oslo time.

Every function is pure: it takes dates and returns dates or aware datetimes,
so the rules can be tested without a database or a clock.
"""

import calendar
import datetime as dt
from zoneinfo import ZoneInfo

from django.utils.translation import gettext

OSLO = ZoneInfo("Europe/Oslo")

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY = range(5)


def weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    """The first date on or after ``day`` that falls on ``weekday`` (Monday is 0)."""
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def midpoint(first: dt.date, second: dt.date) -> dt.date:
    return first + (second - first) / 2


def at_oslo(day: dt.date, clock: dt.time) -> dt.datetime:
    """An aware datetime at ``clock`` Oslo time on ``day`` (summer time handled)."""
    return dt.datetime.combine(day, clock, tzinfo=OSLO)


def oslo_minute(moment: dt.datetime) -> dt.datetime:
    """``moment`` as Oslo wall-clock time to the minute, without a zone: what a
    spreadsheet shows ("2026-12-01 21:49"), since CSV and Excel keep no time zone."""
    return moment.astimezone(OSLO).replace(tzinfo=None, second=0, microsecond=0)


def oslo_with_offset(moment: dt.datetime) -> str:
    """``moment`` as Oslo wall-clock time with its offset from UTC, for a record that
    must be read without guessing the zone: "02.12.2026 kl. 10:15 (UTC+01:00)", and
    "(UTC+02:00)" in summer time. The words follow the active language."""
    local = moment.astimezone(OSLO)
    offset = local.strftime("%z")  # "+0100"
    return gettext("%(date)s at %(time)s (UTC%(offset)s)") % {
        "date": local.strftime("%d.%m.%Y"),
        "time": local.strftime("%H:%M"),
        "offset": f"{offset[:3]}:{offset[3:]}",
    }


def oslo_days(starts_at: dt.datetime, ends_at: dt.datetime) -> list[dt.date]:
    """Every Oslo calendar day from ``starts_at`` to ``ends_at``: one for a day's
    gathering, two for a gathering from Tuesday to Wednesday."""
    first = starts_at.astimezone(OSLO).date()
    last = max(ends_at.astimezone(OSLO).date(), first)
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def parse_date(text: str) -> dt.date:
    """A date as people in Norway write it: 12.03.2026 (dd.mm.åååå; 1.3.2026 too), or
    2026-03-12 as a browser's date field sends it. ValueError for anything else,
    including a day the month does not have (31.02.2026)."""
    text = text.strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def format_date(day: dt.date) -> str:
    """12.03.2026: the form ``parse_date`` reads."""
    return day.strftime("%d.%m.%Y")
