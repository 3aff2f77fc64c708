"""Storage: SQLModel tables, the engine, schema upgrades and content sync."""

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
