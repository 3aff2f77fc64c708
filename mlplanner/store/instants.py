"""Instants as text on SQLite, in one place.

SQLite has no date type: an instant is stored as naive UTC text with six digits of
microseconds (`2026-03-01 08:00:00.000000`), the format SQLAlchemy's SQLite `DATETIME`
writes. Queries compare these strings, so the column type (`types.UTCDateTime`), the
prepared statements of the answer path (`prepared.py`) and the quick commands' sqlite3
path (`lean.py`) must write the very same text: all three call `stored_instant`. Only
the standard library here, so the quick commands stay free of SQLAlchemy.
"""

from __future__ import annotations

from datetime import UTC, datetime


def stored_instant(value: datetime) -> str:
    """An aware instant as stored on SQLite: UTC, no zone, always microseconds.

    `isoformat` pads the year to four digits, as SQLAlchemy does (`strftime("%Y")` does
    not, before the year 1000), and is a few times faster than filling a template."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: instants must carry a time zone")
    return value.astimezone(UTC).isoformat(" ", "microseconds")[:26]


def stored_instant_or_none(value: datetime | None) -> str | None:
    """`stored_instant` for a column that may be empty."""
    return None if value is None else stored_instant(value)


def instant(value: str | None) -> datetime | None:
    """A stored instant read back, aware again (in UTC)."""
    if value is None:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
