"""Writes settled by the database in one statement, on either database, through each
dialect's own insert: counters added to (`INSERT … ON CONFLICT DO UPDATE`) and rows added
unless already there (`INSERT … ON CONFLICT DO NOTHING`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table, bindparam
from sqlalchemy.sql.dml import Insert

from .models import ReviewDay, Setting

REVIEW_DAY_COUNTERS = ("reviews", "new_cards", "first_pass", "first_fail", "again", "time_ms")


def _insert_for(dialect: str, table: Table) -> Any:
    # Each dialect is imported when used: PostgreSQL's (with its drivers' modules) costs
    # a SQLite user's every start-up some 50 ms otherwise.
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    if dialect == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for the {dialect} dialect")


@cache
def review_day_upsert(dialect: str) -> Insert:
    """Add `add_<counter>` to the (the_day, the_topic) row, creating it at zero first.

    Two processes answering the first card of a new day both land: neither can see the
    other's row before inserting, so the database settles it, not the code."""
    table: Table = ReviewDay.__table__  # type: ignore[attr-defined]
    values: dict[str, Any] = {
        "day": bindparam("the_day"),
        "topic_id": bindparam("the_topic"),
        **{name: bindparam(f"add_{name}") for name in REVIEW_DAY_COUNTERS},
    }
    statement = _insert_for(dialect, table).values(values)
    upsert: Insert = statement.on_conflict_do_update(
        index_elements=["day", "topic_id"],
        set_={name: table.c[name] + statement.excluded[name] for name in REVIEW_DAY_COUNTERS},
    )
    return upsert


def insert_ignoring_duplicates(dialect: str, table: Table, keys: Sequence[str]) -> Insert:
    """Insert rows, skipping any whose `keys` are already stored (by another process
    meanwhile, say): with `.returning(...)` it yields only the rows it added."""
    statement: Insert = _insert_for(dialect, table).on_conflict_do_nothing(
        index_elements=list(keys)
    )
    return statement


def setting_upsert(dialect: str) -> Insert:
    """Store a setting's value whether or not another process stored one meanwhile."""
    table: Table = Setting.__table__  # type: ignore[attr-defined]
    statement = _insert_for(dialect, table).values(key=bindparam("key"), value=bindparam("value"))
    upsert: Insert = statement.on_conflict_do_update(
        index_elements=["key"], set_={"value": statement.excluded["value"]}
    )
    return upsert
