"""Quick commands as a shell prompt or a tmux status bar runs them: wall time per command.

Each command runs as a new process (as the shell would start it), at least 9 times; the
median is reported next to the floor of starting Python and importing sqlite3, and next
to the same command forced onto the ordinary path (the planner over SQLAlchemy; what
every command took before the quick path), measured in the same run. The database is a
copy of `--db` (the commands write: `log` adds a session each run) or a new, empty one.
Python may write bytecode for the package, as an installed package has it. Never part of
the test suite.

With `--watson PROGRAM` (the `watson` of td-watson, a Python time tracker, installed
anywhere), Watson's `status` and `add` are timed in the same run, in a folder of their
own, and each command's ratio to them is reported: the reading commands against
`status`, `log` (which writes) against `add`.

    python benchmarks/cli.py --runs 9 [--db /tmp/bench.db] [--no-ordinary] [--watson PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user and system) of one run, in ms."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=env)
    wall = (time.perf_counter() - started) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return wall, cpu


def median_of(argv: list[str], runs: int, env: dict[str, str]) -> float:
    """The median wall time; the median CPU time goes to CPU_MS (steadier on a busy
    machine, where a process also waits for a core)."""
    timed(argv, env)  # warm the file cache, the bytecode and the curriculum cache
    walls, cpus = zip(*(timed(argv, env) for _ in range(runs)), strict=True)
    CPU_MS[" ".join(argv[1:]) + ("*" if env.get("MLPLANNER_ORDINARY_PATH") else "")] = (
        statistics.median(cpus)
    )
    return statistics.median(walls)


CPU_MS: dict[str, float] = {}

_WATSON_PEER = {name: "add" if name.startswith("log") else "status" for name in COMMANDS}
"""The Watson command each of ours is compared with: a write with `add`, a read with `status`."""


def time_watson(program: Path, folder: str, runs: int, env: dict[str, str]) -> dict[str, float]:
    """Watson's `status` and `add` (one frame of ten minutes), median wall times in ms, with
    its data in a folder of its own (WATSON_DIR)."""
    watson_env = {**env, "WATSON_DIR": str(Path(folder) / "watson")}
    os.makedirs(watson_env["WATSON_DIR"], exist_ok=True)
    timings = {
        "status": median_of([str(program), "status"], runs, watson_env),
        "add": median_of(
            [str(program), "add", "-f", "10:00", "-t", "10:10", "study"], runs, watson_env
        ),
    }
    CPU_MS.clear()
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--db", type=Path, help="a database to copy (default: a new one)")
    parser.add_argument("--no-ordinary", action="store_true", help="skip timing the ordinary path")
    parser.add_argument("--watson", type=Path, help="Watson's program, timed as a baseline")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.db is not None and not args.db.is_file():
        parser.error(f"{args.db}: no such database (make one with benchmarks/make_dataset.py)")
    if args.watson is not None and not os.access(args.watson, os.X_OK):
        parser.error(f"{args.watson}: not a program (pip install td-watson gives `watson`)")
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
        floor_cpu = CPU_MS.popitem()[1]
        cpu: dict[str, float] = {}
        ordinary_cpu: dict[str, float] = {}

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
                into = ordinary_cpu if "MLPLANNER_ORDINARY_PATH" in environment else cpu
                into[name] = CPU_MS.popitem()[1]
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
        watson = {} if args.watson is None else time_watson(args.watson, folder, args.runs, env)
    print(
        f"{'command':<24}{'wall ms':>9}{'x floor':>9}{'cpu ms':>8}"
        f"{'ordinary wall':>15}{'cpu':>6}   (medians of {args.runs} runs)"
    )
    print(f"{'python -c import sqlite3':<24}{floor:>9.0f}{1:>9.1f}{floor_cpu:>8.0f}")
    for name, ms in results.items():
        before = f"{ordinary[name]:>15.0f}{ordinary_cpu[name]:>6.0f}" if name in ordinary else ""
        versus = f"{ms / watson[_WATSON_PEER[name]]:>7.2f}x Watson" if watson else ""
        print(f"{name:<24}{ms:>9.0f}{ms / floor:>9.1f}{cpu[name]:>8.0f}{before}{versus}")
    for name, ms in watson.items():
        print(f"{'watson ' + name:<24}{ms:>9.0f}{ms / floor:>9.1f}")
    summary: dict[str, object] = {
        "floor_ms": round(floor, 1),
        **{k: round(v, 1) for k, v in results.items()},
        "floor_cpu_ms": round(floor_cpu, 1),
        "cpu_ms": {k: round(v, 1) for k, v in cpu.items()},
    }
    if ordinary:
        summary["ordinary_ms"] = {k: round(v, 1) for k, v in ordinary.items()}
        summary["ordinary_cpu_ms"] = {k: round(v, 1) for k, v in ordinary_cpu.items()}
    if watson:
        summary["watson_ms"] = {k: round(v, 1) for k, v in watson.items()}
        summary["vs_watson"] = {
            k: round(v / watson[_WATSON_PEER[k]], 2) for k, v in results.items()
        }
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
