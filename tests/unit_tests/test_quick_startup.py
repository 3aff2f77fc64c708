"""What the quick commands skip loading gives the same answers as what it replaces: the
user's folders as platformdirs finds them, the command line as argparse reads it, the
curriculum cache's titles, and the printed text."""

from __future__ import annotations

import platformdirs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlplanner import config


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"XDG_DATA_HOME": "/srv/data", "XDG_CONFIG_HOME": "/srv/config"},
        {"XDG_DATA_HOME": "relative/data", "XDG_CONFIG_HOME": ""},
        {"XDG_DATA_HOME": "/srv/data/", "XDG_CONFIG_HOME": "//etc/conf"},
    ],
)
@pytest.mark.parametrize("home", ["/home/ada", "/home/ada/", "/"])
def test_user_folders_are_where_platformdirs_puts_them(monkeypatch, env, home):
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HOME", home)
    assert config.user_dir("data") == platformdirs.user_data_dir("mlplanner", appauthor=False)
    assert config.user_dir("config") == platformdirs.user_config_dir("mlplanner", appauthor=False)


def test_without_a_usable_home_platformdirs_decides(monkeypatch):
    monkeypatch.setenv("HOME", "relative")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    asked = []
    monkeypatch.setattr(
        platformdirs, "user_data_dir", lambda *a, **k: asked.append(a) or "/from/platformdirs"
    )
    assert config.user_dir("data") == "/from/platformdirs"
    assert asked == [("mlplanner",)]


# The command line without argparse

READ_QUICKLY = [
    ["timer", "status"],
    ["--db", "x.db", "timer", "status"],
    ["timer", "status", "--db", "x.db", "--content", "extra"],
    ["--db=x.db", "--content=extra", "timer", "status"],
    ["--db=", "timer", "status"],
    ["week"],
    ["week", "--json"],
    ["week", "--date", "2026-03-02", "--json"],
    ["week", "--date=2026-03-17 10:00"],
    ["week", "--json", "--db", "x.db", "--date", "tue"],
    ["block", "list"],
    ["block", "list", "--json", "--db", "x.db"],
    ["topics"],
    ["topics", "linear", "algebra"],
    ["topics", "linear", "--json"],
    ["topics", "--json"],
    ["topics", ""],
    ["log", "10m", "--topic", "python-basics", "--allow-overlap"],
    ["log"],
    ["log", "1h30", "--at", "yesterday 19:00", "--note", "chapter 2"],
    ["log", "25m", "--end=10:00", "--note="],
    ["log", "19:00-20:30", "--topic=Python prog", "--db", "x.db"],
    ["--db", "x.db", "log", "45m", "--note", "a=b", "--allow-overlap", "--topic", "x"],
]

LEFT_TO_ARGPARSE = [
    [],
    ["--help"],
    ["timer", "status", "--help"],
    ["timer", "status", "-h"],
    ["timer", "start"],
    ["timer", "status", "now"],
    ["timer", "--db", "x.db", "status"],
    ["--d", "x.db", "timer", "status"],
    ["--db", "timer", "status"],
    ["--db", "a.db", "timer", "status", "--db", "b.db"],
    ["week", "--js"],
    ["week", "--json", "--json"],
    ["week", "--json=yes"],
    ["week", "--date"],
    ["week", "--date", "-1"],
    ["week", "2026-03-02"],
    ["block", "list", "all"],
    ["block", "rm", "3"],
    ["topics", "--json", "linear"],
    ["topics", "-x"],
    ["topics", "--", "-x"],
    ["log", "10m", "20m"],
    ["log", "-10m"],
    ["log", "10m", "--at", "10:00", "--end", "11:00"],
    ["log", "10m", "--note", "--topic", "x"],
    ["log", "10m", "--topic", "a", "--topic", "b"],
    ["log", "--topic", "x", "10m"],
    ["log", "10m", "--allow-overlap", "--allow-overlap"],
    ["logs", "10m"],
    ["week", "--demo"],
]


@pytest.mark.parametrize("argv", READ_QUICKLY)
def test_a_quick_command_line_reads_as_argparse_reads_it(argv):
    from mlplanner.cli import build_parser
    from mlplanner.cli.quick_args import read

    quick = read(argv)
    assert quick is not None
    assert vars(quick) == vars(build_parser(argv).parse_args(argv))


@pytest.mark.parametrize("argv", LEFT_TO_ARGPARSE)
def test_any_other_command_line_is_left_to_argparse(argv):
    from mlplanner.cli.quick_args import read

    assert read(argv) is None


def test_the_quick_commands_load_none_of_what_they_no_longer_need(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from mlplanner.cli import main\n"
        "db = sys.argv[1]\n"
        "for argv in (['timer', 'status'], ['block', 'list'], ['log', '5m', '--allow-overlap'],"
        " ['week'],"
        " ['topics']):\n"
        "    assert main([*argv, '--db', db]) == 0, argv\n"
        "print(sorted(m for m in sys.modules if m in ('argparse', 'shutil', 'platformdirs',"
        " 'hashlib', '_hashlib', 'pickle', 'decimal', 'tempfile', 'dataclasses', 'inspect',"
        " 'sqlalchemy')))\n"
    )
    db = tmp_path / "planner.db"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    # Created the ordinary way and the curriculum cache written (a Pomodoro started, so
    # that `timer status` reads its rhythm), then read the quick way.
    for first in (True, False):
        start = "main(['timer', 'start', '--pomodoro', '--db', db])\n" if first else ""
        result = subprocess.run(
            [sys.executable, "-c", code + start, str(db)], capture_output=True, text=True, env=env
        )
        assert result.returncode == 0, result.stderr
        if first:
            assert "dataclasses" in result.stdout  # the check can see what it looks for
    assert result.stdout.splitlines()[-1] == "[]"


# Printing many lines at once

SAMPLES = [
    "plain text, accents é and marks ○◐●⊘",
    "tab\tand new\nline",
    "colour \x1b[31mred\x1b[0m",
    "an unended title \x1b]0;gotcha",
    "bell\x07 and NUL\x00",
    "carriage\rreturn",
    "bidi \u202eevil\u202c",
    "C1 \x9b31m and \x85",
    "",
]


def _old_write(text: str) -> str:
    from mlplanner.safe_text import printable

    return "\r".join(printable(part) for part in text.split("\r"))


@pytest.mark.parametrize("text", SAMPLES)
def test_the_safe_stream_writes_what_it_always_wrote(text):
    import io

    from mlplanner.cli import SafeStream

    for piece in (text, text + "\n", "\n" + text + "\n" + text):
        target = io.StringIO()
        assert SafeStream(target).write(piece) == len(piece)
        assert target.getvalue() == _old_write(piece)


@given(st.text(alphabet=st.sampled_from("ab \t\n\r\x1b[]0;\x07\x9b\x9c\x85\u202e\u200e\x00é")))
def test_plain_text_is_what_printable_leaves_alone(text):
    from mlplanner.safe_text import is_plain, printable

    if is_plain(text):
        assert printable(text) == text


@pytest.mark.parametrize(
    "lines",
    [
        SAMPLES[:2],
        SAMPLES,  # the unended title must not swallow the lines after it
        [SAMPLES[3], "next line", "last"],
        [],
    ],
)
def test_lines_print_as_print_prints_them_one_by_one(capsys, lines):
    from mlplanner.cli import human_output
    from mlplanner.cli.output import print_lines

    capsys.readouterr()
    with human_output():
        for line in lines:
            print(line)
    expected = capsys.readouterr().out
    with human_output():
        print_lines(lines)
    assert capsys.readouterr().out == expected
    with human_output():
        print_lines(iter(lines))
    assert capsys.readouterr().out == expected


def _printable_as_it_was(text, one_line=False, limit=None):
    """`printable` before plain text skipped the cleaning."""
    import re

    from mlplanner.safe_text import _BIDI, _CONTROL, _SEQUENCES, _picture

    value = text.replace("\r\n", "\n")
    value = re.sub(_SEQUENCES, "", value, flags=re.VERBOSE)
    value = re.sub(_BIDI, "", value)
    if one_line:
        value = re.sub(r"[\t\n\r]+", " ", value)
    value = re.sub(_CONTROL, _picture, value.replace("\r", "\n") if not one_line else value)
    if limit is not None and len(value) > limit:
        value = value[: max(0, limit - 1)] + "…"
    return value


@given(
    st.text(alphabet=st.sampled_from("ab é\t\n\r\x1b[]0;m\x07\x9b\x9c\x85\u202e\u200e\x00")),
    st.booleans(),
    st.none() | st.integers(0, 12),
)
def test_printable_cleans_as_it_always_did(text, one_line, limit):
    from mlplanner.safe_text import printable

    assert printable(text, one_line=one_line, limit=limit) == _printable_as_it_was(
        text, one_line, limit
    )


# Hours and minutes rounded without the decimal module


def _hours_by_decimal(hours, places=1):
    from decimal import ROUND_HALF_UP, Decimal

    exact = Decimal(repr(round(float(hours), 9)))
    shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{shown + 0:.{places}f}"


def _minutes_by_decimal(seconds):
    from decimal import ROUND_HALF_UP, Decimal

    exact = Decimal(repr(round(seconds, 6))) / 60
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


EDGES = [0, -0.0, 0.05, 0.15, 0.25, 2.25, -2.25, -0.04, -0.05, 0.95, 9.95, 99.95, 1393.5]
EDGES += [1e-7, 1e-12, 123456789.123, 1e16, 2.5e20, 0.1 + 0.2, 1 / 3, 2 / 3, 10.0, 1e15 - 0.5]


@pytest.mark.parametrize("hours", EDGES)
@pytest.mark.parametrize("places", [0, 1, 2])
def test_hours_round_as_decimal_rounds_them(hours, places):
    from mlplanner.services.durations import format_hours

    assert format_hours(hours, places) == _hours_by_decimal(hours, places)


def _outcome(function, *args):
    """What a call gives, or the kind of error it raises (huge numbers overflow decimal)."""
    try:
        return function(*args)
    except (ArithmeticError, ValueError) as exc:
        return type(exc)


@given(st.floats(width=64), st.integers(0, 3))
def test_any_hours_round_as_decimal_rounds_them(hours, places):
    from mlplanner.services.durations import format_hours

    assert _outcome(format_hours, hours, places) == _outcome(_hours_by_decimal, hours, places)


@given(
    st.floats()
    | st.integers(-(10**12), 10**12)
    | st.integers(0, 10**6).map(lambda n: n / 2)
    | st.integers(0, 10**8).map(lambda n: n / 1000)
)
def test_minutes_round_as_decimal_rounds_them(seconds):
    from datetime import timedelta

    from mlplanner.services.durations import whole_minutes

    assert _outcome(whole_minutes, seconds) == _outcome(_minutes_by_decimal, float(seconds))
    if abs(seconds) < 10**9:
        assert whole_minutes(timedelta(seconds=seconds)) == _minutes_by_decimal(
            timedelta(seconds=seconds).total_seconds()
        )


@pytest.mark.parametrize("seconds", [0, 29, 29.999999, 30, 59, 89.5, 90, -30, -29.5, 1e9, 1e17])
def test_minutes_at_the_halves(seconds):
    from mlplanner.services.durations import whole_minutes

    assert whole_minutes(seconds) == _minutes_by_decimal(float(seconds))


def test_a_cached_curriculum_is_rebuilt_by_pickles_own_unpickler_and_no_other_class():
    import os
    import pickle
    from pathlib import Path

    from mlplanner.curriculum.cache import _unpickle

    assert _unpickle(pickle.dumps(Path("a") / "b")) == Path("a/b")
    with pytest.raises(pickle.UnpicklingError, match="not part of a curriculum"):
        _unpickle(pickle.dumps(os.getcwd))


def test_listed_times_read_as_strftime_writes_them(tmp_path, monkeypatch, capsys):
    from datetime import UTC, datetime

    from mlplanner.cli import context, main
    from mlplanner.clock import FixedClock

    monkeypatch.setattr(context, "CLOCK", FixedClock(datetime(2026, 3, 11, 15, 30, tzinfo=UTC)))
    db = str(tmp_path / "planner.db")
    assert main(["settings", "time_zone", "UTC", "--db", db]) == 0
    for day, at, length in (
        ("2026-03-16", "07:05", "45m"),
        ("2026-03-17", "00:00", "9m"),
        ("2026-03-18", "23:59", "1h"),
    ):
        assert main(["block", "add", "--day", day, "--at", at, "--for", length, "--db", db]) == 0
    capsys.readouterr()
    assert main(["block", "list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert main(["week", "--date", "2026-03-16", "--db", db]) == 0
    week = capsys.readouterr().out
    for start, end in (
        (datetime(2026, 3, 16, 7, 5), datetime(2026, 3, 16, 7, 50)),
        (datetime(2026, 3, 17, 0, 0), datetime(2026, 3, 17, 0, 9)),
        (datetime(2026, 3, 18, 23, 59), datetime(2026, 3, 19, 0, 59)),
    ):
        assert f" {start:%Y-%m-%d} {start:%H:%M} " in listed
        assert f"  {start:%H:%M}-{end:%H:%M}  Study" in week


def test_with_no_timer_running_timer_status_answers_before_the_services_load(tmp_path):
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from mlplanner.cli import main\n"
        "assert main(['timer', 'status', '--db', sys.argv[1]]) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('mlplanner.services')"
        " or m.startswith('mlplanner.curriculum')))\n"
    )
    db = tmp_path / "planner.db"
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    for _ in range(2):  # created the ordinary way, then read the quick way
        result = subprocess.run(
            [sys.executable, "-c", code, str(db)], capture_output=True, text=True, env=env
        )
        assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["no timer is running", "[]"]
