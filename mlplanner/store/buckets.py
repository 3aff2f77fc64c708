"""SQL that groups instants by UTC hour, spelled for each backend."""

from __future__ import annotations

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String


class utc_hour(FunctionElement):
    """'YYYY-MM-DD HH' of a stored UTC instant; lets the database do the grouping."""

    type = String()
    inherit_cache = True
    name = "utc_hour"


@compiles(utc_hour, "sqlite")
def _sqlite(element, compiler, **kw):
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 13)"


@compiles(utc_hour, "postgresql")
def _postgresql(element, compiler, **kw):
    arg = compiler.process(element.clauses, **kw)
    return f"to_char(({arg}) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')"


@compiles(utc_hour)
def _default(element, compiler, **kw):
    arg = compiler.process(element.clauses, **kw)
    return f"substr(CAST({arg} AS VARCHAR(32)), 1, 13)"
