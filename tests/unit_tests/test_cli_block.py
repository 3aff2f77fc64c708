"""Planning from the shell: mlplanner block add, list and rm."""

from __future__ import annotations

import json

import pytest

from mlplanner.cli import main


@pytest.fixture
def db(database):
    return database


def blocks(db, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["block", "list", "--json", "--db", db]) == 0
    return json.loads(capsys.readouterr().out)["blocks"]


def test_add_list_and_remove_blocks(db, capsys):
    assert main(["block", "add", "--day", "2026-12-07", "--at", "19:00", "--for", "1h30",
                 "--topic", "pandas", "--weekly", "mon,wed", "--count", "6", "--db", db]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert out.startswith("block #1: Pandas") or "block #1:" in out
    assert main(["block", "add", "--day", "2026-12-08", "--at", "07:30", "--for", "45m",
                 "--note", "flashcards", "--db", db]) == 0  # fmt: skip
    listed = blocks(db, capsys)
    assert [(b["start_time"], b["minutes"], b["rule"]) for b in listed] == [
        ("19:00", 90, "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=6"),
        ("07:30", 45, None),
    ]
    assert listed[1]["title"] == "flashcards"
    assert main(["block", "rm", "1", "--occurrence", "2026-12-09", "--db", db]) == 0
    assert blocks(db, capsys)[0]["skipped"] == ["2026-12-09"]
    assert main(["block", "rm", "1", "--occurrence", "2026-12-10", "--db", db]) == 2
    assert "no occurrence on Thu 10 Dec 2026" in capsys.readouterr().err
    assert main(["block", "rm", "2", "--db", db]) == 0
    assert [b["id"] for b in blocks(db, capsys)] == [1]
    assert main(["week", "--json", "--date", "2026-12-07", "--db", db]) == 0
    week = json.loads(capsys.readouterr().out)
    assert [len(d["blocks"]) for d in week["days"]] == [1, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--at", "19:00", "--for", "soon"], "cannot read 'soon' as a duration"),
        (["--at", "evening", "--for", "1h"], "time of day"),
        (["--at", "19:00", "--for", "1h", "--weekly", "mon,funday"], "'funday' is not a day"),
        (["--at", "19:00", "--for", "1h", "--day", "someday"], "try today, tomorrow"),
        (["--at", "19:00", "--for", "13h"], "at most 12 hours"),
        (["--at", "19:00", "--for", "1h", "--topic", "pandsa"], "did you mean pandas"),
        (["--at", "19:00", "--for", "1h", "--every", "0"], "every 1 to 520 weeks"),
    ],
)
def test_bad_blocks_exit_2_with_the_reason(db, capsys, argv, message):
    assert main(["block", "add", *argv, "--db", db]) == 2
    assert message in capsys.readouterr().err


def test_removing_an_unknown_block_says_so(db, capsys):
    assert main(["block", "rm", "99", "--db", db]) == 2
    assert "no study block #99" in capsys.readouterr().err
