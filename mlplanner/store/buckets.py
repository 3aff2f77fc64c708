"""SQL that turns stored UTC instants into calendar days, spelled for each backend."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String


class shifted_day(FunctionElement[str]):
    """'YYYY-MM-DD' of a stored UTC instant moved by a whole number of seconds.

    With the shift set to a zone's offset less the rollover hour, it is the study day of
    every instant in a stretch of time where that offset holds; the database does the
    grouping and returns one row per day instead of one per session."""

    type = String()
    inherit_cache = False
    name = "shifted_day"

    def __init__(self, column: Any, seconds: int) -> None:
        self.seconds = int(seconds)
        super().__init__(column)


@compiles(shifted_day, "sqlite")
def _sqlite(element: shifted_day, compiler: SQLCompiler, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"date({arg}, '{element.seconds:+d} seconds')"


@compiles(shifted_day, "postgresql")
def _postgresql(element: shifted_day, compiler: SQLCompiler, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return (
        f"to_char((({arg}) AT TIME ZONE 'UTC') + INTERVAL '{element.seconds:d} seconds', "
        "'YYYY-MM-DD')"
    )


@compiles(shifted_day)
def _default(element: shifted_day, compiler: SQLCompiler, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"CAST(CAST({arg} AS TIMESTAMP) + INTERVAL '{element.seconds:d}' SECOND AS DATE)"


class utc_date(FunctionElement[str]):
    """'YYYY-MM-DD' of a stored UTC instant, read off without date arithmetic."""

    type = String()
    inherit_cache = True
    name = "utc_date"


class utc_hour(FunctionElement[str]):
    """'HH' (00-23) of a stored UTC instant."""

    type = String()
    inherit_cache = True
    name = "utc_hour"


@compiles(utc_date, "sqlite")
def _sqlite_date(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 10)"


@compiles(utc_hour, "sqlite")
def _sqlite_hour(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    return f"substr({compiler.process(element.clauses, **kw)}, 12, 2)"


@compiles(utc_date)
def _default_date(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"to_char(({arg}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


@compiles(utc_hour)
def _default_hour(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"to_char(({arg}) AT TIME ZONE 'UTC', 'HH24')"
