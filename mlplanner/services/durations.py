"""Reading the durations and moments people type: `90m`, `1h30`, `1.5h`, `1:30`, `yesterday 19:00`."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import parser as date_parser

from ..errors import BadInput


class InputError(BadInput):
    """What a person typed cannot be read; the message says what was expected."""

    title = "Not understood"


_HOURS_MINUTES = re.compile(
    r"^(?:(?P<h>\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hour|hours))?\s*"
    r"(?:(?P<m>\d+(?:[.,]\d+)?)\s*(?:m|min|mins|minute|minutes)?)?$"
)
_CLOCK = re.compile(r"^(?P<h>\d+):(?P<m>[0-5]\d)$")


def parse_duration(text: str) -> timedelta:
    """A positive duration; a bare number is minutes, as in `45`."""
    cleaned = text.strip().lower()
    if not cleaned:
        raise InputError("enter a duration, e.g. 90m, 1h30, 1.5h or 1:30")
    if cleaned.startswith("-"):
        raise InputError(f"'{text}' is negative: a duration must be more than zero")
    clock = _CLOCK.match(cleaned)
    if clock:
        value = timedelta(hours=int(clock["h"]), minutes=int(clock["m"]))
    else:
        found = _HOURS_MINUTES.match(cleaned)
        if not found or not (found["h"] or found["m"]):
            raise InputError(f"cannot read '{text}' as a duration; try 90m, 1h30, 1.5h or 1:30")
        hours = float(found["h"].replace(",", ".")) if found["h"] else 0.0
        minutes = float(found["m"].replace(",", ".")) if found["m"] else 0.0
        value = timedelta(hours=hours, minutes=minutes)
    if value <= timedelta(0):
        raise InputError("the duration must be more than zero")
    return value


def format_duration(value: timedelta | int | float) -> str:
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    minutes = round(seconds / 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours}h{minutes:02d}"
    return f"{hours}h" if hours else f"{minutes}m"


_RELATIVE = {"today": 0, "yesterday": -1}


def parse_moment(text: str, now: datetime, tz: ZoneInfo) -> datetime:
    """A local moment: `now`, `yesterday 19:00`, `19:00`, `2026-03-10 18:30`, `2026-03-10`."""
    cleaned = text.strip().lower()
    if not cleaned or cleaned == "now":
        return now
    local_now = now.astimezone(tz)
    words = cleaned.split(maxsplit=1)
    day: date | None = None
    if words[0] in _RELATIVE:
        day = local_now.date() + timedelta(days=_RELATIVE[words[0]])
        cleaned = words[1] if len(words) > 1 else ""
        if not cleaned:
            return datetime.combine(day, local_now.time(), tzinfo=tz)
    default = datetime.combine(day or local_now.date(), time(0))
    try:
        parsed = date_parser.parse(cleaned, default=default, dayfirst=False)
    except (ValueError, OverflowError):
        raise InputError(
            f"cannot read '{text}' as a time; try 'now', '19:00', 'yesterday 19:00' "
            "or '2026-03-10 18:30'"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return within_range(parsed, text)


EARLIEST_YEAR, LATEST_YEAR = 1970, 2100


def within_range(moment: datetime, text: str | None = None) -> datetime:
    """Refuse dates a study planner has no use for (and some databases cannot sort)."""
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        shown = f"'{text}'" if text else moment.date().isoformat()
        raise InputError(
            f"{shown} is in the year {moment.year}: dates must fall between "
            f"{EARLIEST_YEAR} and {LATEST_YEAR}"
        )
    return moment
