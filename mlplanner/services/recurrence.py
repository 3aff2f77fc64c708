"""Repeating study blocks: RFC 5545 rules written and read with icalendar's `vRecur`,
expanded with dateutil's `rrule` over local wall-clock time, so 19:00 stays 19:00
across daylight-saving changes.

Rules are stored as text in the order the planner has always written them (FREQ,
INTERVAL, BYDAY, UNTIL, COUNT); an UNTIL is the last day's 23:59:59 local time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rruleset, rrulestr
from icalendar import vRecur, vText

from ..errors import BadInput

WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
END_OF_DAY = time(23, 59, 59)
_PLAIN_WEEKLY = {"FREQ", "INTERVAL", "BYDAY", "UNTIL", "WKST"}


class PlanError(BadInput):
    """A block that cannot be stored; the message says why."""

    title = "Study block"


class Rule(vRecur):
    """A recurrence rule, written in the planner's order (any order reads the same)."""

    canonical_order = (
        "FREQ",
        "INTERVAL",
        "BYDAY",
        "UNTIL",
        "COUNT",
        "RSCALE",
        "BYSECOND",
        "BYMINUTE",
        "BYHOUR",
        "BYWEEKDAY",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYMONTH",
        "BYSETPOS",
        "WKST",
        "SKIP",
    )

    def text(self) -> str:
        return bytes(self.to_ical()).decode()  # type: ignore[no-untyped-call]

    def first(self, part: str, default: Any = None) -> Any:
        values = self.get(part)
        return values[0] if values else default


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


@lru_cache(maxsize=4096)
def _parsed(rule: str) -> Rule:
    """Shared between callers: never changed (`parse` hands out copies)."""
    parsed: Rule = Rule.from_ical(rule)
    return parsed


def parse(rule: str) -> Rule:
    """A rule's parts (raises ValueError for text that is not a rule)."""
    return Rule({part: list(values) for part, values in _parsed(rule).items()})


def rule_parts(rule: str) -> dict[str, str]:
    """An RRULE's parts by name as text: `FREQ=WEEKLY;COUNT=3` -> {"FREQ": "WEEKLY",
    "COUNT": "3"}."""
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
    if interval < 1:
        raise PlanError("repeat every 1 week or more")
    if until is not None and count is not None:
        raise PlanError("end a repetition by a date or by a count, not both")
    if count is not None and count < 1:
        raise PlanError("repeat at least once")
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
    parsed = _parsed(rule)
    if parsed.first("FREQ") != "WEEKLY" or "COUNT" in parsed:
        return start
    step = 7 * int(parsed.first("INTERVAL", 1))
    days = (window_start - start).days - 7
    if days < step:
        return start
    return start + timedelta(days=days // step * step)


def occurrences(block: BlockTimes, first: date, last: date) -> list[tuple[datetime, datetime]]:
    """Start and end of each occurrence touching [first, last], as aware local times.

    The rule runs over wall-clock time in the block's own zone, so 19:00 stays 19:00
    across daylight-saving changes.
    """
    zone = ZoneInfo(block.tz)
    duration = timedelta(minutes=block.duration_min)
    start = datetime.combine(block.start_date, block.start_time)
    window_start = datetime.combine(first, time(0)) - duration
    window_end = datetime.combine(last + timedelta(days=1), time(0))
    starts: list[datetime]
    if block.rrule:
        rule = expand(block.rrule, _fast_forward(block.rrule, start, window_start))
        starts = rule.between(window_start, window_end, inc=True)
    else:
        starts = [start] if window_start <= start < window_end else []
    gone = skipped(block)
    week_begins = datetime.combine(first, time(0))
    result = []
    for local in starts:
        if local.date() in gone or local + duration <= week_begins:
            continue
        aware = local.replace(tzinfo=zone)
        result.append((aware, aware + duration))
    return result


@lru_cache(maxsize=4096)
def _plain_weekly(
    rule: str, start_weekday: int
) -> tuple[list[int], int, int, datetime | None] | None:
    """Weekdays, interval, week start and end of a WEEKLY rule with only those parts;
    None for any other rule."""
    try:
        parsed = _parsed(rule)
    except ValueError:
        return None
    if parsed.first("FREQ") != "WEEKLY" or not set(parsed) <= _PLAIN_WEEKLY:
        return None
    codes = {str(c) for c in parsed.get("BYDAY", [WEEKDAY_CODES[start_weekday]])}
    wkst = str(parsed.first("WKST", "MO"))
    if not codes <= set(WEEKDAY_CODES) or wkst not in WEEKDAY_CODES:
        return None
    interval = parsed.first("INTERVAL", 1)
    until = parsed.first("UNTIL")
    if isinstance(until, datetime):
        if until.tzinfo is not None:
            return None
    elif isinstance(until, date):
        until = datetime.combine(until, time(0))
    elif until is not None:
        return None
    if not isinstance(interval, int) or interval < 1:
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
    weekdays, interval, wkst, until = plain
    begins, at = block.start_date, block.start_time
    if until is not None:
        last = min(last, until.date() if at <= until.time() else until.date() - timedelta(days=1))
    lower = max(first, begins)
    gone = skipped(block) if block.skipped_dates else set()
    offsets = sorted(timedelta(days=(weekday - wkst) % 7) for weekday in weekdays)
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
