"""The store at its edges: files that are not ours, privacy, long text, other tables,
unusable URLs and read-only files — each a plain StoreError, never a traceback."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from mlplanner.errors import PlannerError
from mlplanner.services import logbook
from mlplanner.store import StoreError, make_engine, prepare_database, unit_of_work
from mlplanner.store.models import StudySession


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _other_app_db(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        connection.execute("INSERT INTO invoices (total) VALUES (12.5)")
    connection.close()


def _newer_mlplanner_db(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES ('9999')")
    connection.close()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_other_app_db, "holds tables but no mlplanner schema"),
        (_newer_mlplanner_db, "does not know"),
        (lambda p: p.write_bytes(b"%PDF-1.7 not a database" * 40), "not an SQLite database"),
    ],
)
def test_a_refused_database_is_left_byte_for_byte_unchanged(tmp_path, make, words):
    path = tmp_path / "theirs.db"
    make(path)
    before = digest(path)
    siblings = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(StoreError, match=words):
        engine = make_engine(f"sqlite:///{path}")
        prepare_database(engine)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings  # no -wal or -shm left


def test_the_data_folder_and_database_are_private(tmp_path):
    folder = tmp_path / "data" / "mlplanner"
    path = folder / "mlplanner.db"
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine)
    with unit_of_work(engine) as session:
        logbook.log_session(session, lambda: _now(), timedelta(minutes=30))
    for made in (path, path.with_name(path.name + "-wal")):
        if made.exists():
            assert stat.S_IMODE(made.stat().st_mode) == 0o600, made
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    engine.dispose()


def _now():
    from tests.conftest import NOW

    return NOW


@pytest.mark.parametrize("length", [501, 20_000])
def test_long_notes_are_stored_alike_on_every_database(engine, clock, length):
    note = ("a long note " * (length // 12 + 1))[:length]
    with unit_of_work(engine) as session:
        logbook.log_session(session, clock, timedelta(hours=1), note=note)
    with unit_of_work(engine) as session:
        stored = session.exec(text("SELECT note FROM study_session")).scalar_one()
    assert stored == note and session.get(StudySession, 1) is not None


def test_a_postgresql_database_with_other_tables_is_refused_unless_given_a_schema(pg_server):
    name = "shared_db"
    admin = create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    other = create_engine(pg_server.url(name), isolation_level="AUTOCOMMIT")
    with other.connect() as connection:
        connection.execute(text("CREATE TABLE invoices (id serial PRIMARY KEY)"))
        connection.execute(text("CREATE SCHEMA study"))
    other.dispose()

    engine = make_engine(pg_server.url(name))
    with pytest.raises(StoreError, match="holds tables but no mlplanner schema.*search_path"):
        prepare_database(engine)
    engine.dispose()

    own = make_engine(pg_server.url(name) + "?options=-csearch_path%3Dstudy")
    assert prepare_database(own) == "created"
    with own.connect() as connection:
        tables = connection.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema='public'")
        ).scalars()
        assert list(tables) == ["invoices"]  # nothing of ours beside their tables
    own.dispose()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


@pytest.mark.parametrize("url", ["mysql+nosuchdriver://me@host/db", "nonsense://x"])
def test_an_unusable_database_url_is_a_plain_error(url):
    with pytest.raises(PlannerError, match="cannot use this database URL"):
        make_engine(url)


@pytest.fixture
def read_only(tmp_path):
    """Make a file and its folder unwritable even for root (the immutable attribute)."""
    made: list[Path] = []

    def freeze(*paths: Path) -> None:
        for path in paths:
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
            if done.returncode != 0:
                pytest.skip(f"cannot make a file read-only here: {done.stderr.strip()}")
            made.append(path)

    yield freeze
    for path in made:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def test_a_read_only_database_is_refused_with_a_reason(tmp_path, clock, read_only):
    folder = tmp_path / "ro"
    path = folder / "shared.db"
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine)
    with unit_of_work(engine) as session:
        logbook.log_session(session, clock, timedelta(minutes=5), note="kept")
    engine.dispose()
    for leftover in folder.glob("shared.db-*"):
        leftover.unlink()
    before = digest(path)
    read_only(path, folder)
    with pytest.raises(StoreError) as raised:
        make_engine(f"sqlite:///{path}")
    message = str(raised.value)
    assert "read-only" in message and "Nothing was changed" in message and str(path) in message
    assert digest(path) == before
