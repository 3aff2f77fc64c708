"""RFC 5545 recurrence rules as text, written and read with icalendar's `vRecur`.

Kept apart from the expansion in `recurrence`, so that showing a week (which reads rules
but never writes them) does not load the calendar library."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from icalendar import vRecur


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


@lru_cache(maxsize=4096)
def parsed(rule: str) -> Rule:
    """Shared between callers: never changed (`recurrence.parse` hands out copies)."""
    result: Rule = Rule.from_ical(rule)
    return result
