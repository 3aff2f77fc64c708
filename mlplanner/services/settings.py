"""The learner's settings, stored in the database so every front end sees the same."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from ..errors import BadInput

if TYPE_CHECKING:  # the tables load with the first database use, not with the settings
    from sqlmodel import Session

MAX_NEW_PER_DAY = 9_999
MAX_REVIEWS_PER_DAY = 99_999


class SettingsError(BadInput):
    """A setting outside what the planner can use; the message lists each problem."""

    title = "Settings"


if TYPE_CHECKING:
    from .timer import Pomodoro


class Settings(NamedTuple):
    weekly_target_hours: float = 10.0
    rollover_hour: int = 4
    desired_retention: float = 0.9
    new_cards_per_day: int = 20
    reviews_per_day: int = 200
    theme: str = "textual-dark"
    availability: str = "mon-fri 19:00-21:00; sat 09:00-13:00"
    session_minutes: int = 90
    pomodoro_work_min: int = 25
    pomodoro_break_min: int = 5
    pomodoro_long_break_min: int = 15
    pomodoro_long_every: int = 4
    reminder_minutes: int = 0  # calendar export: an alarm this long before a block; 0 = none
    time_zone: str = ""  # an IANA name; empty: the system's zone
    target_date: str = ""  # an ISO date to finish the path by; empty: none

    def validated(self) -> Settings:
        problems = []
        if not 0 < self.weekly_target_hours <= 100:
            problems.append("weekly target must be between 0 and 100 hours")
        if not 0 <= self.rollover_hour <= 23:
            problems.append("rollover hour must be 0-23")
        if not 0.7 <= self.desired_retention <= 0.99:
            problems.append("desired retention must be between 0.70 and 0.99")
        if not 0 <= self.new_cards_per_day <= MAX_NEW_PER_DAY:
            problems.append(f"new cards per day must be between 0 and {MAX_NEW_PER_DAY:,}")
        if not 0 <= self.reviews_per_day <= MAX_REVIEWS_PER_DAY:
            problems.append(f"reviews per day must be between 0 and {MAX_REVIEWS_PER_DAY:,}")
        if not (
            1 <= self.pomodoro_work_min <= 240
            and 1 <= self.pomodoro_break_min <= 120
            and 1 <= self.pomodoro_long_break_min <= 240
            and 1 <= self.pomodoro_long_every <= 12
        ):
            problems.append("Pomodoro: work 1-240 min, breaks 1-120/240 min, long break every 1-12")
        if not 15 <= self.session_minutes <= 12 * 60:
            problems.append("a planned session lasts 15 minutes to 12 hours")
        if not 0 <= self.reminder_minutes <= 7 * 24 * 60:
            problems.append("a reminder comes 0 (none) to 10080 minutes (a week) before a block")
        if self.time_zone.strip():
            try:
                zone_named(self.time_zone)
            except ValueError as exc:
                problems.append(str(exc))
        if self.target_date.strip():
            try:
                from .projection import parse_target_date

                parse_target_date(self.target_date)
            except ValueError:
                problems.append(
                    f"target date '{self.target_date}' is not a date such as 2027-12-31 "
                    "(empty for none)"
                )
        try:
            from .autoplan import parse_windows

            parse_windows(self.availability)
        except ValueError as exc:
            problems.append(f"availability: {exc}")
        if problems:
            raise SettingsError("; ".join(problems))
        return self


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone of that name (ValueError naming close matches otherwise)."""
    name = name.strip()
    try:
        if name and not name.startswith(("/", ".")) and ".." not in name:
            return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    import difflib

    close = difflib.get_close_matches(name, sorted(available_timezones()), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else " (e.g. Europe/Paris, UTC)"
    raise ValueError(f"time zone '{name}' is not an IANA time-zone name{hint}")


def learner_zone(settings: Settings, fallback: ZoneInfo) -> ZoneInfo:
    """The zone the learner chose, or `fallback` (the system's) when none or unusable."""
    if not settings.time_zone.strip():
        return fallback
    try:
        return zone_named(settings.time_zone)
    except ValueError:
        return fallback


_PREFIX = "setting."


def get_raw(session: Session, key: str) -> str | None:
    from ..store.models import Setting

    row = session.get(Setting, key)
    return row.value if row else None


def set_raw(session: Session, key: str, value: str) -> None:
    """One statement, so two processes storing the same new key both succeed."""
    from ..store.models import Setting
    from ..store.upserts import setting_upsert

    session.flush()
    statement = setting_upsert(session.get_bind().dialect.name)
    session.execute(statement, {"key": key, "value": value})
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, Setting) and loaded.key == key:
            session.expire(loaded)


def load(session: Session) -> Settings:
    """Stored values over the defaults; a value of the wrong type falls back to the default."""
    from sqlmodel import col, select

    from ..store.models import Setting

    keys = [_PREFIX + name for name in Settings._fields]
    rows = session.exec(select(Setting.key, Setting.value).where(col(Setting.key).in_(keys)))
    return from_raw(dict(rows.all()))


def from_raw(stored: Mapping[str, str]) -> Settings:
    """The settings from the stored rows (key to raw value), as `load` reads them."""
    defaults = Settings()
    values: dict[str, Any] = {}
    for name in Settings._fields:
        raw = stored.get(_PREFIX + name)
        if raw is None:
            continue
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if isinstance(value, type(getattr(defaults, name))) or (
            isinstance(value, int) and isinstance(getattr(defaults, name), float)
        ):
            values[name] = value
    return defaults._replace(**values)


def update(session: Session, **changes: Any) -> Settings:
    new = load(session)._replace(**changes).validated()
    for name, value in new._asdict().items():
        if name in changes:
            set_raw(session, _PREFIX + name, json.dumps(value))
    return new


def pomodoro(settings: Settings) -> Pomodoro:
    from .timer import Pomodoro

    return Pomodoro(
        settings.pomodoro_work_min,
        settings.pomodoro_break_min,
        settings.pomodoro_long_break_min,
        settings.pomodoro_long_every,
    )
