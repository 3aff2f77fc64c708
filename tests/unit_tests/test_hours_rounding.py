"""One rounding rule for time shown anywhere: hours to one decimal and minutes, a half
rounded up, read from the decimal value (not the binary one)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mlplanner.services.durations import format_duration, format_hours, whole_minutes


@pytest.mark.parametrize(
    ("hours", "shown"),
    [
        (0, "0.0"),
        (0.04, "0.0"),
        (0.05, "0.1"),  # a half goes up
        (0.15, "0.2"),  # 0.1499999… in binary; f"{0.15:.1f}" says 0.1
        (2.25, "2.3"),  # f"{2.25:.1f}" rounds the half to even: 2.2
        (0.9499, "0.9"),
        (0.949999, "0.9"),
        (0.95, "1.0"),
        (3420 / 3600, "1.0"),  # 57 minutes
        (3419 / 3600, "0.9"),
        (59 / 3600, "0.0"),  # 59 seconds
        (180 / 3600, "0.1"),  # 3 minutes: exactly 0.05 h
        (0.1 + 0.2, "0.3"),  # float noise is not a figure
        (10, "10.0"),
        (-0.04, "0.0"),  # never "-0.0"
    ],
)
def test_hours_to_one_decimal_half_up(hours, shown):
    assert format_hours(hours) == shown


@pytest.mark.parametrize(
    ("hours", "shown"), [(1392.5, "1393"), (1392.49, "1392"), (0.5, "1"), (2.5, "3")]
)
def test_whole_hours_by_the_same_rule(hours, shown):
    assert format_hours(hours, 0) == shown


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (29, "0m"),
        (30, "1m"),  # half a minute goes up
        (59, "1m"),
        (90, "2m"),
        (150, "3m"),  # round(2.5) says 2
        (3569, "59m"),
        (3570, "1h"),  # 59.5 minutes is an hour
        (5399, "1h30"),
        (5400, "1h30"),
        (timedelta(hours=2, minutes=5), "2h05"),
    ],
)
def test_a_session_in_whole_minutes_half_up(seconds, shown):
    assert format_duration(seconds) == shown


def test_the_timer_logs_whole_minutes_by_the_same_rule():
    assert whole_minutes(timedelta(minutes=2, seconds=30)) == 3
    assert whole_minutes(timedelta(minutes=2, seconds=29)) == 2
