"""Statements of the hot paths, handed straight to the driver on SQLite.

Running a Core statement costs SQLAlchemy tens of microseconds (the compiled-statement
cache, an execution context, a result object) against a few for sqlite3 itself;
answering a card runs three. A `Prepared` statement is compiled once; on SQLite each run
passes the compiled text and the values, converted by the same column types (instants by
`instants.stored_instant`, as `UTCDateTime` does, so stored text compares equal), to the driver's connection inside the caller's transaction, and
sqlite3's statement cache keeps it prepared. Other databases run the Core statement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert, Update

from .instants import stored_instant_or_none
from .types import UTCDateTime

_SQLITE = sqlite.dialect()

Processor = Callable[[Any], Any] | None


def connection_of(db: Session | Connection) -> Connection:
    """The connection of a unit of work, whether an ORM session or a bare transaction."""
    return db if isinstance(db, Connection) else db.connection()


Statement = Update | Insert


class Prepared:
    """An UPDATE or INSERT with named parameters; `run` returns the rows it changed,
    `insert` the new row's id. `statement` is the statement, or a function giving each
    dialect's own (an upsert, say) from the dialect's name."""

    def __init__(
        self, statement: Statement | Callable[[str], Statement], returning_id: Any = None
    ) -> None:
        self.statement_for = statement if callable(statement) else (lambda _dialect: statement)
        portable = self.statement_for("sqlite")
        # Elsewhere the id comes back by RETURNING; on SQLite, from the cursor.
        self.returning = portable.returning(returning_id) if returning_id is not None else None
        compiled = portable.compile(dialect=_SQLITE)
        self.sql = str(compiled)
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        self.processors: tuple[Processor, ...] = tuple(
            stored_instant_or_none  # what UTCDateTime writes, in one call
            if isinstance(compiled.binds[name].type, UTCDateTime)
            else compiled.binds[name].type.dialect_impl(_SQLITE).bind_processor(_SQLITE)
            for name in self.names
        )

    def _values(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(
            params[name] if process is None else process(params[name])
            for name, process in zip(self.names, self.processors, strict=True)
        )

    def _failed(self, error: sqlite3.Error) -> StatementError:
        """A driver error as SQLAlchemy raises it (OperationalError for a busy, read-only
        or full database), so the unit of work reports it as for any other statement."""
        return DBAPIError.instance(self.sql, None, error, sqlite3.Error)

    def run(self, connection: Connection, params: Mapping[str, Any]) -> int:
        if connection.dialect.name == "sqlite":
            driver = connection.connection.driver_connection
            assert driver is not None
            try:
                return int(driver.execute(self.sql, self._values(params)).rowcount)
            except sqlite3.Error as error:
                raise self._failed(error) from error
        statement = self.statement_for(connection.dialect.name)
        return int(connection.execute(statement, dict(params)).rowcount)

    def insert(self, connection: Connection, params: Mapping[str, Any]) -> int:
        if connection.dialect.name == "sqlite":
            driver = connection.connection.driver_connection
            assert driver is not None
            try:
                row_id = driver.execute(self.sql, self._values(params)).lastrowid
            except sqlite3.Error as error:
                raise self._failed(error) from error
            assert row_id is not None
            return int(row_id)
        assert self.returning is not None, "insert() needs the id column to return"
        return int(connection.execute(self.returning, dict(params)).scalar_one())
