"""Repeating study blocks: RFC 5545 rules written and read with icalendar's `vRecur`,
expanded with dateutil's `rrule` over local wall-clock time, so 19:00 stays 19:00
across daylight-saving changes.

Rules are stored as text in the order the planner has always written them (FREQ,
INTERVAL, BYDAY, UNTIL, COUNT); an UNTIL is the last day's 23:59:59 local time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from ..errors import BadInput

if TYPE_CHECKING:
    from dateutil.rrule import rrule, rruleset

    from .rule_text import Rule

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
END_OF_DAY = time(23, 59, 59)
MIDNIGHT = time(0)
ONE_DAY = timedelta(days=1)
_PLAIN_WEEKLY = {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "WKST"}
MAX_WEEKS_APART = 520  # ten years: a longer gap is no study plan, and dates would overflow


class PlanError(BadInput):
    """A block that cannot be stored; the message says why."""

    title = "Study block"


class BlockTimes(Protocol):
    """What expanding a block reads: a stored block or a plain row of these columns."""

    @property
    def start_date(self) -> date: ...
    @property
    def start_time(self) -> time: ...
    @property
    def duration_min(self) -> int: ...
    @property
    def tz(self) -> str: ...
    @property
    def rrule(self) -> str | None: ...
    @property
    def skipped_dates(self) -> str: ...


def _parsed(rule: str) -> Rule:
    from .rule_text import parsed

    return parsed(rule)


def parse(rule: str) -> Rule:
    """A rule's parts (raises ValueError for text that is not a rule)."""
    from .rule_text import Rule

    return Rule({part: list(values) for part, values in _parsed(rule).items()})


@lru_cache(maxsize=4096)
def _text_parts(rule: str) -> dict[str, str] | None:
    """A stored rule's `NAME=VALUE` parts as written, or None for text of another shape.

    Enough to tell a plain weekly rule from any other without loading a calendar library:
    showing a week reads rules on every screen and in `mlplanner week`."""
    parts: dict[str, str] = {}
    for item in rule.strip().split(";"):
        name, sep, value = item.partition("=")
        name = name.strip().upper()
        if not sep or not name or name in parts:
            return None
        parts[name] = value.strip()
    return parts


def rule_parts(rule: str) -> dict[str, str]:
    """An RRULE's parts by name as text: `FREQ=WEEKLY;COUNT=3` -> {"FREQ": "WEEKLY",
    "COUNT": "3"}."""
    from icalendar import vText

    parsed = _parsed(rule)
    return {
        part: b",".join(parsed.types.get(part, vText)(v).to_ical() for v in values).decode()
        for part, values in parsed.sorted_items()
    }


def weekly_rule(
    weekdays: Sequence[int] | None = None,
    interval: int = 1,
    until: date | None = None,
    count: int | None = None,
) -> str:
    """An RFC 5545 weekly rule; weekdays are 0 (Monday) to 6."""
    if not 1 <= interval <= MAX_WEEKS_APART:
        raise PlanError(f"repeat every 1 to {MAX_WEEKS_APART} weeks")
    if until is not None and count is not None:
        raise PlanError("end a repetition by a date or by a count, not both")
    if count is not None and count < 1:
        raise PlanError("repeat at least once")
    from .rule_text import Rule

    rule = Rule(FREQ="WEEKLY")
    if interval > 1:
        rule["INTERVAL"] = [interval]
    if weekdays:
        rule["BYDAY"] = [WEEKDAY_CODES[d] for d in sorted(set(weekdays))]
    if until is not None:
        rule["UNTIL"] = [datetime.combine(until, END_OF_DAY)]
    if count is not None:
        rule["COUNT"] = [count]
    return rule.text()


def rule_for_calendar(rule: str, tz: str) -> Rule:
    """The rule as a calendar file carries it next to a DTSTART with a TZID: an UNTIL is
    the same instant written in UTC (RFC 5545 3.3.10), not floating local time."""
    parsed = parse(rule)
    until = parsed.first("UNTIL")
    if until is None:
        return parsed
    if not isinstance(until, datetime):
        until = datetime.combine(until, END_OF_DAY)
    if until.tzinfo is None:
        until = until.replace(tzinfo=ZoneInfo(tz))
    parsed["UNTIL"] = [until.astimezone(UTC)]
    return parsed


def until_date(rule: str) -> date | None:
    """The last day a rule may fall on, when it has an UNTIL."""
    until = _parsed(rule).first("UNTIL")
    if isinstance(until, datetime):
        return until.date()
    return until if isinstance(until, date) else None


@lru_cache(maxsize=4096)
def expand(rule: str, dtstart: datetime) -> rrule | rruleset:
    """The dateutil rule from a start; parsing costs more than expanding a week of it,
    and blocks repeat on every screen."""
    from dateutil.rrule import rrulestr

    return rrulestr(rule, dtstart=dtstart)


def check_rule(rule: str, start_date: date, start_time: time) -> None:
    try:
        expand(rule, datetime.combine(start_date, start_time))
        until = until_date(rule)
    except (ValueError, TypeError) as exc:
        raise PlanError(f"not a valid repetition rule: {exc}") from None
    if until is not None and until < start_date:
        raise PlanError("the repetition ends before the first day")


def ended_before(rule: str, day: date) -> str:
    """The rule ending on the day before `day` (a COUNT gives way to that UNTIL)."""
    parsed = parse(rule)
    parsed.pop("COUNT", None)
    parsed["UNTIL"] = [datetime.combine(day - timedelta(days=1), END_OF_DAY)]
    return parsed.text()


def continued_from(rule: str, first: datetime, day: date) -> str | None:
    """The rule for the occurrences from `day` on of a series starting at `first`: the
    same rule, or with COUNT less the occurrences before `day`; None when none are left."""
    parsed = parse(rule)
    count = parsed.first("COUNT")
    if count is None:
        return parsed.text()
    done = len(expand(rule, first).between(first, datetime.combine(day, time(0)), inc=True))
    if count - done < 1:
        return None
    parsed["COUNT"] = [count - done]
    return parsed.text()


def skipped(block: BlockTimes) -> set[date]:
    return {date.fromisoformat(s) for s in block.skipped_dates.split(",") if s}


def _fast_forward(rule: str, start: datetime, window_start: datetime) -> datetime:
    """A later start for a weekly rule without COUNT that yields the same occurrences in the
    window: whole multiples of the interval, ending at least a week before the window.

    Without it, expanding a block planned a year ago walks a year of occurrences."""
    parts = _text_parts(rule)
    if parts is None or parts.get("FREQ") != "WEEKLY" or "COUNT" in parts:
        return start
    interval = _whole(parts.get("INTERVAL", "1"))
    if interval is None:
        return start
    step = 7 * interval
    days = (window_start - start).days - 7
    if days < step:
        return start
    return start + timedelta(days=days // step * step)


def occurrences(block: BlockTimes, first: date, last: date) -> list[tuple[datetime, datetime]]:
    """Start and end of each occurrence touching [first, last], as aware local times.

    The rule runs over wall-clock time in the block's own zone, so 19:00 stays 19:00
    across daylight-saving changes. Plain weekly rules are counted by date arithmetic
    (`start_dates`), any other by dateutil (`expanded_occurrences`)."""
    plain = _plain_weekly(block.rrule, block.start_date.weekday()) if block.rrule else None
    if plain is None:
        return expanded_occurrences(block, first, last)
    duration, window_start, window_end = _window(block, first, last)
    at = block.start_time
    starts = [
        start
        for day in _weekly_dates(block, plain, window_start.date(), window_end.date())
        if window_start <= (start := datetime.combine(day, at)) <= window_end
    ]
    return _kept(block, starts, first, duration)


def expanded_occurrences(
    block: BlockTimes, first: date, last: date
) -> list[tuple[datetime, datetime]]:
    """`occurrences` by dateutil's expansion of the rule, whatever its shape."""
    duration, window_start, window_end = _window(block, first, last)
    start = datetime.combine(block.start_date, block.start_time)
    starts: list[datetime]
    if block.rrule:
        rule = expand(block.rrule, _fast_forward(block.rrule, start, window_start))
        starts = rule.between(window_start, window_end, inc=True)
    else:
        starts = [start] if window_start <= start < window_end else []
    return _kept(block, starts, first, duration)


def _window(block: BlockTimes, first: date, last: date) -> tuple[timedelta, datetime, datetime]:
    """The block's length and the span in which an occurrence must start to touch the days."""
    duration = timedelta(minutes=block.duration_min)
    window_start = datetime.combine(first, MIDNIGHT) - duration
    return duration, window_start, datetime.combine(last + ONE_DAY, MIDNIGHT)


def _kept(
    block: BlockTimes, starts: list[datetime], first: date, duration: timedelta
) -> list[tuple[datetime, datetime]]:
    if not starts:
        return []
    zone = ZoneInfo(block.tz)
    gone = skipped(block) if block.skipped_dates else ()
    week_begins = datetime.combine(first, MIDNIGHT)
    result = []
    for local in starts:
        if local.date() in gone or local + duration <= week_begins:
            continue
        aware = local.replace(tzinfo=zone)
        result.append((aware, aware + duration))
    return result


def _whole(text: str) -> int | None:
    """A whole number of weeks apart written in a rule, within bounds, or None (dateutil
    then reads the rule)."""
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        return None
    return int(text) if 1 <= int(text) <= MAX_WEEKS_APART else None


def _until(text: str) -> datetime | None:
    """A floating UNTIL (`20261231T235959` or `20261231`) as local time; None for any other
    (a UTC `...Z` UNTIL goes to dateutil)."""
    try:
        if len(text) == 8 and text.isdigit():
            until = datetime.strptime(text, "%Y%m%d")
        elif len(text) == 15 and text[8] == "T" and (text[:8] + text[9:]).isdigit():
            until = datetime.strptime(text, "%Y%m%dT%H%M%S")
        else:
            return None
    except ValueError:
        return None
    return until if 1900 <= until.year <= 2200 else None


@lru_cache(maxsize=4096)
def _plain_weekly(
    rule: str, start_weekday: int
) -> tuple[list[int], int, int, datetime | None] | None:
    """Weekdays, interval, week start and end of a WEEKLY rule with only those parts;
    None for any other rule."""
    parts = _text_parts(rule)
    if parts is None or parts.get("FREQ") != "WEEKLY" or not set(parts) <= _PLAIN_WEEKLY:
        return None
    codes = set(parts["BYDAY"].split(",")) if "BYDAY" in parts else {WEEKDAY_CODES[start_weekday]}
    wkst = parts.get("WKST", "MO")
    if not codes <= set(WEEKDAY_CODES) or wkst not in WEEKDAY_CODES:
        return None
    interval = _whole(parts.get("INTERVAL", "1"))
    until = None
    if "UNTIL" in parts:
        until = _until(parts["UNTIL"])
        if until is None:
            return None
    if interval is None:
        return None
    weekdays = sorted(WEEKDAY_CODES.index(c) for c in codes)
    return weekdays, interval, WEEKDAY_CODES.index(wkst), until


def start_dates(block: BlockTimes, first: date, last: date) -> list[date]:
    """Local dates on which the block's occurrences start, within [first, last].

    Plain weekly rules (the ones the block form writes) are counted by date arithmetic,
    which the statistics need for many weeks of many blocks at once; any other rule
    is expanded by dateutil."""
    plain = _plain_weekly(block.rrule, block.start_date.weekday()) if block.rrule else None
    if plain is None:
        return [s.date() for s, _ in occurrences(block, first, last) if first <= s.date() <= last]
    return _weekly_dates(block, plain, first, last)


@lru_cache(maxsize=512)
def _offsets(weekdays: tuple[int, ...], wkst: int) -> tuple[timedelta, ...]:
    """Each weekday's distance from the start of its week, soonest first."""
    return tuple(sorted(timedelta(days=(weekday - wkst) % 7) for weekday in weekdays))


def _weekly_dates(
    block: BlockTimes,
    plain: tuple[list[int], int, int, datetime | None],
    first: date,
    last: date,
) -> list[date]:
    """`start_dates` of a plain weekly rule (`_plain_weekly`), by date arithmetic."""
    weekdays, interval, wkst, until = plain
    begins, at = block.start_date, block.start_time
    if until is not None:
        last = min(last, until.date() if at <= until.time() else until.date() - ONE_DAY)
    lower = max(first, begins)
    gone = skipped(block) if block.skipped_dates else ()
    offsets = _offsets(tuple(weekdays), wkst)
    anchor = begins - timedelta(days=(begins.weekday() - wkst) % 7)
    week = lower - timedelta(days=(lower.weekday() - wkst) % 7)
    lag = (week - anchor).days // 7 % interval
    if lag:
        week += timedelta(weeks=interval - lag)
    step = timedelta(weeks=interval)
    result = []
    while week <= last:
        for offset in offsets:
            day = week + offset
            if lower <= day <= last and day not in gone:
                result.append(day)
        week += step
    return result
