from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import pytest

from mlplanner.clock import FixedClock
from mlplanner.config import resolve_paths
from mlplanner.store import make_engine, prepare_database

# A Wednesday afternoon, well clear of the day rollover.
NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


def pytest_collection_modifyitems(config, items):
    """Every test that needs the PostgreSQL server is slow (it starts one for the session)."""
    for item in items:
        if "pg_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


def _content_signature(folder):
    """Each file's name, size and modification time: a change anywhere shows."""
    return tuple(
        sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(folder))
    )


@pytest.fixture(scope="session", autouse=True)
def _bundled_curriculum_read_once():
    """Reading the bundled curriculum takes a tenth of a second and every open of the planner
    does it. Its objects are frozen, so within one test run a read is kept while the folder's
    files stay as they were; any other folder is read as the planner reads it."""
    from mlplanner.curriculum import loader

    bundled = loader.bundled_content_dir()
    read = loader.check_directory
    kept: dict[tuple, tuple] = {}

    def check_directory(directory):
        if directory != bundled:
            return read(directory)
        key = _content_signature(directory)
        if key not in kept:
            kept.clear()
            kept[key] = read(directory)
        curriculum, problems = kept[key]
        return curriculum, list(problems)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loader, "check_directory", check_directory)
        yield


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Tests never read or write the real user's data, config or content."""
    isolate_user_dirs(monkeypatch, tmp_path_factory.mktemp("home"))


def isolate_user_dirs(monkeypatch, home) -> None:
    """A home of the test's own, and none of the user's mlplanner settings in the environment
    (also for session fixtures, which are made before the autouse fixture above)."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for name in ("MLPLANNER_DB", "MLPLANNER_CONTENT", "MLPLANNER_CONFIG"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "planner.db"


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the session, started from the system's binaries."""
    from tests.pg_server import start_server

    try:
        server = start_server()
    except FileNotFoundError as exc:
        pytest.skip(f"PostgreSQL tests need a server: {exc} (apt-get install postgresql)")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def database(request, db_path):
    """A database URL: a new SQLite file, or a new database on a real PostgreSQL server
    (slow: those run in `make test-slow`)."""
    if request.param == "sqlite":
        yield f"sqlite:///{db_path}"
        return
    from sqlalchemy import create_engine, text

    server = request.getfixturevalue("pg_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield server.url(name)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def engine(database):
    engine = make_engine(database)
    prepare_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def paths(database):
    return resolve_paths(db=database)
