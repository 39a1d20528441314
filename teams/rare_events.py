"""Rare events: the series a G or a T chart plots, derived from what a team records.

A team records each event's date and, for a G chart, the number of cases (patients,
procedures, admissions: the opportunities) since the event before. Pure functions of
those: no models, no database.
"""

import datetime as dt
from collections.abc import Sequence

from teams.controlchart import days_between_events


def t_series(events: Sequence[tuple[dt.date, int | None]]) -> list[tuple[dt.date, float]]:
    """The T chart's series: for each event after the first, its date and the days
    since the event before. ``events`` are (date, how many that day; None is one).
    Events on the same day are half a day apart (a T chart needs times above 0)."""
    dates = sorted(day for day, count in events for _ in range(max(int(count or 1), 1)))
    return list(zip(dates[1:], days_between_events(dates), strict=True))


def g_series(events: Sequence[tuple[dt.date, float | None]]) -> list[tuple[dt.date, float | None]]:
    """The G chart's series: each event's date and the cases since the event before, in
    date order (None where the team has not counted them: a missing point)."""
    return sorted(events, key=lambda event: event[0])
