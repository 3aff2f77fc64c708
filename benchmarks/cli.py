"""Quick commands as a shell prompt or a tmux status bar runs them: wall time per command.

Each command runs as a new process (as the shell would start it) against a database made
here, at least 9 times; the median is reported next to the floor of starting Python and
importing sqlite3. Never part of the test suite.

    python benchmarks/cli.py --runs 9
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "timer status": ["timer", "status"],
    "log 10m": ["log", "10m", "--topic", "pandas", "--allow-overlap"],
    "week": ["week"],
    "block list": ["block", "list"],
    "topics": ["topics"],
}


def timed(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return (time.perf_counter() - started) * 1000


def median_of(argv: list[str], runs: int) -> float:
    timed(argv)  # warm the file cache
    return statistics.median(timed(argv) for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--db", type=Path, help="a database to use (default: a new one)")
    args = parser.parse_args(argv)
    program = str(Path(sys.executable).with_name("mlplanner"))
    with tempfile.TemporaryDirectory(prefix="mlplanner-cli-") as folder:
        db = str(args.db or Path(folder) / "cli.db")
        subprocess.run([program, "--db", db, "timer", "status"], check=True, capture_output=True)
        floor = median_of([sys.executable, "-c", "import sqlite3"], args.runs)
        results = {
            name: median_of([program, "--db", db, *command], args.runs)
            for name, command in COMMANDS.items()
        }
    print(f"{'command':<16}{'median ms':>10}{'x floor':>9}   ({args.runs} runs each)")
    print(f"{'python+sqlite3':<16}{floor:>10.0f}{1:>9.1f}")
    for name, ms in results.items():
        print(f"{name:<16}{ms:>10.0f}{ms / floor:>9.1f}")
    print(json.dumps({"floor_ms": round(floor, 1), **{k: round(v, 1) for k, v in results.items()}}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
