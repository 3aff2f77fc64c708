"""The command registry, errors turned into a message and an exit status in one place,
and the imports a quick command pays for."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from mlplanner import cli
from mlplanner.cli import build_parser, main
from mlplanner.curriculum import LoadResult, Problem
from mlplanner.errors import BadInput, PlannerError


@pytest.fixture
def db(database):
    return database


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield path, parser
        return
    for name, sub in subparsers[0].choices.items():
        yield from _leaves(sub, (*path, name))


def test_every_command_has_a_handler_in_its_group_module():
    leaves = dict(_leaves(build_parser()))
    assert ("timer", "status") in leaves and ("import", "cards") in leaves
    for path, parser in leaves.items():
        run = parser.get_default("run")
        assert callable(run), path
        assert run.__module__.startswith("mlplanner.cli."), path
    assert build_parser().get_default("run") is cli.app.open_app


def test_timer_status_imports_neither_textual_nor_card_import(db):
    code = (
        "import sys\n"
        "from mlplanner.cli import main\n"
        f"status = main(['timer', 'status', '--db', {db!r}])\n"
        "print(status, sorted(m for m in sys.modules if m == 'textual'"
        " or m.startswith('textual.') or m == 'mlplanner.services.card_import'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["no timer is running", "0 []"]


def test_building_the_parser_imports_no_database_code():
    code = (
        "import sys\n"
        "from mlplanner.cli import build_parser\n"
        "build_parser()\n"
        "print([m for m in ('sqlmodel', 'mlplanner.planner', 'mlplanner.services')"
        " if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("error", "status"),
    [(PlannerError("the disk is on fire"), 1), (BadInput("the disk is on fire"), 2)],
)
def test_a_planner_error_in_a_handler_is_a_message_and_its_exit_status(
    db, monkeypatch, capsys, error, status
):
    from mlplanner.planner import Planner

    opened, closed = [], []

    def status_handler(args, context):
        opened.append(context.planner)
        raise error

    close = Planner.close
    monkeypatch.setattr(Planner, "close", lambda self: closed.append(self) or close(self))
    from mlplanner.cli import timer  # the command table imports it only when it runs

    monkeypatch.setattr(timer, "status", status_handler)
    assert main(["timer", "status", "--db", db]) == status
    captured = capsys.readouterr()
    assert captured.err == "mlplanner: the disk is on fire\n" and captured.out == ""
    assert closed == opened and len(opened) == 1


def test_an_unknown_topic_exits_2_with_the_message(db, capsys):
    assert main(["timer", "start", "--topic", "no-such-topic-at-all", "--db", db]) == 2
    assert capsys.readouterr().err.startswith("mlplanner: no topic 'no-such-topic-at-all'")
    assert main(["timer", "status", "--db", db]) == 0
    assert "no timer is running" in capsys.readouterr().out


@pytest.mark.parametrize("command", ["log", "timer"])
def test_an_error_naming_hostile_text_reaches_the_terminal_cleaned(db, capsys, command):
    """The message quotes what was typed; its escape sequences never reach the terminal."""
    hostile = "\x1b[31mRED\x1b]0;title\x07[@click=app.quit]x"
    argv = ["log", "30m"] if command == "log" else ["timer", "start"]
    assert main([*argv, "--topic", hostile, "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mlplanner: no topic") and "RED" in err
    assert "\x1b" not in err and "\x07" not in err


def test_a_broken_curriculum_lists_its_problems_one_a_line(db, monkeypatch, capsys):
    problems = [
        Problem(Path("a.toml"), 3, "'hours' must be greater than 0"),
        Problem(Path("b.toml"), None, "invalid TOML"),
    ]
    monkeypatch.setattr(
        "mlplanner.planner.obtain_curriculum", lambda paths: LoadResult(None, problems)
    )
    assert main(["stats", "--db", db]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "mlplanner: the curriculum has problems:",
        "  a.toml:3: 'hours' must be greater than 0",
        "  b.toml: invalid TOML",
    ]


def test_settings_change_goes_through_the_planner(db, monkeypatch, capsys):
    from mlplanner.planner import Planner

    changes = []
    update = Planner.update_settings

    def recording(self, **kwargs):
        changes.append(kwargs)
        return update(self, **kwargs)

    monkeypatch.setattr(Planner, "update_settings", recording)
    assert main(["settings", "session_minutes", "60", "--db", db]) == 0
    assert changes == [{"session_minutes": 60}]
    assert capsys.readouterr().out == "session_minutes = 60\n"
