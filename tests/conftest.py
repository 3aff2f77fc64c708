from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mlplanner.clock import FixedClock
from mlplanner.config import resolve_paths
from mlplanner.store import make_engine, prepare_database

# A Wednesday afternoon, well clear of the day rollover.
NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Tests never read or write the real user's data, config or content."""
    home = tmp_path_factory.mktemp("home")
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


@pytest.fixture
def engine(db_path):
    engine = make_engine(f"sqlite:///{db_path}")
    prepare_database(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def paths(db_path):
    return resolve_paths(db=str(db_path))
