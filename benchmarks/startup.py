"""Start-up as a learner sees it: process start to first paint and to the loaded screen.

Each run starts the program in a real pseudo-terminal (160x50, xterm-256color), reads what
it draws and notes when "loading" first appears (the first frame: roadmap and status line
frame) and when "streak" appears (the status line filled from the database). The same is
measured for a bare Textual app that imports SQLModel and opens SQLite (bare_app.py) in the
same run, so the ratio holds on whatever machine runs it. Never part of the test suite.

    python benchmarks/startup.py --db /tmp/bench.db --runs 7
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]"
)
PAINTED, LOADED = b"loading", b"streak"


def one_run(argv: list[str], timeout: float = 30.0) -> tuple[float, float]:
    """Milliseconds to the first frame and to the loaded screen."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the program under test, in a terminal that has its size
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "50"}
        os.execvpe(argv[0], argv, env)
    seen = b""
    painted = loaded = None
    try:
        while loaded is None:
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{' '.join(argv)}: no loaded screen after {timeout} s")
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            plain = ESCAPES.sub(b"", seen)
            now = time.perf_counter()
            if painted is None and PAINTED in plain:
                painted = now
            if LOADED in plain:
                loaded = now
                painted = painted or now
    finally:
        os.kill(pid, signal.SIGTERM)
        try:
            while os.read(fd, 65536):
                pass
        except OSError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    if painted is None or loaded is None:
        raise RuntimeError(f"{' '.join(argv)} ended before drawing its screen")
    return (painted - started) * 1000, (loaded - started) * 1000


def median_runs(argv: list[str], runs: int) -> tuple[float, float]:
    one_run(argv)  # warm the file cache: every later run starts alike
    painted, loaded = zip(*(one_run(argv) for _ in range(runs)), strict=True)
    return statistics.median(painted), statistics.median(loaded)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="the large dataset (benchmarks/make_dataset.py)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    if args.db is not None and not args.db.exists():
        print(f"{args.db}: no such file; make it with benchmarks/make_dataset.py", file=sys.stderr)
        return 2
    program = str(Path(sys.executable).with_name("mlplanner"))
    with tempfile.TemporaryDirectory(prefix="mlplanner-startup-") as folder:
        empty = Path(folder) / "empty.db"
        baseline = median_runs([sys.executable, str(HERE / "bare_app.py"), str(empty)], args.runs)
        cases = {"empty database": empty}
        if args.db is not None:
            cases["large dataset"] = args.db.resolve()
        results = {}
        for name, db in cases.items():
            results[name] = median_runs([program, "--db", str(db)], args.runs)
    print(f"{'':<22}{'first paint':>14}{'loaded':>12}   (medians of {args.runs} runs, ms)")
    print(f"{'bare Textual+SQLModel':<22}{baseline[0]:>14.0f}{baseline[1]:>12.0f}")
    for name, (painted, loaded) in results.items():
        print(
            f"{'mlplanner, ' + name:<22}{painted:>14.0f}{loaded:>12.0f}"
            f"   {painted / baseline[0]:.2f}x / {loaded / baseline[1]:.2f}x"
        )
    worst = max(results.values(), key=lambda r: r[1])
    print(
        json.dumps(
            {
                "painted_ms": round(worst[0], 1),
                "loaded_ms": round(worst[1], 1),
                "baseline_painted_ms": round(baseline[0], 1),
                "baseline_ms": round(baseline[1], 1),
                "painted_ratio": round(worst[0] / baseline[0], 2),
                "ratio": round(worst[1] / baseline[1], 2),
                "cases": {
                    k: {"painted_ms": round(p, 1), "loaded_ms": round(lo, 1)}
                    for k, (p, lo) in results.items()
                },
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
