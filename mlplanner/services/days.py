"""The learner's calendar: local zone, study days that start at the rollover hour, weeks."""

from __future__ import annotations

import math
import os
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_zone() -> ZoneInfo:
    """The machine's IANA zone (TZ, then /etc/localtime), UTC when it cannot be told."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return ZoneInfo("UTC")


def study_day(instant: datetime, tz: ZoneInfo, rollover_hour: int) -> date:
    """The day an instant counts for: 01:30 with a 04:00 rollover belongs to yesterday."""
    local = instant.astimezone(tz)
    return (local - timedelta(hours=rollover_hour)).date()


def day_start(day: date, tz: ZoneInfo, rollover_hour: int) -> datetime:
    """The UTC instant at which a study day begins."""
    return datetime.combine(day, time(rollover_hour), tzinfo=tz).astimezone(UTC)


def week_start(day: date, first_weekday: int = 0) -> date:
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


class StudyCalendar(NamedTuple):
    """Where and when the learner's days and weeks begin: one value for every front end."""

    tz: ZoneInfo
    rollover_hour: int = 4
    first_weekday: int = 0  # 0 = Monday … 6 = Sunday

    def study_day(self, instant: datetime) -> date:
        return study_day(instant, self.tz, self.rollover_hour)

    def today(self, now: datetime) -> date:
        return study_day(now, self.tz, self.rollover_hour)

    def day_start(self, day: date) -> datetime:
        return day_start(day, self.tz, self.rollover_hour)

    def day_end(self, day: date) -> datetime:
        return day_start(day + timedelta(days=1), self.tz, self.rollover_hour)

    def week_start(self, day: date) -> date:
        return week_start(day, self.first_weekday)

    def this_week(self, now: datetime) -> date:
        return self.week_start(self.today(now))

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.tz)


def streaks(days: set[date], today: date) -> tuple[int, int]:
    """Current streak (ending today, or yesterday while today is still open) and longest."""
    longest = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = 0
    day = today if today in days else today - timedelta(days=1)
    while day in days:
        current += 1
        day -= timedelta(days=1)
    return current, longest


def offset_spans(
    tz: ZoneInfo, begin: datetime, end: datetime
) -> list[tuple[datetime, datetime, int]]:
    """Split [begin, end) into stretches where the zone's UTC offset (in seconds) holds.

    Offsets change at most a few times a year, months apart, so a week-by-week walk
    finds the changes and a bisection to the second places them."""

    def offset(instant: datetime) -> int:
        utc_offset = instant.astimezone(tz).utcoffset()
        assert utc_offset is not None, "an aware time has an offset"
        return int(utc_offset.total_seconds())

    def at(seconds: int) -> datetime:
        return datetime.fromtimestamp(seconds, UTC)

    spans: list[tuple[datetime, datetime, int]] = []
    span_start, current = begin, offset(begin)
    probe = begin
    while probe < end:
        step = min(probe + timedelta(days=7), end)
        if offset(step) != current:
            low, high = math.floor(probe.timestamp()), math.ceil(step.timestamp())
            while high - low > 1:  # offset(low) is the current one, offset(high) is not
                middle = (low + high) // 2
                low, high = (middle, high) if offset(at(middle)) == current else (low, middle)
            change = max(at(high), span_start)
            spans.append((span_start, change, current))
            span_start, current = change, offset(change)
        probe = step
    spans.append((span_start, end, current))
    return [(a, b, o) for a, b, o in spans if a < b]
