"""Sessions from time trackers: Timewarrior's `timew export`, Toggl Track's detailed CSV and
mlplanner's own CSV, each imported field by field; duplicates and overlaps skipped; the
export read back into a fresh database."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from mlplanner.cli import main
from mlplanner.clock import FixedClock
from mlplanner.services import logbook
from mlplanner.services.session_import import TOGGL_COLUMNS
from mlplanner.store import make_engine, prepare_database, unit_of_work
from mlplanner.store.models import StudySession

FIXTURES = Path(__file__).parent.parent / "fixtures"
TIMEW = FIXTURES / "timewarrior-export.json"
TOGGL = FIXTURES / "toggl-detailed.csv"
BERLIN = ZoneInfo("Europe/Berlin")


def rows(db: str) -> list[tuple[datetime, int, str | None, str, str]]:
    engine = make_engine(db)
    with unit_of_work(engine) as s:
        found = [
            (r.started_at, r.duration_s, r.topic_id, r.note, r.source)
            for r in s.exec(select(StudySession).order_by(StudySession.started_at))
        ]
    engine.dispose()
    return found


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'planner.db'}"


def test_timewarrior_export_field_by_field_and_again(db, capsys):
    argv = ["import", "sessions", str(TIMEW), "--map", "machine learning=ml-fundamentals"]
    assert main([*argv, "--db", db]) == 0
    captured = capsys.readouterr()
    assert f"{TIMEW}:5: the interval is still open (no end): skipped" in captured.err
    assert captured.out.strip() == f"{TIMEW}: added 3 session(s), 1 skipped"
    assert rows(db) == [
        # A tag that is a topic id picks the topic by itself; the annotation is the note.
        (
            datetime(2025, 11, 17, 17, 30, tzinfo=UTC),
            5400,
            "linear-algebra",
            "chapter 2, exercises",
            "import",
        ),
        (datetime(2025, 11, 18, 18, tzinfo=UTC), 5400, "ml-fundamentals", "", "import"),
        (datetime(2025, 11, 19, 6, tzinfo=UTC), 2700, None, "blog post on attention", "import"),
    ]
    # Importing again adds nothing: each is reported as already logged.
    assert main([*argv, "--db", db]) == 0
    captured = capsys.readouterr()
    assert f"{TIMEW}:2: this session is already logged" in captured.err
    assert captured.out.strip() == f"{TIMEW}: added 0 session(s), 4 skipped"
    assert len(rows(db)) == 3


def test_toggl_detailed_export_in_the_profiles_zone(db, capsys):
    assert TOGGL.read_text().splitlines()[0] == ",".join(TOGGL_COLUMNS)
    argv = [
        "import", "sessions", str(TOGGL), "--tz", "Europe/Berlin",
        "--map", "Linear algebra=linear-algebra", "--map", "ML course=ml-fundamentals",
    ]  # fmt: skip
    assert main([*argv, "--db", db]) == 0
    assert capsys.readouterr().out.strip() == f"{TOGGL}: added 4 session(s)"
    assert rows(db) == [
        # 01:30 summer time to 03:30 winter time: three hours, as Toggl's Duration says.
        (datetime(2025, 10, 25, 23, 30, tzinfo=UTC), 3 * 3600, "linear-algebra",
         "Night owl across the clock change", "import"),
        (datetime(2025, 11, 17, 17, 30, tzinfo=UTC), 5400, "linear-algebra", "Eigenvectors", "import"),
        (datetime(2025, 11, 18, 18, tzinfo=UTC), 4500, "ml-fundamentals",
         "Lecture 3, gradient descent", "import"),
        # No project: the tag names the topic.
        (datetime(2025, 11, 19, 6, tzinfo=UTC), 2700, "python-basics", "Reading", "import"),
    ]  # fmt: skip


def test_overlapping_stored_time_is_reported_and_skipped(db, capsys):
    # The same evening tracked in Timewarrior and in Toggl: the second import overlaps.
    assert main(["import", "sessions", str(TIMEW), "--db", db]) == 0
    capsys.readouterr()
    assert main(["import", "sessions", str(TOGGL), "--tz", "Europe/Berlin", "--db", db]) == 0
    captured = capsys.readouterr()
    assert f"{TOGGL}:2: it overlaps the session logged #1" in captured.err
    assert "added 1 session(s), 3 skipped" in captured.out


def test_an_unknown_topic_in_the_map_is_refused_with_suggestions(db, capsys):
    argv = ["import", "sessions", str(TIMEW), "--map", "study=linear-algebr", "--db", db]
    assert main(argv) == 2
    assert "no topic 'linear-algebr'; did you mean linear-algebra" in capsys.readouterr().err
    assert rows(db) == []


def test_bad_rows_by_line_exit_1_and_nothing_readable_exit_2(db, tmp_path, capsys):
    some = tmp_path / "some.json"
    some.write_text(
        "[\n"
        '{"id":2,"start":"20251117T173000Z","end":"20251117T190000Z","tags":["numpy"]},\n'
        '{"id":1,"start":"yesterday","end":"20251118T190000Z"}\n'
        "]\n"
    )
    assert main(["import", "sessions", str(some), "--db", db]) == 1
    captured = capsys.readouterr()
    assert f"{some}:3: 'yesterday' is not a time like 20261130T183000Z" in captured.err
    assert "added 1 session(s), 1 bad row(s)" in captured.out
    toggl = tmp_path / "toggl.csv"
    toggl.write_text(",".join(TOGGL_COLUMNS) + "\nA,a@b,,,,x,No,2025-13-01,10:00:00,,,,\n")
    assert main(["import", "sessions", str(toggl), "--db", db]) == 2
    assert f"{toggl}:2: cannot read the start or end date and time" in capsys.readouterr().err
    own = tmp_path / "own.csv"
    own.write_text(
        "id,started_at_utc,seconds,note\n"
        '1,2025-11-17T17:30:00+00:00,600,"a note\nover two lines"\n'
        "2,not a time,600,x\n"
    )
    assert main(["import", "sessions", str(own), "--db", db]) == 1
    assert f"{own}:4: cannot read started_at_utc and seconds" in capsys.readouterr().err
    for text in ("{not json", "just, some\ncsv, text\n"):
        bad = tmp_path / "bad.txt"
        bad.write_text(text)
        fmt = "timewarrior" if text.startswith("{") else "csv"
        assert main(["import", "sessions", str(bad), "--format", fmt, "--db", db]) == 2
        assert capsys.readouterr().err.startswith(f"mlplanner: {bad}: not ")


def test_export_columns_and_round_trip_into_a_fresh_database(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    first = f"sqlite:///{tmp_path / 'first.db'}"
    engine = make_engine(first)
    prepare_database(engine)
    clock = FixedClock(datetime(2025, 12, 1, tzinfo=UTC))
    with unit_of_work(engine) as s:
        # 01:30 in Berlin counts for the day before (the rollover is 04:00).
        night = datetime(2025, 11, 20, 1, 30, tzinfo=BERLIN)
        logbook.log_session(s, clock, timedelta(minutes=50), night, "numpy", 'a "quoted", note')
        logbook.log_session(
            s, clock, timedelta(seconds=3725), datetime(2025, 11, 21, 18, tzinfo=UTC),
            None, "two\nlines", source="timer",
        )  # fmt: skip
        logbook.log_session(
            s, clock, timedelta(hours=1), datetime(2025, 11, 22, 9, tzinfo=UTC), "pandas"
        )
    engine.dispose()
    out = tmp_path / "sessions.csv"
    assert main(["export", "sessions", "-o", str(out), "--db", first]) == 0
    exported = list(csv.DictReader(io.StringIO(out.read_text())))
    assert exported[0] == {
        "id": "1",
        "started_at_utc": "2025-11-20T00:30:00+00:00",
        "ended_at_utc": "2025-11-20T01:20:00+00:00",
        "local_start": "2025-11-20T01:30:00+01:00",
        "local_end": "2025-11-20T02:20:00+01:00",
        "time_zone": "Europe/Berlin",
        "study_day": "2025-11-19",
        "seconds": "3000",
        "minutes": "50.0",
        "topic_id": "numpy",
        "topic": exported[0]["topic"],
        "source": "manual",
        "note": 'a "quoted", note',
    }
    assert exported[1]["seconds"] == "3725" and exported[1]["note"] == "two\nlines"
    second = f"sqlite:///{tmp_path / 'second.db'}"
    assert main(["import", "sessions", str(out), "--db", second]) == 0
    assert "added 3 session(s)" in capsys.readouterr().out
    assert rows(second) == rows(first)
    assert main(["import", "sessions", str(out), "--db", second]) == 0
    assert "added 0 session(s), 3 skipped" in capsys.readouterr().out


TIMEW_BINARY = shutil.which("timew")


@pytest.mark.slow
@pytest.mark.skipif(
    TIMEW_BINARY is None,
    reason="Timewarrior is not installed (apt-get install timewarrior; .ci/run installs it)",
)
def test_an_export_made_by_timewarrior_itself(db, tmp_path, capsys):
    assert TIMEW_BINARY is not None
    data = tmp_path / "timewarrior"
    (data / "data").mkdir(parents=True)
    (data / "timewarrior.cfg").write_text("")
    env = {**os.environ, "TIMEWARRIORDB": str(data), "TZ": "UTC"}

    def timew(*args: str) -> str:
        done = subprocess.run(
            [TIMEW_BINARY, *args], env=env, input="yes\n", capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    timew("track", "2025-11-17T17:30:00Z", "-", "2025-11-17T19:00:00Z", "linear-algebra", "study")
    timew("track", "2025-11-18T18:00:00Z", "-", "2025-11-18T19:30:00Z", "machine learning")
    timew("annotate", "@2", "chapter 2, exercises")
    timew("track", "2025-11-19T06:00:00Z", "-", "2025-11-19T06:45:00Z", "reading")
    timew("annotate", "@1", "blog post on attention")
    timew("start", "2025-11-20T18:00:00Z", "python-basics")
    export = tmp_path / "timew.json"
    export.write_text(timew("export"))
    argv = ["import", "sessions", str(export), "--map", "machine learning=ml-fundamentals"]
    assert main([*argv, "--db", db]) == 0
    assert "added 3 session(s), 1 skipped" in capsys.readouterr().out
    # The same sessions as the fixture written by hand from Timewarrior's documentation.
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert main(["import", "sessions", str(TIMEW), "--map", "machine learning=ml-fundamentals",
                 "--db", other]) == 0  # fmt: skip
    assert rows(db) == rows(other)
