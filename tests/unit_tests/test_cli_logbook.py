from __future__ import annotations

import csv
import json

import pytest

from mlplanner.cli import main
from mlplanner.curriculum import load_curriculum


@pytest.fixture
def db(database):
    return database


@pytest.fixture
def topic():
    return load_curriculum().curriculum.topics[0]


def test_log_prints_what_was_stored(db, topic, capsys):
    assert main(["log", "1h30", "--topic", topic.id, "--note", "chapter 2", "--db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"logged 1h30 on {topic.title} from ")
    assert "(session #1)" in out


def test_log_accepts_a_title_and_a_start_time(db, topic, capsys):
    assert main(["--db", db, "log", "45m", "--topic", topic.title, "--at", "yesterday 19:00"]) == 0
    assert "19:00" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["log", "soon"], "cannot read 'soon' as a duration"),
        (["log", "0m"], "more than zero"),
        (["log", "17h"], "16 hours"),
        (["log", "30m", "--at", "2099-01-01 10:00"], "future"),
        (["log", "30m", "--at", "0001-01-01 10:00"], "between 1970 and 2100"),
        (["log", "30m", "--at", "2999-01-01 10:00"], "between 1970 and 2100"),
        (["log", "30m", "--note", "a\x00b"], "NUL"),
        (["log", "30m", "--at", "whenever"], "cannot read 'whenever' as a time"),
    ],
)
def test_bad_log_input_exits_2_with_a_message(db, argv, message, capsys):
    assert main([*argv, "--db", db]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_unknown_topic_suggests_close_ids(db, topic, capsys):
    typo = topic.id[:-1] + ("x" if topic.id[-1] != "x" else "y")
    assert main(["log", "30m", "--topic", typo, "--db", db]) == 2
    err = capsys.readouterr().err
    assert f"no topic '{typo}'" in err and topic.id in err


def test_timer_start_status_stop_from_the_shell(db, topic, capsys):
    assert main(["timer", "status", "--db", db]) == 0
    assert "no timer is running" in capsys.readouterr().out
    assert main(["timer", "start", "--topic", topic.id, "--db", db]) == 0
    assert f"timer started on {topic.title}" in capsys.readouterr().out
    assert main(["timer", "start", "--db", db]) == 2
    assert "already running" in capsys.readouterr().err
    assert main(["timer", "status", "--db", db]) == 0
    assert f"running: 0:00:00 on {topic.title}, since " in capsys.readouterr().out
    assert main(["timer", "stop", "--db", db]) == 0
    assert "under a minute, nothing logged" in capsys.readouterr().out
    assert main(["timer", "stop", "--db", db]) == 2


def test_stats_json_and_text(db, topic, capsys):
    main(["log", "2h", "--topic", topic.id, "--db", db])
    capsys.readouterr()
    assert main(["stats", "--json", "--db", db]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total_hours"] == 2 and data["current_streak"] == 1
    assert len(data["weeks"]) == 12 and data["weeks"][-1]["logged"] == 2
    assert main(["stats", "--db", db]) == 0
    assert "Studied 2.0h in all" in capsys.readouterr().out


def test_export_sessions_csv(db, topic, tmp_path, capsys):
    main(["log", "25m", "--topic", topic.id, "--db", db])
    out = tmp_path / "sessions.csv"
    assert main(["export", "sessions", "-o", str(out), "--db", db]) == 0
    rows = list(csv.DictReader(out.open()))
    assert [(r["minutes"], r["topic_id"]) for r in rows] == [("25.0", topic.id)]
    assert (
        main(["export", "sessions", "-o", str(tmp_path / "no" / "such" / "x.csv"), "--db", db]) == 2
    )


def test_settings_list_change_and_refuse(db, capsys):
    assert main(["settings", "--db", db]) == 0
    assert "weekly_target_hours    10.0" in capsys.readouterr().out
    assert main(["settings", "weekly_target_hours", "12.5", "--db", db]) == 0
    assert main(["settings", "weekly_target_hours", "--db", db]) == 0
    assert capsys.readouterr().out.strip().endswith("12.5")
    for argv, message in [
        (["settings", "nope", "1"], "no setting 'nope'"),
        (["settings", "rollover_hour", "30"], "rollover hour must be 0-23"),
        (["settings", "new_cards_per_day", "9" * 40], "between 0 and 9,999"),
        (["settings", "reviews_per_day", "-1"], "between 0 and 99,999"),
        (["settings", "new_cards_per_day", "many"], "takes a int, not"),
        (["settings", "availability", "someday 9:00-10:00"], "cannot read 'someday"),
    ]:
        assert main([*argv, "--db", db]) == 2
        assert message in capsys.readouterr().err


def test_week_json_and_ics_export(db, topic, tmp_path, capsys):
    from icalendar import Calendar

    main(["log", "1h", "--topic", topic.id, "--db", db])
    capsys.readouterr()
    assert main(["week", "--json", "--db", db]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["days"]) == 7 and data["logged_hours"] == 1.0
    assert main(["week", "--date", "someday", "--db", db]) == 2
    capsys.readouterr()
    out = tmp_path / "plan.ics"
    assert main(["export", "ics", "-o", str(out), "--db", db]) == 0
    assert Calendar.from_ical(out.read_bytes()).walk("VEVENT") == []


def test_log_takes_an_interval_an_end_and_refuses_an_overlap(db, topic, capsys):
    assert main(["log", "yesterday 19:00-20:30", "--topic", topic.id, "--db", db]) == 0
    assert "logged 1h30" in capsys.readouterr().out
    assert main(["log", "1h", "--at", "yesterday 19:30", "--db", db]) == 2
    err = capsys.readouterr().err
    assert "overlaps the session logged #1" in err and "19:00-20:30" in err
    assert main(["log", "1h", "--at", "yesterday 19:30", "--allow-overlap", "--db", db]) == 0
    capsys.readouterr()
    again = ["log", "yesterday 19:00-20:30", "--topic", topic.id, "--allow-overlap", "--db", db]
    assert main(again) == 2
    assert "already logged" in capsys.readouterr().err
    assert main(["log", "45m", "--end", "yesterday 22:00", "--db", db]) == 0
    assert "21:15" in capsys.readouterr().out
    assert main(["log", "--db", db]) == 2
    assert "19:00-20:30" in capsys.readouterr().err  # the accepted forms, listed
    assert main(["export", "sessions", "--db", db]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + 3
