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
BARE = "bare Textual+SQLModel"


def cpu_ms(pid: int) -> float:
    """CPU time (user and system) a running process has used so far, in ms (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def one_run(argv: list[str], timeout: float = 30.0) -> tuple[float, float, float]:
    """Milliseconds to the first frame and to the loaded screen, and the CPU time the
    program had used when its screen was loaded (less sensitive to other work on the
    machine than the wall time)."""
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the program under test, in a terminal that has its size
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 160, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "50"}
        os.execvpe(argv[0], argv, env)
    seen = b""
    painted = loaded = None
    used = float("nan")
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
                used = cpu_ms(pid)
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
    return (painted - started) * 1000, (loaded - started) * 1000, used


def median_runs(cases: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float, float]]:
    """Medians per case of (first paint, loaded, CPU at loaded). The cases take turns,
    one run each per round, so a change in the machine's load falls on all of them."""
    for argv in cases.values():
        one_run(argv)  # warm the file cache: every later run starts alike
    seen: dict[str, list[tuple[float, float, float]]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, argv in cases.items():
            seen[name].append(one_run(argv))
    return {
        name: tuple(statistics.median(column) for column in zip(*rows, strict=True))
        for name, rows in seen.items()
    }


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
        argvs = {BARE: [sys.executable, str(HERE / "bare_app.py"), str(empty)]}
        argvs["empty database"] = [program, "--db", str(empty)]
        if args.db is not None:
            argvs["large dataset"] = [program, "--db", str(args.db.resolve())]
        medians = median_runs(argvs, args.runs)
    baseline = medians.pop(BARE)
    results = medians
    print(
        f"{'':<30}{'first paint':>12}{'loaded':>9}{'CPU':>8}"
        f"   (medians of {args.runs} runs, ms; ratios paint / loaded / CPU)"
    )
    print(f"{BARE:<30}{baseline[0]:>12.0f}{baseline[1]:>9.0f}{baseline[2]:>8.0f}")
    for name, (painted, loaded, used) in results.items():
        print(
            f"{'mlplanner, ' + name:<30}{painted:>12.0f}{loaded:>9.0f}{used:>8.0f}"
            f"   {painted / baseline[0]:.2f}x / {loaded / baseline[1]:.2f}x"
            f" / {used / baseline[2]:.2f}x"
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
                "baseline_cpu_ms": round(baseline[2], 1),
                "cases": {
                    k: {
                        "painted_ms": round(p, 1),
                        "loaded_ms": round(lo, 1),
                        "cpu_ms": round(c, 1),
                        "cpu_ratio": round(c / baseline[2], 2),
                    }
                    for k, (p, lo, c) in results.items()
                },
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
