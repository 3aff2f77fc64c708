"""The quick commands' lean way in (plain sqlite3, the cached curriculum) says and stores
exactly what the ordinary way (the planner over SQLAlchemy) does, on the same database,
and gives way to it whenever it cannot serve."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from mlplanner.cli import build_parser, chosen_command, context, main
from mlplanner.cli.quick import ORDINARY_ONLY
from mlplanner.clock import FixedClock
from mlplanner.config import resolve_paths
from mlplanner.curriculum.cache import CACHE_NAME
from mlplanner.store import lean, revisions
from mlplanner.store.revisions import SCHEMA_HEAD

# A Wednesday in Berlin, 16:30 local.
NOW = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)


@pytest.fixture
def fixed(monkeypatch):
    clock = FixedClock(NOW)
    monkeypatch.setattr(context, "CLOCK", clock)
    return clock


def _new_db(path, monkeypatch) -> str:
    with monkeypatch.context() as m:
        m.setenv(ORDINARY_ONLY, "1")
        assert main(["--db", str(path), "settings", "time_zone", "Europe/Berlin"]) == 0
    return str(path)


def run(argv, db, monkeypatch, capsys, ordinary: bool):
    """One command the ordinary or the lean way; the lean way must not open the planner."""
    capsys.readouterr()
    with monkeypatch.context() as m:
        if ordinary:
            m.setenv(ORDINARY_ONLY, "1")
        else:

            def refuse(*args, **kwargs):
                raise AssertionError("the quick command opened the planner")

            m.setattr(context, "open_planner", refuse)
        status = main([*argv, "--db", db])
    out, err = capsys.readouterr()
    return status, out, err


def both(argv, db, monkeypatch, capsys):
    lean_result = run(argv, db, monkeypatch, capsys, ordinary=False)
    ordinary_result = run(argv, db, monkeypatch, capsys, ordinary=True)
    assert lean_result == ordinary_result, argv
    return lean_result


def rows(db: str) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(db)
    try:
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("study_session", "topic_progress", "focus_timer", "study_block")
        }
    finally:
        connection.close()


@pytest.fixture
def db(tmp_path, monkeypatch, fixed):
    return _new_db(tmp_path / "planner.db", monkeypatch)


# Reads


def test_timer_status_without_a_timer(db, monkeypatch, capsys):
    assert both(["timer", "status"], db, monkeypatch, capsys) == (0, "no timer is running\n", "")


@pytest.mark.parametrize(
    ("minutes", "lines"),
    [
        (
            0,
            [
                "running: 0:00:00 on Python programming, since Wed 16:30",
                "pomodoro: work, round 1 of 4: 25:00 left",
            ],
        ),
        (
            12.5,
            [
                "running: 0:12:30 on Python programming, since Wed 16:30",
                "pomodoro: work, round 1 of 4: 12:30 left",
            ],
        ),
        (
            27,
            [
                "running: 0:27:00 on Python programming, since Wed 16:30",
                "pomodoro: short break after round 1 of 4: 3:00 left",
            ],
        ),
        (
            30,
            [
                "running: 0:30:00 on Python programming, since Wed 16:30",
                "pomodoro: work, round 2 of 4: 25:00 left",
            ],
        ),
        (
            116,
            [
                "running: 1:56:00 on Python programming, since Wed 16:30",
                "pomodoro: long break after round 4 of 4: 14:00 left",
            ],
        ),
        (
            13 * 60 + 17.5,  # six whole cycles of 130 minutes, then 17:30
            [
                "running: 13:17:30 on Python programming, since Wed 16:30",
                "pomodoro: work, round 1 of 4: 7:30 left",
                "it has run for over 12 hours: `mlplanner timer stop` logs it all",
            ],
        ),
    ],
)
def test_timer_status_says_the_pomodoro_phase_and_what_is_left(
    db, monkeypatch, capsys, fixed, minutes, lines
):
    assert main(["timer", "start", "--pomodoro", "--topic", "python-basics", "--db", db]) == 0
    fixed.advance(minutes=minutes)
    status, out, _ = both(["timer", "status"], db, monkeypatch, capsys)
    assert status == 0 and out.splitlines() == lines


def test_timer_status_uses_the_configured_lengths(db, monkeypatch, capsys, fixed):
    for key, value in (("pomodoro_work_min", "50"), ("pomodoro_break_min", "10")):
        assert main(["settings", key, value, "--db", db]) == 0
    assert main(["timer", "start", "--pomodoro", "--db", db]) == 0
    fixed.advance(minutes=52)
    _, out, _ = both(["timer", "status"], db, monkeypatch, capsys)
    assert out.splitlines()[1] == "pomodoro: short break after round 1 of 4: 8:00 left"


def test_warnings_and_titles_with_the_users_content_match(db, monkeypatch, capsys, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "broken.toml").write_text("[stage\n")
    content = ["--content", str(extra)]
    assert main(["timer", "start", "--topic", "linear-algebra", *content, "--db", db]) == 0
    for argv in (["timer", "status", *content], ["topics", "linear", *content]):
        for _ in range(2):  # the cache written, then read
            status, out, err = both(argv, db, monkeypatch, capsys)
            assert status == 0 and "broken.toml" in err and err.count("mlplanner: warning") == 1
            assert "Linear algebra" in out


def test_paused_time_is_shown_as_running_time_is(db, monkeypatch, capsys, fixed):
    from mlplanner.services import timer
    from mlplanner.store import make_engine, unit_of_work

    assert main(["timer", "start", "--pomodoro", "--db", db]) == 0
    fixed.advance(minutes=10, seconds=59.9)
    _, running, _ = both(["timer", "status"], db, monkeypatch, capsys)
    engine = make_engine(f"sqlite:///{db}")
    with unit_of_work(engine) as session:
        timer.pause(session, fixed)
    engine.dispose()
    fixed.advance(minutes=30)
    _, paused, _ = both(["timer", "status"], db, monkeypatch, capsys)
    assert running.splitlines() == [
        "running: 0:10:59 on no topic, since Wed 16:30",
        "pomodoro: work, round 1 of 4: 14:01 left",
    ]
    assert paused.splitlines() == [
        "paused: 0:10:59 on no topic, since Wed 16:30",
        "pomodoro: work, round 1 of 4: 14:01 left",
    ]


def test_pomodoro_help_reads_the_configured_lengths(db, capsys):
    assert main(["settings", "pomodoro_long_every", "3", "--db", db]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["timer", "start", "--db", db, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "25 min of work, 5 min breaks, 15 min after every 3rd round" in text
    assert "25/5" not in text


@pytest.mark.parametrize(
    "argv",
    [
        ["block", "list"],
        ["block", "list", "--json"],
        ["topics"],
        ["topics", "--json"],
        ["topics", "linear"],
        ["topics", "no such words"],
    ],
)
def test_listings_match(db, monkeypatch, capsys, argv):
    assert (
        main(
            [
                "block",
                "add",
                "--day",
                "mon",
                "--at",
                "19:00",
                "--for",
                "1h30",
                "--weekly",
                "mon,wed",
                "--topic",
                "linear-algebra",
                "--db",
                db,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "block",
                "add",
                "--day",
                "tue",
                "--at",
                "07:30",
                "--for",
                "45m",
                "--note",
                "reading",
                "--db",
                db,
            ]
        )
        == 0
    )
    assert main(["log", "1h", "--topic", "python-basics", "--db", db]) == 0
    assert main(["path", "--db", db]) == 0
    status, out, _ = both(argv, db, monkeypatch, capsys)
    if argv[-1] == "--json":
        assert json.loads(out)
    assert out


@pytest.mark.parametrize(
    "argv",
    [
        ["week"],
        ["week", "--json"],
        ["week", "--date", "2026-03-02"],
        ["week", "--date", "2026-03-17 10:00"],
    ],
)
def test_the_week_and_its_projection_match(db, monkeypatch, capsys, argv):
    for args in (
        [
            "block",
            "add",
            "--day",
            "mon",
            "--at",
            "19:00",
            "--for",
            "1h30",
            "--weekly",
            "mon,wed",
            "--topic",
            "linear-algebra",
        ],
        ["block", "add", "--day", "today", "--at", "23:30", "--for", "1h", "--note", "late"],
        [
            "block",
            "add",
            "--day",
            "2026-03-03",
            "--at",
            "19:00",
            "--for",
            "2h",
            "--weekly",
            "tue",
            "--count",
            "3",
        ],
        ["log", "1h", "--topic", "python-basics", "--at", "yesterday 19:00"],
        ["log", "2h", "--topic", "python-basics", "--at", "2026-02-01 10:00"],
        ["log", "30m", "--at", "03:00"],
        ["settings", "target_date", "2027-06-30"],
        ["path", "choose", "mlops-engineer"],
    ):
        main([*args, "--db", db])
    status, out, _ = both(argv, db, monkeypatch, capsys)
    assert status == 0
    assert json.loads(out)["projection"] if "--json" in argv else out.startswith("Week of")


# The write


LOGS = [
    ["log", "1h30", "--topic", "linear-algebra", "--note", "chapter 2"],
    ["log", "45m", "--topic", "Python prog", "--at", "yesterday 19:00"],
    ["log", "30m", "--at", "yesterday 19:30"],  # overlaps: refused, naming the session
    ["log", "30m", "--at", "yesterday 19:30", "--allow-overlap"],
    ["log", "30m", "--at", "yesterday 19:30", "--allow-overlap"],  # an exact copy: never
    ["log", "45m", "--topic", "python-basics", "--at", "yesterday 19:00", "--allow-overlap"],
    ["log", "20m", "--topic", "linear-algebr"],
    ["log", "20m", "--note", "a\x00b", "--at", "09:00"],
    ["log", "10m", "--at", "2099-01-01 10:00"],
    ["log", "10m", "--at", "1969-12-31 10:00"],
    ["log", "17h"],
    ["log", "19:00-20:30", "--at", "19:00"],
    ["log", "08:00-08:40", "--topic", "linear-algebra"],
    ["log", "25m", "--end", "10:00"],
]


def test_log_says_and_stores_what_the_ordinary_path_does(tmp_path, monkeypatch, capsys, fixed):
    lean_db = _new_db(tmp_path / "lean.db", monkeypatch)
    ordinary_db = _new_db(tmp_path / "ordinary.db", monkeypatch)
    outcomes = []
    for argv in LOGS:
        got = run(argv, lean_db, monkeypatch, capsys, ordinary=False)
        expected = run(argv, ordinary_db, monkeypatch, capsys, ordinary=True)
        assert got == expected, argv
        outcomes.append(got)
    assert rows(lean_db) == rows(ordinary_db)
    statuses = [status for status, _, _ in outcomes]
    assert statuses == [0, 0, 2, 0, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0]
    assert "overlaps the session logged #2" in outcomes[2][2]
    assert "already logged (#3" in outcomes[4][2]
    assert "did you mean" in outcomes[6][2]
    assert [r[1] for r in rows(lean_db)["topic_progress"]] == ["in_progress", "in_progress"]


def test_log_follows_the_study_day_rollover(tmp_path, monkeypatch, capsys):
    # 00:30 in Berlin, before the 04:00 rollover: 23:00 is the study day's, yesterday's.
    monkeypatch.setattr(context, "CLOCK", FixedClock(datetime(2026, 3, 11, 23, 30, tzinfo=UTC)))
    lean_db = _new_db(tmp_path / "lean.db", monkeypatch)
    ordinary_db = _new_db(tmp_path / "ordinary.db", monkeypatch)
    got = run(["log", "30m", "--at", "23:00"], lean_db, monkeypatch, capsys, ordinary=False)
    expected = run(["log", "30m", "--at", "23:00"], ordinary_db, monkeypatch, capsys, True)
    assert got == expected
    assert "from Wed 11 Mar 2026 23:00" in got[1]
    assert rows(lean_db) == rows(ordinary_db)


def test_what_either_path_logs_the_other_reads(db, monkeypatch, capsys):
    run(["log", "1h", "--at", "10:00"], db, monkeypatch, capsys, ordinary=False)
    again = run(["log", "1h", "--at", "10:00"], db, monkeypatch, capsys, ordinary=True)
    assert again[0] == 2 and "already logged (#1, Wed 11 Mar 10:00-11:00)" in again[2]
    run(["log", "1h", "--at", "12:00"], db, monkeypatch, capsys, ordinary=True)
    again = run(["log", "1h", "--at", "12:30"], db, monkeypatch, capsys, ordinary=False)
    assert again[0] == 2 and "overlaps the session logged #2" in again[2]


def test_the_lean_write_waits_for_the_lock_and_saves_nothing_when_it_stays_busy(
    db, monkeypatch, capsys
):
    monkeypatch.setattr(revisions, "BUSY_TIMEOUT_MS", 1000)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        status, _, err = run(["log", "1h"], db, monkeypatch, capsys, ordinary=False)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert status == 1 and "stayed busy for 1 s" in err and "nothing was saved" in err
    assert rows(db)["study_session"] == []


# When the lean way gives way


def test_open_lean_serves_only_a_current_writable_sqlite_file(tmp_path, monkeypatch, fixed):
    db = _new_db(tmp_path / "planner.db", monkeypatch)
    store = lean.open_lean(f"sqlite:///{db}")
    assert store is not None
    store.close()
    assert lean.open_lean(f"sqlite:///{tmp_path / 'missing.db'}") is None
    assert lean.open_lean("postgresql+psycopg://me@localhost/planner") is None
    assert lean.open_lean("sqlite://") is None
    foreign = tmp_path / "notes.txt"
    foreign.write_text("not a database")
    assert lean.open_lean(f"sqlite:///{foreign}") is None
    if os.geteuid() != 0:  # root may write anything
        os.chmod(db, 0o400)
        try:
            assert lean.open_lean(f"sqlite:///{db}") is None
        finally:
            os.chmod(db, 0o600)
    connection = sqlite3.connect(db)
    connection.execute("UPDATE alembic_version SET version_num = '0006'")
    connection.commit()
    connection.close()
    assert SCHEMA_HEAD != "0006"
    assert lean.open_lean(f"sqlite:///{db}") is None


def test_a_database_behind_is_upgraded_by_the_ordinary_path(tmp_path, capsys, fixed):
    from mlplanner.store import make_engine
    from mlplanner.store.migrate import upgrade
    from mlplanner.store.revisions import SCHEMA_REVISIONS

    db = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine, SCHEMA_REVISIONS[-2])
    engine.dispose()
    assert lean.open_lean(f"sqlite:///{db}") is None
    assert main(["log", "20m", "--db", str(db)]) == 0
    assert "session #1" in capsys.readouterr().out
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
        SCHEMA_HEAD,
    )
    connection.close()


def test_a_new_database_is_created_by_the_ordinary_path(tmp_path, capsys, fixed):
    db = tmp_path / "new.db"
    assert main(["log", "20m", "--db", str(db)]) == 0
    assert "session #1" in capsys.readouterr().out


def test_a_quick_command_loads_neither_sqlalchemy_nor_the_content_parser(db):
    code = (
        "import sys\n"
        "from mlplanner.cli import main\n"
        "for argv in (['timer', 'status'], ['topics'], ['block', 'list'], ['log', '5m', '--allow-overlap']):\n"
        f"    assert main([*argv, '--db', {db!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel')"
        " or m in ('mlplanner.curriculum.loader', 'mlplanner.store.models', 'icalendar')))\n"
    )
    # Once to write the curriculum cache, once to read it.
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ
        )
        assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


# The command table


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["timer", "status"], "timer"),
        (["--db", "x.db", "log", "10m"], "log"),
        (["--db=x.db", "block", "list"], "block"),
        (["--content", "timer", "topics"], "topics"),
        (["--help", "timer"], None),
        (["--version"], None),
        (["--demo"], None),
        ([], None),
        (["nonsense"], None),
        (["--d", "x.db", "week"], None),
    ],
)
def test_the_command_is_found_before_parsing(argv, command):
    assert chosen_command(argv) == command


def test_a_quick_command_builds_only_its_parsers():
    def names(parser):
        return set(parser._subparsers._group_actions[0].choices)

    assert names(build_parser(["timer", "status"])) == {"timer"}
    assert build_parser(["timer", "status"]).get_default("run") is None
    full = names(build_parser())
    assert {"timer", "log", "week", "block", "topics", "review", "import"} <= full
    assert names(build_parser(["--help"])) == full


@pytest.mark.slow  # it starts some forty processes
def test_the_cli_benchmark_reports_every_quick_command_and_the_baseline(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    # A stand-in for Watson that notes each command it is given, where Watson keeps its data.
    watson = tmp_path / "watson"
    watson.write_text('#!/bin/sh\necho "$1" >> "$WATSON_DIR/commands"\n')
    watson.chmod(0o755)
    benchmark = [sys.executable, os.path.join(root, "benchmarks", "cli.py"), "--runs", "1"]
    result = subprocess.run(
        [*benchmark, "--no-ordinary", "--watson", str(watson)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.splitlines()[-1])
    names = ["timer status", "timer status, running", "log 10m", "week", "block list", "topics"]
    assert set(figures["cpu_ms"]) == set(names)
    assert all(figures[name] > 0 for name in [*names, "floor_ms"])
    assert set(figures["watson_ms"]) == {"status", "add"}
    assert set(figures["vs_watson"]) == set(names)
    expected = figures["log 10m"] / figures["watson_ms"]["add"]
    assert figures["vs_watson"]["log 10m"] == pytest.approx(expected, rel=0.1)  # of rounded figures

    missing = subprocess.run(
        [*benchmark, "--watson", str(tmp_path / "nowhere")], capture_output=True, text=True
    )
    assert missing.returncode == 2
    assert "not a program" in missing.stderr and "Traceback" not in missing.stderr


def test_timer_status_and_log_name_topics_from_the_cached_titles(db):
    assert main(["timer", "start", "--topic", "python-basics", "--db", db]) == 0
    # The planner reads the curriculum through the same cache: start without one.
    (resolve_paths(db).data_dir / CACHE_NAME).unlink(missing_ok=True)
    code = (
        "import sys\n"
        "from mlplanner.cli import main\n"
        f"assert main(['timer', 'status', '--db', {db!r}]) == 0\n"
        f"assert main(['log', '5m', '--topic', 'Linear alg', '--allow-overlap', '--db', {db!r}]) == 0\n"
        f"assert main(['log', '5m', '--topic', 'linear-algebr', '--db', {db!r}]) == 2\n"
        "print('mlplanner.curriculum.model' in sys.modules)\n"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        for _ in range(2)  # the cache written, then read
    ]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    assert [run.stdout.splitlines()[-1] for run in runs] == ["True", "False"]
    out, err = runs[-1].stdout, runs[-1].stderr
    assert "running: " in out and "on Python programming" in out
    assert "logged 5m on Linear algebra" in out
    assert "no topic 'linear-algebr'; did you mean linear-algebra" in err
