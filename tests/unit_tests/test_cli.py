from __future__ import annotations

import subprocess
import sys

import pytest

from mlplanner.cli import build_parser, main
from mlplanner.store import SCHEMA_HEAD

STAGE = """\
[stage]
id = "extra"
title = "Extra"
order = 5
summary = "s"

[[topics]]
id = "extra-topic"
title = "Extra topic"
summary = "s"
objectives = ["o"]
hours = 1
"""


def test_every_command_has_help(capsys):
    parser = build_parser()
    for command in ("check", "doctor"):
        with pytest.raises(SystemExit) as exit_:
            main([command, "--help"])
        assert exit_.value.code == 0
        out = capsys.readouterr().out
        assert f"usage: mlplanner {command}" in out and "--db" in out
    assert "--demo" in parser.format_help()


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("mlplanner ")


def test_check_bundled_content_passes(capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "ok —" in out and "stages" in out and "cards" in out


def test_check_reports_problems_with_path_and_line(tmp_path, capsys):
    (tmp_path / "bad.toml").write_text(STAGE.replace("hours = 1", "hours = -1"))
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'bad.toml'}:12: topic 'extra-topic': 'hours' must be greater than 0" in out


@pytest.mark.parametrize("before", [True, False])
def test_db_option_before_or_after_the_subcommand(tmp_path, capsys, before):
    db = tmp_path / "x.db"
    assert main(["week", "--db", str(db)]) == 0
    argv = ["--db", str(db), "doctor"] if before else ["doctor", "--db", str(db)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"sqlite:///{db}" in out and f"schema:    {SCHEMA_HEAD}" in out


def test_doctor_never_creates_or_changes_a_database(tmp_path, capsys):
    db = tmp_path / "nested" / "missing.db"
    assert main(["doctor", "--db", str(db)]) == 0
    assert "does not exist yet" in capsys.readouterr().out
    assert not db.exists() and not db.parent.exists()
    assert main(["week", "--db", str(db)]) == 0
    before = db.read_bytes()
    assert main(["doctor", "--db", str(db)]) == 0
    assert db.read_bytes() == before


def test_doctor_masks_the_password_and_warns_of_readable_files(tmp_path, capsys, pg_server):
    url = pg_server.url().replace("mlplanner@", "mlplanner:hunter2@")
    assert main(["doctor", "--db", url]) == 0
    out = capsys.readouterr().out
    assert "hunter2" not in out and "***" in out
    db = tmp_path / "open.db"
    assert main(["week", "--db", str(db)]) == 0
    db.chmod(0o644)
    assert main(["doctor", "--db", str(db)]) == 0
    assert f"warning:   {db} can be read by other users" in capsys.readouterr().out


def test_db_from_environment(tmp_path, monkeypatch, capsys):
    db = tmp_path / "env.db"
    monkeypatch.setenv("MLPLANNER_DB", str(db))
    assert main(["doctor"]) == 0
    assert str(db) in capsys.readouterr().out


def test_doctor_counts_synced_cards_and_extra_content(tmp_path, capsys):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "s.toml").write_text(STAGE)
    assert main(["week", "--db", str(tmp_path / "d.db"), "--content", str(extra)]) == 0
    assert main(["doctor", "--db", str(tmp_path / "d.db"), "--content", str(extra)]) == 0
    out = capsys.readouterr().out
    assert f"extra:     {extra}" in out
    cards_line = next(line for line in out.splitlines() if line.strip().startswith("cards"))
    assert int(cards_line.split()[-1]) > 0


def test_not_a_database_is_a_message_not_a_traceback(tmp_path, capsys):
    db = tmp_path / "notes.txt"
    db.write_text("shopping list\n" * 20)
    assert main(["doctor", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "not an SQLite database" in err and "Traceback" not in err
    assert db.read_text() == "shopping list\n" * 20


def test_broken_user_content_is_a_warning(tmp_path, capsys):
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "broken.toml").write_text("[stage\n")
    assert main(["doctor", "--db", str(tmp_path / "d.db"), "--content", str(extra)]) == 0
    assert "warning:" in capsys.readouterr().err


def test_console_script_runs_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "mlplanner", "check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
