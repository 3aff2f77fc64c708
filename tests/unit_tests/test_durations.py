from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mlplanner.services.durations import InputError, format_duration, parse_duration, parse_moment

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
