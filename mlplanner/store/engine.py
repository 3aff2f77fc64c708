"""The engine, schema upgrades and the unit-of-work helper: the only place that talks SQL setup."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from ..errors import PlannerError
from . import models  # noqa: F401  (registers the tables)

# The newest schema this code knows, and every revision it can upgrade from.
# tests/unit_tests/test_migrations.py checks these against the Alembic scripts.
SCHEMA_REVISIONS = ("0001", "0002", "0003", "0004")
SCHEMA_HEAD = SCHEMA_REVISIONS[-1]
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(PlannerError):
    """The database cannot be used; the message says which and why."""

    title = "Database"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for the URL; a SQLite file is checked to be a database before it is opened."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        if not memory:
            path = Path(url.removeprefix("sqlite:///"))
            _check_sqlite_file(path)
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            poolclass=StaticPool if memory else None,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _check_sqlite_file(path: Path) -> None:
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
                has_tables = bool(
                    connection.execute(
                        text("SELECT 1 FROM sqlite_master WHERE type='table' LIMIT 1")
                    ).first()
                    if engine.dialect.name == "sqlite"
                    else None
                )
            if has_tables:
                raise StoreError(
                    f"{_where(engine)}: this database holds tables but no mlplanner schema "
                    "version; it was left untouched."
                )
            SQLModel.metadata.create_all(engine)
            with engine.begin() as connection:
                connection.execute(
                    text(
                        "CREATE TABLE IF NOT EXISTS alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)"
                    )
                )
                connection.execute(
                    text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                    {"v": SCHEMA_HEAD},
                )
            return "created"
        if revision not in SCHEMA_REVISIONS:
            raise StoreError(
                f"{_where(engine)}: the database has schema revision {revision!r}, which this "
                f"version of mlplanner does not know (it knows up to {SCHEMA_HEAD!r}); it was "
                "probably written by a newer mlplanner. Upgrade mlplanner; the database was left "
                "untouched."
            )
        from .migrate import upgrade

        upgrade(engine)
        return f"upgraded from {revision}"
    except DatabaseError as exc:
        raise StoreError(f"{_where(engine)}: cannot open the database: {exc.orig}") from None
    except SQLAlchemyError as exc:
        raise StoreError(f"{_where(engine)}: database error: {exc}") from None


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
