from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from mlplanner.store import StoreError, make_engine, prepare_database
from mlplanner.store.engine import SCHEMA_HEAD, SCHEMA_REVISIONS, stored_revision
from mlplanner.store.migrate import script_head, upgrade


def test_code_knows_the_scripts_head():
    assert script_head() == SCHEMA_HEAD


def test_migrations_build_the_same_schema_as_the_models(database):
    engine = make_engine(database)
    upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_baseline_database_upgrades_with_rows_intact(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, SCHEMA_REVISIONS[0])
    when = datetime(2026, 1, 5, 18, 0, tzinfo=UTC).replace(tzinfo=None)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO card (id, topic_id, front, back, tags, origin, removed, hidden,"
                " suspended, state, reps, lapses, created_at, updated_at)"
                " VALUES ('c1','t','f','b','','user',0,0,0,2,3,0,:w,:w)"
            ),
            {"w": when},
        )
        c.execute(
            text(
                "INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, state_before)"
                " VALUES ('c1', 3, :w, 4000, '{}')"
            ),
            {"w": when},
        )
    assert prepare_database(engine).startswith("upgraded from 0001")
    assert stored_revision(engine) == SCHEMA_HEAD
    with engine.connect() as c:
        assert c.execute(text("SELECT front, reps FROM card")).all() == [("f", 3)]
        assert c.execute(text("SELECT rating, duration_ms FROM review_log")).all() == [(3, 4000)]
        indexes = {r[1] for r in c.execute(text("PRAGMA index_list('review_log')"))}
    assert "ix_review_log_card_reviewed" in indexes


def test_current_database_does_not_load_alembic(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "cur.db"
    engine = make_engine(f"sqlite:///{db}")
    prepare_database(engine)
    engine.dispose()
    code = (
        "import sys; from mlplanner.store import make_engine, prepare_database;"
        f"print(prepare_database(make_engine('sqlite:///{db}')), 'alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.split() == ["current", "False"], out.stderr


def test_file_that_is_not_a_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 10)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not an SQLite database"):
        prepare_database(make_engine(f"sqlite:///{path}"))
    assert path.read_bytes() == before


def test_database_from_a_newer_version_is_refused_and_untouched(tmp_path):
    path = tmp_path / "new.db"
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine)
    with engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer mlplanner"):
        prepare_database(make_engine(f"sqlite:///{path}"))
    assert path.read_bytes() == before


def test_foreign_database_with_tables_is_refused(tmp_path):
    path = tmp_path / "other.db"
    other = create_engine(f"sqlite:///{path}")
    with other.begin() as c:
        c.execute(text("CREATE TABLE invoices (id INTEGER)"))
    other.dispose()
    with pytest.raises(StoreError, match="no mlplanner schema"):
        prepare_database(make_engine(f"sqlite:///{path}"))


def test_sqlite_pragmas_are_set(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA busy_timeout")).scalar() == 5000
