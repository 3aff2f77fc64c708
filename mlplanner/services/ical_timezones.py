"""VTIMEZONE components the way calendar servers write them: one STANDARD and one DAYLIGHT
part per run of years with the same rule, each an RRULE (`FREQ=YEARLY;BYMONTH=3;
BYDAY=-1SU`), so readers that look at the rule alone place every occurrence right.

The rules are read from the zone itself (`zoneinfo`): its transitions are found year by
year and grouped where month, weekday, week of the month, local time and offsets repeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class _Transition:
    at: datetime  # the instant, UTC
    local: datetime  # naive wall-clock time just before it (RFC 5545: in the offset before)
    before: timedelta
    after: timedelta
    name: str
    daylight: bool

    def pattern(self) -> tuple[object, ...]:
        day = self.local.date()
        last = (day + timedelta(days=7)).month != day.month
        week = -1 if last else (day.day - 1) // 7 + 1
        return (
            self.daylight,
            day.month,
            day.weekday(),
            week,
            self.local.time(),
            self.before,
            self.after,
            self.name,
        )

    def byday(self) -> str:
        week = self.pattern()[3]
        return f"{week}{_WEEKDAYS[self.local.weekday()]}"


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _transitions(zone: ZoneInfo, first_year: int, last_year: int) -> list[_Transition]:
    found = []
    moment = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    step = timedelta(days=1)
    while moment < end:
        later = moment + step
        if _offset(zone, moment) != _offset(zone, later):
            low, high = moment, later  # offset(low) differs from offset(high): bisect
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == _offset(zone, low):
                    low = middle
                else:
                    high = middle
            at = high.replace(microsecond=0)
            before, after = _offset(zone, low), _offset(zone, at)
            local = at.astimezone(zone)
            found.append(
                _Transition(
                    at=at,
                    local=(at + before).replace(tzinfo=None),
                    before=before,
                    after=after,
                    name=local.tzname() or "",
                    daylight=bool(local.dst()),
                )
            )
        moment = later
    return found


def _part(
    first: _Transition, last: _Transition, count: int, open_ended: bool
) -> TimezoneStandard | TimezoneDaylight:
    part: TimezoneStandard | TimezoneDaylight = (
        TimezoneDaylight() if first.daylight else TimezoneStandard()
    )
    part.add("dtstart", first.local)
    if count > 1 or open_ended:
        rule = vRecur(FREQ="YEARLY", BYMONTH=first.local.month, BYDAY=first.byday())
        if not open_ended:
            rule["UNTIL"] = [last.at]
        part.add("rrule", rule)
    if first.name:
        part.add("tzname", first.name)
    part.add("tzoffsetfrom", first.before)
    part.add("tzoffsetto", first.after)
    return part


def vtimezone(name: str, first: date, last: date) -> Timezone:
    """The zone's VTIMEZONE covering events from `first` on; its rules in effect at `last`
    stay open-ended, so a repeating event that runs past it is still placed right."""
    zone = ZoneInfo(name)
    component = Timezone()
    component.add("tzid", name)
    first_year, last_year = first.year - 1, last.year + 1
    transitions = _transitions(zone, first_year, last_year)
    if not transitions:
        at = datetime(first_year, 1, 1, tzinfo=UTC)
        offset = _offset(zone, at)
        part = TimezoneStandard()
        part.add("dtstart", datetime(first_year, 1, 1))
        part.add("tzname", at.astimezone(zone).tzname() or name)
        part.add("tzoffsetfrom", offset)
        part.add("tzoffsetto", offset)
        component.add_component(part)
        return component
    # The range starts a year before the first event, so its first transition comes
    # before every event: no part is needed for the time before it.
    for daylight in (False, True):
        kind = [t for t in transitions if t.daylight == daylight]
        runs: list[list[_Transition]] = []
        for item in kind:
            if (
                runs
                and runs[-1][-1].pattern() == item.pattern()
                and runs[-1][-1].at.year + 1 == item.at.year
            ):
                runs[-1].append(item)
            else:
                runs.append([item])
        for index, run in enumerate(runs):
            open_ended = index == len(runs) - 1 and run[-1].at.year == last_year
            component.add_component(_part(run[0], run[-1], len(run), open_ended))
    return component
