"""The engine, schema upgrades and the unit-of-work helper: the only place that talks SQL setup."""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, make_url, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    NoSuchModuleError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from . import (
    models,  # noqa: F401  (registers the tables)
    revisions,
)
from .revisions import SCHEMA_HEAD as SCHEMA_HEAD
from .revisions import SCHEMA_REVISIONS as SCHEMA_REVISIONS
from .revisions import (
    SQLITE_MAGIC,
    failure_message,
    is_busy,
    read_only_connection,
)
from .revisions import StoreError as StoreError

SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type='table'"
# Between two transactions of a long job on SQLite: longer than the longest sleep of the
# busy handler of a writer waiting for the lock (100 ms), so that writer gets its turn.
BATCH_GAP_S = 0.12


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    # Transactions are begun by the "begin" listener below, not by the driver.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={revisions.BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(connection: Connection) -> None:
    """Take the write lock when a transaction starts, waiting up to the busy timeout.

    A deferred transaction that reads and then writes cannot wait for another writer: SQLite
    fails it at once. Taking the lock first turns every race into a short, bounded wait.
    Sent to the driver directly (every answer begins one); a failure is raised as
    SQLAlchemy would have, so callers see the usual OperationalError."""
    driver = connection.connection.driver_connection
    assert driver is not None
    try:
        driver.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc


def make_engine(url: str) -> Engine:
    """An engine for the URL; a SQLite file is checked to be ours before anything writes."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        if not memory:
            path = Path(url.removeprefix("sqlite:///"))
            _check_sqlite_file(path)
            if not _prepare_private_file(path):
                raise StoreError(
                    f"{path}: the database (or its folder) is read-only; mlplanner writes "
                    "every change at once, so it needs both writable. Nothing was changed."
                )
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            poolclass=StaticPool if memory else None,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        scheme = url.split("://", 1)[0]
        raise StoreError(
            f"{scheme}://…: cannot use this database URL ({exc}). mlplanner takes a SQLite "
            "path, sqlite:///PATH or postgresql+psycopg://USER@HOST/DB."
        ) from None


def _prepare_private_file(path: Path) -> bool:
    """Create the folder (0700) and the database file (0600) so only the user can read
    them; returns whether the file can be written."""
    try:
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise StoreError(f"{path}: cannot create the database: {exc.strerror}") from None
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def readable_by_others(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))
    except OSError:
        return False


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not an mlplanner database, reading it only: a refused file is
    left byte for byte as it was (opening it for writing would switch it to WAL)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the database: {exc.strerror}") from None
    if head != SQLITE_MAGIC:
        raise StoreError(
            f"{path}: this file is not an SQLite database; it was left untouched. "
            "Point --db at another file or move this one away."
        )
    try:
        connection = read_only_connection(path, revisions.BUSY_TIMEOUT_MS)
        try:
            tables = {row[0] for row in connection.execute(SQLITE_TABLES)}
            revision = None
            if "alembic_version" in tables:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: cannot read the database: {exc}") from None
    if tables and revision is None:
        raise StoreError(
            f"{path}: this database holds tables but no mlplanner schema version; "
            "it was left untouched."
        )
    if revision is not None and revision not in SCHEMA_REVISIONS:
        raise StoreError(_newer_schema(str(path), revision))


def _newer_schema(where: str, revision: str) -> str:
    return (
        f"{where}: the database has schema revision {revision!r}, which this "
        f"version of mlplanner does not know (it knows up to {SCHEMA_HEAD!r}); it was "
        "probably written by a newer mlplanner. Upgrade mlplanner; the database was left "
        "untouched."
    )


def stored_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database, read without loading Alembic."""
    with engine.connect() as connection:
        try:
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        except (OperationalError, DatabaseError) as exc:
            if "no such table" in str(exc).lower() or "does not exist" in str(exc).lower():
                connection.rollback()
                return None
            raise
    return row[0] if row else None


def prepare_database(engine: Engine) -> str:
    """Bring the schema to the head revision; returns what was done."""
    try:
        revision = stored_revision(engine)
        if revision == SCHEMA_HEAD:
            return "current"
        if revision is None:
            with engine.begin() as connection:
                # Several processes may open a new database at once: one creates the
                # schema while the others wait (the write lock on SQLite, an advisory
                # lock on PostgreSQL), then find it made. The checks run under the lock,
                # so none of them sees another's half-made schema as foreign tables.
                schema_lock(connection)
                if inspect(connection).has_table("alembic_version"):
                    return "current"
                if _has_other_tables(connection):
                    hint = (
                        ""
                        if engine.dialect.name == "sqlite"
                        else " Give mlplanner a schema of its own: add "
                        "?options=-csearch_path%3Dmlplanner to the URL after "
                        "CREATE SCHEMA mlplanner."
                    )
                    raise StoreError(
                        f"{_where(engine)}: this database holds tables but no mlplanner "
                        f"schema version; it was left untouched.{hint}"
                    )
                SQLModel.metadata.create_all(connection)
                connection.execute(
                    text(
                        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
                    )
                )
                connection.execute(
                    text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                    {"v": SCHEMA_HEAD},
                )
            return "created"
        if revision not in SCHEMA_REVISIONS:
            raise StoreError(_newer_schema(_where(engine), revision))
        from .migrate import upgrade

        upgrade(engine)
        return f"upgraded from {revision}"
    except DatabaseError as exc:
        if isinstance(exc, OperationalError) and _is_busy(exc):
            raise StoreError(_plain(engine, exc)) from None
        raise StoreError(f"{_where(engine)}: cannot open the database: {exc.orig}") from None
    except SQLAlchemyError as exc:
        raise StoreError(f"{_where(engine)}: database error: {exc}") from None


SCHEMA_LOCK_KEY = 0x6D6C706C  # "mlpl": the advisory lock taken while the schema changes


def schema_lock(connection: Connection) -> None:
    """Serialise schema changes between processes (SQLite's BEGIN IMMEDIATE already does)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})


def _has_other_tables(connection: Connection) -> bool:
    """Tables in the schema mlplanner would create its own in (the current one)."""
    query = (
        SQLITE_TABLES
        if connection.dialect.name == "sqlite"
        else "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = current_schema()"
    )
    return connection.exec_driver_sql(query).first() is not None


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def display_url(url: str) -> str:
    """The URL as it may be shown: any password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("://", 1)[0] + "://…"


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error.

    Services never commit; this does, once, at the end. A database that cannot be written
    (read-only, full, locked past the wait) becomes a StoreError that says so."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            raise StoreError(_plain(engine, exc)) from None
        except BaseException:
            session.rollback()
            raise


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """A unit of work on a bare connection, without an ORM session (which costs more to
    set up and commit than an answer's three statements take to run): for the hot paths
    built from Core or prepared statements. Committed on success, rolled back on any error;
    a database that cannot be written becomes a StoreError, as in `unit_of_work`."""
    try:
        with engine.begin() as connection:
            yield connection
    except OperationalError as exc:
        raise StoreError(_plain(engine, exc)) from None


def batched_units_of_work(engine: Engine) -> Callable[[], AbstractContextManager[Session]]:
    """Units of work for a long job done in batches, each batch its own transaction.

    A SQLite writer waiting for the lock does not queue: its busy handler sleeps and tries
    again, up to 100 ms apart. A job that began its next transaction as soon as the last
    one committed could keep the lock for minutes and make every other writer give up
    after the busy timeout; so on SQLite each batch begins at least BATCH_GAP_S after the
    previous one ended, and any writer waiting meanwhile goes first. PostgreSQL locks rows,
    not the database, and needs no gap."""
    gap = BATCH_GAP_S if engine.dialect.name == "sqlite" else 0.0
    ended: float | None = None

    @contextmanager
    def batch() -> Iterator[Session]:
        nonlocal ended
        if ended is not None:
            wait = ended + gap - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        try:
            with unit_of_work(engine) as session:
                yield session
        finally:
            ended = time.monotonic()

    return batch


def _is_busy(exc: OperationalError) -> bool:
    return is_busy(str(exc.orig))


def _plain(engine: Engine, exc: OperationalError) -> str:
    return failure_message(_where(engine), str(exc.orig), revisions.BUSY_TIMEOUT_MS)
