"""Quick commands as a shell prompt or a tmux status bar runs them: wall time per command.

Each command runs as a new process (as the shell would start it), at least 9 times; the
median is reported next to the floor of starting Python and importing sqlite3, and next
to the same command forced onto the ordinary path (the planner over SQLAlchemy; what
every command took before the quick path), measured in the same run. The database is a
copy of `--db` (the commands write: `log` adds a session each run) or a new, empty one.
Python may write bytecode for the package, as an installed package has it. Never part of
the test suite.

    python benchmarks/cli.py --runs 9 [--db /tmp/bench.db] [--no-ordinary]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "timer status": ["timer", "status"],
    "timer status, running": ["timer", "status"],  # a Pomodoro started before it is timed
    "log 10m": ["log", "10m", "--topic", "python-basics", "--allow-overlap"],
    "week": ["week"],
    "block list": ["block", "list"],
    "topics": ["topics"],
}


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=env)
    return (time.perf_counter() - started) * 1000


def median_of(argv: list[str], runs: int, env: dict[str, str]) -> float:
    timed(argv, env)  # warm the file cache, the bytecode and the curriculum cache
    return statistics.median(timed(argv, env) for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--db", type=Path, help="a database to copy (default: a new one)")
    parser.add_argument("--no-ordinary", action="store_true", help="skip timing the ordinary path")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.db is not None and not args.db.is_file():
        parser.error(f"{args.db}: no such database (make one with benchmarks/make_dataset.py)")
    program = str(Path(sys.executable).with_name("mlplanner"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="mlplanner-cli-") as folder:
        env["XDG_DATA_HOME"] = str(Path(folder) / "data")  # the curriculum cache
        db = Path(folder) / "cli.db"
        if args.db is not None:
            for suffix in ("", "-wal"):
                source = Path(f"{args.db}{suffix}")
                if source.exists():
                    shutil.copyfile(source, f"{db}{suffix}")
        # Opened once the ordinary way: created, or upgraded to the current schema.
        ordinary_env = {**env, "MLPLANNER_ORDINARY_PATH": "1"}
        subprocess.run(
            [program, "--db", str(db), "timer", "status"],
            check=True,
            capture_output=True,
            env=ordinary_env,
        )
        floor = median_of([sys.executable, "-c", "import sqlite3"], args.runs, env)

        def each(environment: dict[str, str]) -> dict[str, float]:
            timings = {}
            for name, command in COMMANDS.items():
                running = name.endswith(", running")
                if running:
                    start = ["timer", "start", "--pomodoro", "--topic", "python-basics"]
                    subprocess.run(
                        [program, "--db", str(db), *start], check=True, capture_output=True, env=env
                    )
                timings[name] = median_of(
                    [program, "--db", str(db), *command], args.runs, environment
                )
                if running:
                    subprocess.run(
                        [program, "--db", str(db), "timer", "stop"],
                        check=True,
                        capture_output=True,
                        env=env,
                    )
            return timings

        results = each(env)
        ordinary = {} if args.no_ordinary else each(ordinary_env)
    print(f"{'command':<24}{'median ms':>10}{'x floor':>9}{'ordinary ms':>13}   ({args.runs} runs)")
    print(f"{'python -c import sqlite3':<24}{floor:>10.0f}{1:>9.1f}")
    for name, ms in results.items():
        before = f"{ordinary[name]:>13.0f}" if name in ordinary else ""
        print(f"{name:<24}{ms:>10.0f}{ms / floor:>9.1f}{before}")
    summary: dict[str, object] = {
        "floor_ms": round(floor, 1),
        **{k: round(v, 1) for k, v in results.items()},
    }
    if ordinary:
        summary["ordinary_ms"] = {k: round(v, 1) for k, v in ordinary.items()}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
