"""Column types that keep instants in UTC on every backend."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from .instants import stored_instant


class _StoredInstant(SQLITE_DATETIME):
    """SQLite's DATETIME (same DDL, same parsing on the way back) for values that are
    already text: `UTCDateTime` writes them with `instants.stored_instant`, the one
    function every path that writes instants shares."""

    def bind_processor(self, dialect: Dialect) -> None:
        return None

    def literal_processor(self, dialect: Dialect) -> Callable[[Any], str]:
        return lambda value: f"'{value}'"


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; returns them aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return _StoredInstant()  # type: ignore[no-untyped-call]
        return super().load_dialect_impl(dialect)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return stored_instant(value)  # refuses a naive datetime too
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: instants must carry a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
