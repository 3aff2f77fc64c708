"""Reading the durations, moments, intervals and days people type — one parser for the log
form, the command line and the block form.

Moments for logging look back (`fri 10:00` is the most recent Friday); days for planning
look ahead (`tue` is the next Tuesday). A bare time belongs to the current study day, so
at 00:30 with the day turning at 04:00, `23:00` is yesterday evening.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from ..errors import BadInput
from .days import StudyCalendar

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

EARLIEST_YEAR, LATEST_YEAR = 1970, 2100

DURATION_FORMS = "90m, 1h30, 1.5h, 1:30, 01:30:00 or PT1H30M"
MOMENT_FORMS = (
    "now, 19:00, 'yesterday 19:00', 'fri 10:00', 'last friday 10:00', '1 hour ago', "
    "'2026-03-10 18:30'"
)
INTERVAL_FORMS = "19:00-20:30, 'yesterday 19:00-20:30'"
DAY_FORMS = "today, tomorrow, mon, 'next tue', 2026-03-10"


class InputError(BadInput):
    """What a person typed cannot be read; the message says what was expected."""

    title = "Not understood"


# Patterns compiled when first used (by `re`'s cache): showing hours reads none of them.
_HOURS_MINUTES = (
    r"^(?:(?P<h>\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hour|hours))?\s*"
    r"(?:(?P<m>\d+(?:[.,]\d+)?)\s*(?:m|min|mins|minute|minutes)?)?$"
)
_CLOCK = r"^(?P<h>\d+):(?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?$"
_ISO = r"^pt(?:(?P<h>\d+(?:[.,]\d+)?)h)?(?:(?P<m>\d+(?:[.,]\d+)?)m)?(?:(?P<s>\d+)s)?$"


def parse_duration(text: str) -> timedelta:
    """A positive duration; a bare number is minutes, as in `45`."""
    cleaned = text.strip().lower()
    if not cleaned:
        raise InputError(f"enter a duration, e.g. {DURATION_FORMS}")
    if cleaned.startswith("-"):
        raise InputError(f"'{text}' is negative: a duration must be more than zero")
    value = _duration(cleaned)
    if value is None:
        raise InputError(f"cannot read '{text}' as a duration; try {DURATION_FORMS}")
    if value <= timedelta(0):
        raise InputError("the duration must be more than zero")
    return value


def _duration(cleaned: str) -> timedelta | None:
    clock = re.match(_CLOCK, cleaned)
    if clock:
        return timedelta(
            hours=int(clock["h"]), minutes=int(clock["m"]), seconds=int(clock["s"] or 0)
        )
    iso = re.match(_ISO, cleaned)
    if iso and any(iso.groups()):
        return timedelta(
            hours=_number(iso["h"]), minutes=_number(iso["m"]), seconds=_number(iso["s"])
        )
    found = re.match(_HOURS_MINUTES, cleaned)
    if not found or not (found["h"] or found["m"]):
        return None
    return timedelta(hours=_number(found["h"]), minutes=_number(found["m"]))


def _number(text: str | None) -> float:
    return float(text.replace(",", ".")) if text else 0.0


def count_of(number: int, noun: str) -> str:
    """`1 day`, `3 days`: a count with its noun in the right number."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


# One rounding rule for time, everywhere it is shown (screens, command line, notices):
#
# - a total or a rate in hours (`2.3h` this week, `7.3 h/week`): `format_hours`, one
#   decimal, a half rounded up (0.05 h → 0.1, 2.25 h → 2.3), read from the number as
#   written in decimal, so 0.15 h is 0.2 although 0.15 is a hair under it in binary;
#   `places=0` gives whole hours (the hours left on a path) by the same rule;
# - one session's length (`45m`, `1h30`): `format_duration`, whole minutes, half a
#   minute rounded up (29 s → 0m, 30 s → 1m, 59 s → 1m), minutes alone under an hour.
#
# Python's own rounding (`f"{x:.1f}"`, `round`) rounds a half to even and works on the
# binary value, so the same figure could read 2.2 in one place and 2.3 in another.


def _plain_decimal(text: str) -> tuple[bool, str, str] | None:
    """(negative, whole digits, fraction digits) of a float's repr such as `-2.25`; None
    for any other form (`1e-07`, `inf`, `nan`)."""
    negative = text.startswith("-")
    whole, _, fraction = text.removeprefix("-").partition(".")
    if not (whole.isdigit() and (not fraction or fraction.isdigit())):
        return None
    return negative, whole, fraction


def format_hours(hours: float, places: int = 1) -> str:
    """Hours as shown to the learner, without the unit: `2.3`, or `1393` with places=0."""
    text = repr(round(float(hours), 9))  # float noise off, then the number as written
    parts = _plain_decimal(text) if places >= 0 else None
    if parts is not None:  # rounded on the digits (as decimal's ROUND_HALF_UP does)
        negative, whole, fraction = parts
        kept = int(whole + fraction[:places].ljust(places, "0"))
        if fraction[places : places + 1] >= "5":  # a half or more: away from zero
            kept += 1
        shown = str(kept).rjust(places + 1, "0")
        if places:
            shown = f"{shown[:-places]}.{shown[-places:]}"
        return f"-{shown}" if negative and kept else shown  # never -0.0
    from decimal import ROUND_HALF_UP, Decimal

    exact = Decimal(text)
    step = Decimal(1).scaleb(-places)
    shown_value = exact.quantize(step, rounding=ROUND_HALF_UP)
    return f"{shown_value + 0:.{places}f}"  # + 0 turns -0.0 into 0.0


def whole_minutes(value: timedelta | int | float) -> int:
    """A length in whole minutes, half a minute rounded up (the rule of format_duration)."""
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    text = repr(round(seconds, 6))
    parts = _plain_decimal(text)
    if parts is not None and len(parts[1]) + len(parts[2]) <= 15:
        # The seconds as written, over 60, by whole numbers: exact (decimal's division
        # is too, for numbers this short), a half rounded away from zero.
        negative, whole, fraction = parts
        scale: int = 60 * 10 ** len(fraction)
        minutes, rest = divmod(int(whole + fraction), scale)
        minutes += 2 * rest >= scale
        return -minutes if negative else minutes
    from decimal import ROUND_HALF_UP, Decimal

    exact = Decimal(text) / 60
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_duration(value: timedelta | int | float) -> str:
    """One session's length: `45m`, `1h`, `1h30` (whole minutes, a half rounded up)."""
    hours, minutes = divmod(whole_minutes(value), 60)
    if hours and minutes:
        return f"{hours}h{minutes:02d}"
    return f"{hours}h" if hours else f"{minutes}m"


_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        [
            ("mon", "monday"),
            ("tue", "tues", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thur", "thurs", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        ]
    )
    for name in names
}
_AGO = r"^(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>m|min|mins|minutes?|h|hrs?|hours?|d|days?)\s+ago$"
_BARE_TIME = r"^\d{1,2}(?::\d{2})?\s*(?:am|pm)?$|^\d{1,2}\s*(?:am|pm)$"


def _parse_date(text: str, default: datetime) -> datetime:
    # dateutil's parser loads when free-form text needs it: `log 10m` never does.
    from dateutil import parser as date_parser

    return date_parser.parse(text, default=default)


def _calendar(where: StudyCalendar | ZoneInfo) -> StudyCalendar:
    return where if isinstance(where, StudyCalendar) else StudyCalendar(where)


def _time_of(text: str, original: str) -> time:
    try:
        parsed = _parse_date(text, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        raise InputError(f"cannot read '{original}' as a time; try {MOMENT_FORMS}") from None
    if parsed.date() != date(2000, 1, 1):
        raise InputError(f"cannot read '{original}' as a time of day; try 19:00")
    return parsed.time()


def _on_study_day(day: date, at: time, calendar: StudyCalendar) -> datetime:
    """A wall-clock time on a study day: times before the rollover fall after midnight."""
    moved = day + timedelta(days=1) if at.hour < calendar.rollover_hour else day
    return datetime.combine(moved, at, tzinfo=calendar.tz)


def _past_weekday(words: list[str], today: date) -> tuple[date, list[str]] | None:
    strictly_before = words[0] == "last" and len(words) > 1
    name = words[1] if strictly_before else words[0]
    if name not in _WEEKDAYS:
        return None
    back = (today.weekday() - _WEEKDAYS[name]) % 7
    if strictly_before and back == 0:
        back = 7
    return today - timedelta(days=back), words[2 if strictly_before else 1 :]


def parse_moment(text: str, now: datetime, calendar: StudyCalendar | ZoneInfo) -> datetime:
    """A moment in the past or present, in the learner's zone (see MOMENT_FORMS)."""
    cal = _calendar(calendar)
    cleaned = " ".join(text.strip().lower().replace(" at ", " ").split())
    if not cleaned or cleaned == "now":
        return now
    ago = re.match(_AGO, cleaned)
    if ago:
        amount, unit = _number(ago["n"]), ago["unit"][0]
        step = {"m": timedelta(minutes=amount), "h": timedelta(hours=amount)}
        return within_range(now - step.get(unit, timedelta(days=amount)), text)
    today = cal.today(now)
    words = cleaned.split()
    day: date | None = None
    rest: list[str] = words
    if words[0] in ("today", "yesterday"):
        day, rest = today - timedelta(days=words[0] == "yesterday"), words[1:]
    else:
        found = _past_weekday(words, today)
        if found is not None:
            day, rest = found
    if day is not None:
        if not rest:
            local_now = now.astimezone(cal.tz)
            if day == today:
                return now
            return within_range(_on_study_day(day, local_now.time(), cal), text)
        return within_range(_on_study_day(day, _time_of(" ".join(rest), text), cal), text)
    if re.match(_BARE_TIME, cleaned):
        return within_range(_on_study_day(today, _time_of(cleaned, text), cal), text)
    try:
        parsed = _parse_date(cleaned, default=datetime.combine(today, time(0)))
    except (ValueError, OverflowError):
        raise InputError(f"cannot read '{text}' as a time; try {MOMENT_FORMS}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=cal.tz)
    return within_range(parsed, text)


def parse_interval(
    text: str, now: datetime, calendar: StudyCalendar | ZoneInfo
) -> tuple[datetime, datetime] | None:
    """`19:00-20:30` or `yesterday 19:00-20:30` as (start, end); None if it is no interval.

    An end earlier than the start is on the next day (`23:30-00:45`)."""
    cleaned = text.strip().lower()
    found = re.match(
        r"^(?P<first>.*?\d{1,2}:\d{2})\s*(?:-|–|to)\s*(?P<end>\d{1,2}:\d{2})$", cleaned
    )
    if not found:
        return None
    start = parse_moment(found["first"], now, calendar)
    end_time = _time_of(found["end"], text)
    end = datetime.combine(start.date(), end_time, tzinfo=start.tzinfo)
    if end <= start:
        end += timedelta(days=1)
    return start, end


def parse_day(text: str, today: date) -> date:
    """A day to plan for: `today`, `tomorrow`, `mon` (the next Monday, today included),
    `next mon` (after today), or a date."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in ("", "today"):
        return today
    if cleaned == "tomorrow":
        return today + timedelta(days=1)
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    words = cleaned.split()
    later = words[0] == "next" and len(words) == 2
    name = words[-1] if later else cleaned
    if name in _WEEKDAYS and (later or len(words) == 1):
        ahead = (_WEEKDAYS[name] - today.weekday()) % 7
        if later and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead)
    try:
        parsed = _parse_date(cleaned, default=datetime.combine(today, time(0)))
    except (ValueError, OverflowError):
        raise InputError(f"cannot read '{text}' as a day; try {DAY_FORMS}") from None
    return within_range(parsed, text).date()


def within_range(moment: datetime, text: str | None = None) -> datetime:
    """Refuse dates a study planner has no use for (and some databases cannot sort)."""
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        shown = f"'{text}'" if text else moment.date().isoformat()
        raise InputError(
            f"{shown} is in the year {moment.year}: dates must fall between "
            f"{EARLIEST_YEAR} and {LATEST_YEAR}"
        )
    return moment
