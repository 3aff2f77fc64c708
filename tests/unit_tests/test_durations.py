from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mlplanner.services.days import StudyCalendar
from mlplanner.services.durations import (
    InputError,
    count_of,
    format_duration,
    parse_day,
    parse_duration,
    parse_interval,
    parse_moment,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)  # 16:30 in Berlin


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90m", 90),
        ("90", 90),
        ("45 min", 45),
        ("1h30", 90),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1.5h", 90),
        ("1,5h", 90),
        ("2h", 120),
        ("2 hours", 120),
        ("1:30", 90),
        ("0:45", 45),
        (" 1H30 ", 90),
    ],
)
def test_good_durations(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "1x", "h", "-30m", "1:75", "1h30x", "1.2.3h", "0", "0m", "0:00"]
)
def test_bad_durations(text):
    with pytest.raises(InputError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(timedelta(minutes=90), "1h30"), (timedelta(minutes=45), "45m"), (7200, "2h")],
)
def test_format_duration(value, shown):
    assert format_duration(value) == shown


@pytest.mark.parametrize(
    ("text", "local"),
    [
        ("now", datetime(2026, 3, 11, 16, 30)),
        ("", datetime(2026, 3, 11, 16, 30)),
        ("19:00", datetime(2026, 3, 11, 19, 0)),
        ("yesterday 19:00", datetime(2026, 3, 10, 19, 0)),
        ("yesterday", datetime(2026, 3, 10, 16, 30)),
        ("today 8:15", datetime(2026, 3, 11, 8, 15)),
        ("2026-03-01", datetime(2026, 3, 1, 0, 0)),
        ("2026-03-01 18:30", datetime(2026, 3, 1, 18, 30)),
    ],
)
def test_moments_in_local_time(text, local):
    assert parse_moment(text, NOW, BERLIN) == local.replace(tzinfo=BERLIN)


@pytest.mark.parametrize("text", ["someday", "yesterday at noonish", "32/13/2026"])
def test_bad_moments(text):
    with pytest.raises(InputError):
        parse_moment(text, NOW, BERLIN)


# Tuesday 2026-03-10 00:30 in Berlin: before the 04:00 rollover, the study day is Monday.
AFTER_MIDNIGHT = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)
CAL = StudyCalendar(BERLIN, rollover_hour=4)


@pytest.mark.parametrize(
    ("now", "text", "local"),
    [
        (AFTER_MIDNIGHT, "23:00", datetime(2026, 3, 9, 23, 0)),  # yesterday evening
        (AFTER_MIDNIGHT, "00:15", datetime(2026, 3, 10, 0, 15)),  # the same night
        (AFTER_MIDNIGHT, "yesterday 19:00", datetime(2026, 3, 8, 19, 0)),  # the study day before
        (AFTER_MIDNIGHT, "today 19:00", datetime(2026, 3, 9, 19, 0)),
        (AFTER_MIDNIGHT, "1 hour ago", datetime(2026, 3, 9, 23, 30)),
        (AFTER_MIDNIGHT, "90m ago", datetime(2026, 3, 9, 23, 0)),
        (NOW, "fri 10:00", datetime(2026, 3, 6, 10, 0)),  # NOW is a Wednesday
        (NOW, "wed 9:00", datetime(2026, 3, 11, 9, 0)),  # today is Wednesday
        (NOW, "last wednesday 9:00", datetime(2026, 3, 4, 9, 0)),
        (NOW, "last friday 10:00", datetime(2026, 3, 6, 10, 0)),
        (NOW, "friday at 10am", datetime(2026, 3, 6, 10, 0)),
        (NOW, "2 days ago", datetime(2026, 3, 9, 16, 30)),
    ],
)
def test_moments_people_type(now, text, local):
    assert parse_moment(text, now, CAL) == local.replace(tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("19:00-20:30", datetime(2026, 3, 11, 19, 0), datetime(2026, 3, 11, 20, 30)),
        ("yesterday 19:00-20:30", datetime(2026, 3, 10, 19, 0), datetime(2026, 3, 10, 20, 30)),
        ("mon 23:30 - 00:45", datetime(2026, 3, 9, 23, 30), datetime(2026, 3, 10, 0, 45)),
    ],
)
def test_intervals(text, start, end):
    assert parse_interval(text, NOW, CAL) == (
        start.replace(tzinfo=BERLIN),
        end.replace(tzinfo=BERLIN),
    )


def test_a_duration_and_a_time_are_not_intervals():
    assert parse_interval("1h30", NOW, CAL) is None and parse_interval("19:00", NOW, CAL) is None


@pytest.mark.parametrize(
    ("text", "minutes"), [("01:30:00", 90), ("PT1H30M", 90), ("pt45m", 45), ("PT2H", 120)]
)
def test_clock_and_iso_durations(text, minutes):
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", date(2026, 3, 11)),
        ("tomorrow", date(2026, 3, 12)),
        ("wed", date(2026, 3, 11)),  # today is Wednesday
        ("next wed", date(2026, 3, 18)),
        ("mon", date(2026, 3, 16)),
        ("next tue", date(2026, 3, 17)),
        ("2026-04-02", date(2026, 4, 2)),
    ],
)
def test_days_for_planning_look_ahead(text, day):
    assert parse_day(text, date(2026, 3, 11)) == day


@pytest.mark.parametrize("text", ["someday", "next moonday", "0001-01-01", "3000-01-01"])
def test_unreadable_days_list_what_works(text):
    with pytest.raises(InputError, match="try today, tomorrow|between 1970 and 2100"):
        parse_day(text, date(2026, 3, 11))


@pytest.mark.parametrize(("n", "shown"), [(0, "0 days"), (1, "1 day"), (2, "2 days")])
def test_counts_take_the_right_number(n, shown):
    assert count_of(n, "day") == shown
