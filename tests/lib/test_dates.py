import datetime as dt

import pytest

from lib.dates import (
    OSLO,
    THURSDAY,
    TUESDAY,
    add_months,
    at_oslo,
    oslo_minute,
    weekday_on_or_after,
)


def test_weekday_on_or_after_keeps_the_day_when_it_matches():
    tuesday = dt.date(2026, 9, 1)
    assert weekday_on_or_after(tuesday, TUESDAY) == tuesday
    assert weekday_on_or_after(tuesday, THURSDAY) == dt.date(2026, 9, 3)
    assert weekday_on_or_after(dt.date(2026, 9, 2), TUESDAY) == dt.date(2026, 9, 8)


def test_add_months_clamps_to_a_shorter_month_and_crosses_years():
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 9, 1), 9) == dt.date(2027, 6, 1)


def test_at_oslo_follows_summer_time():
    summer = at_oslo(dt.date(2026, 9, 1), dt.time(9))
    winter = at_oslo(dt.date(2026, 12, 1), dt.time(9))
    assert summer.astimezone(dt.UTC).hour == 7
    assert winter.astimezone(dt.UTC).hour == 8
    assert summer.tzinfo == OSLO


def test_oslo_minute_is_wall_clock_time_without_seconds_or_zone():
    summer = dt.datetime(2026, 6, 1, 19, 49, 59, 999999, tzinfo=dt.UTC)
    winter = dt.datetime(2026, 12, 1, 20, 49, 5, tzinfo=dt.UTC)
    assert oslo_minute(summer) == dt.datetime(2026, 6, 1, 21, 49)
    assert oslo_minute(winter) == dt.datetime(2026, 12, 1, 21, 49)
    assert oslo_minute(winter).tzinfo is None


def test_oslo_with_offset_in_winter_and_summer_time():
    from django.utils import translation

    from lib.dates import oslo_with_offset

    winter = dt.datetime(2026, 12, 2, 9, 15, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)
    with translation.override("nb"):
        assert oslo_with_offset(winter) == "02.12.2026 kl. 10:15 (UTC+01:00)"
        assert oslo_with_offset(summer) == "02.07.2026 kl. 00:30 (UTC+02:00)"
    # The night summer time ends: 02:30 comes twice, told apart by the offset.
    first = dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    second = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)
    with translation.override("nb"):
        assert oslo_with_offset(first) == "25.10.2026 kl. 02:30 (UTC+02:00)"
        assert oslo_with_offset(second) == "25.10.2026 kl. 02:30 (UTC+01:00)"


def test_a_date_as_people_in_norway_write_it():
    from lib.dates import format_date, parse_date

    assert parse_date(" 12.03.2026 ") == dt.date(2026, 3, 12)
    assert parse_date("1.3.2026") == dt.date(2026, 3, 1)
    assert parse_date("2026-03-12") == dt.date(2026, 3, 12)  # a browser's date field
    for wrong in ("31.02.2026", "12/03/2026", "12.03.26", "", "i går"):
        with pytest.raises(ValueError):
            parse_date(wrong)
    assert format_date(dt.date(2026, 3, 1)) == "01.03.2026"
