"""Storage: SQLModel tables, the engine, schema upgrades and content sync.

The names below load SQLAlchemy when first used, so `store.lean` (plain sqlite3, for the
quick commands) can be imported without it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import (
        SCHEMA_HEAD,
        StoreError,
        make_engine,
        prepare_database,
        transaction,
        unit_of_work,
    )

__all__ = [
    "SCHEMA_HEAD",
    "StoreError",
    "make_engine",
    "prepare_database",
    "transaction",
    "unit_of_work",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
