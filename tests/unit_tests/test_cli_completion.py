"""Tab completion answers the shell's request with the commands and options that fit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

MLPLANNER = os.path.join(os.path.dirname(sys.executable), "mlplanner")


def complete(line: str, tmp_path) -> list[str]:
    out = tmp_path / "completions.txt"
    env = {
        **os.environ,
        "_ARGCOMPLETE": "1",
        "_ARGCOMPLETE_STDOUT_FILENAME": str(out),
        "COMP_LINE": line,
        "COMP_POINT": str(len(line)),
        "_ARGCOMPLETE_IFS": "\n",
    }
    subprocess.run([MLPLANNER], env=env, capture_output=True, timeout=60, check=False)
    return out.read_text().split("\n")


def test_commands_subcommands_and_options_complete(tmp_path):
    assert [c.strip() for c in complete("mlplanner ti", tmp_path)] == ["timer"]
    assert {c.strip() for c in complete("mlplanner timer s", tmp_path)} == {
        "start",
        "stop",
        "status",
    }
    assert "--allow-overlap" in {c.strip() for c in complete("mlplanner log --al", tmp_path)}


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_gets_code_that_calls_back_into_mlplanner(shell):
    done = subprocess.run([MLPLANNER, "completion", shell], capture_output=True, text=True)
    assert done.returncode == 0 and "_ARGCOMPLETE" in done.stdout and "mlplanner" in done.stdout


def test_bash_accepts_the_code(tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    script = f'eval "$({MLPLANNER} completion bash)" && complete -p mlplanner'
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    assert done.returncode == 0 and "mlplanner" in done.stdout
