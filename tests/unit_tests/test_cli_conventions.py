"""The command line behaves as Unix tools do: quiet on a closed pipe, no drawing into a
pipe, whole files or nothing, and no escape sequence from stored text on the terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

# Each test runs the command in new processes (and one in a pseudo-terminal): `make test-slow`.
pytestmark = pytest.mark.slow

MLPLANNER = [sys.executable, "-m", "mlplanner"]


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*MLPLANNER, *args], capture_output=True, timeout=120, **kw)


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "c.db")
    assert run("--db", path, "log", "1h", "--note", "warm-up").returncode == 0
    return path


def test_output_into_a_closed_pipe_ends_quietly(db):
    command = f"{' '.join(MLPLANNER)} --db {db} stats --json | head -1"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "{"
    assert done.returncode == 0 and done.stderr == ""


def test_no_subcommand_outside_a_terminal_is_a_one_line_hint(db):
    done = run("--db", db, stdin=subprocess.DEVNULL, text=True)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "needs a terminal" in done.stderr


@pytest.mark.parametrize("kind", ["sessions", "ics"])
def test_a_full_disk_is_a_message_and_a_file_is_whole_or_absent(db, tmp_path, kind):
    done = run("--db", db, "export", kind, "-o", "/dev/full", text=True)
    assert done.returncode == 1
    assert "No space left on device" in done.stderr and "Traceback" not in done.stderr
    target = tmp_path / "out" / "export.txt"
    missing = run("--db", db, "export", kind, "-o", str(target), text=True)
    assert missing.returncode == 2 and "cannot write" in missing.stderr
    target.parent.mkdir()
    assert run("--db", db, "export", kind, "-o", str(target)).returncode == 0
    assert target.read_bytes() == run("--db", db, "export", kind, "-o", "-").stdout
    assert sorted(p.name for p in target.parent.iterdir()) == ["export.txt"]


HOSTILE_NOTE = "fixed [/] typo \x1b]0;pwned\x07 \x1b[2J [@click=app.quit]x[/] \u202eabc"


def _in_a_terminal(*args: str) -> bytes:
    """Run in a pseudo-terminal and return everything it wrote there."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(sys.executable, [sys.executable, "-m", "mlplanner", *args])
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out


HOSTILE_STAGE = r"""
[stage]
id = "hostile"
title = "Hostile"
order = 5
summary = "s"

[[topics]]
id = "hostile-topic"
title = "fixed [/] typo \u001b]0;pwned\u0007 \u001b[2J [@click=app.quit]x[/] \u202eabc"
summary = "s"
objectives = ["o"]
hours = 1
"""


def test_stored_text_reaches_the_terminal_without_escape_sequences(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "hostile.toml").write_text(HOSTILE_STAGE)
    common = ("--db", str(tmp_path / "h.db"), "--content", str(content))
    logged = _in_a_terminal(*common, "log", "30m", "--topic", "hostile-topic", "--note", "n")
    started = _in_a_terminal(*common, "timer", "start", "--topic", "hostile-topic")
    status = _in_a_terminal(*common, "timer", "status")
    for shown in (logged, started, status):
        text = shown.decode()
        assert "fixed [/] typo" in text and "[@click=app.quit]x[/]" in text  # visible as typed
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text


def test_the_help_lists_the_output_dash(db):
    assert "standard output" in run("export", "ics", "--help", text=True).stdout
