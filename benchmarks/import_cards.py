"""Time `mlplanner import cards` on a CSV of N rows, with `mlplanner log` run meanwhile.

    python benchmarks/import_cards.py --rows 200000 [--db /tmp/import.db] [--logs 5]

Writes a CSV of N distinct cards (front, back, topic, tags) spread over the curriculum's
topics, then runs the import as a user would: `python -m mlplanner import cards FILE` in
its own process, on a new SQLite database (or the one given; a PostgreSQL URL works too).
While it runs, `mlplanner log 10m` runs in other processes, one after the other, up to
`--logs` times: each should wait briefly and succeed, never fail as "database is locked".
Then the same import runs again, which must add nothing. The last line printed is one
JSON object with the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mlplanner.curriculum import load_curriculum

WORDS = [
    "gradient",
    "loss",
    "tensor",
    "batch",
    "epoch",
    "layer",
    "kernel",
    "bias",
    "variance",
    "prior",
    "posterior",
    "sample",
    "matrix",
    "vector",
    "norm",
    "entropy",
    "margin",
    "feature",
    "label",
    "token",
    "embedding",
    "attention",
    "dropout",
]


def make_csv(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    topics = [t.id for t in load_curriculum().curriculum.topics]
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["front", "back", "topic", "tags"])
        for number in range(rows):
            front = f"Card {number}: what links {' and '.join(rng.sample(WORDS, 3))}?"
            back = " ".join(rng.choices(WORDS, k=rng.randint(5, 30)))
            out.writerow([front, back, topics[number % len(topics)], "bench imported"])


def mlplanner(*args: str) -> list[str]:
    return [sys.executable, "-m", "mlplanner", *args]


def run_import(csv_path: Path, db: str, logs: int) -> dict:
    """Run the import; meanwhile `log` one after another. Returns the figures."""
    started = time.perf_counter()
    importer = subprocess.Popen(
        mlplanner("import", "cards", str(csv_path), "--db", db),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    waits: list[float] = []
    failures: list[str] = []
    time.sleep(1.5)  # past the start-up, into the batches
    while importer.poll() is None and len(waits) + len(failures) < logs:
        begun = time.perf_counter()
        logged = subprocess.run(
            mlplanner("log", "10m", "--allow-overlap", "--note", "during the import", "--db", db),
            capture_output=True,
            text=True,
        )
        if logged.returncode == 0:
            waits.append(time.perf_counter() - begun)
        else:
            failures.append(logged.stderr.strip())
        time.sleep(0.5)
    out, err = importer.communicate()
    seconds = time.perf_counter() - started
    if importer.returncode != 0:
        print(err, file=sys.stderr)
        raise SystemExit(f"the import failed with exit status {importer.returncode}")
    print(out.strip(), file=sys.stderr)
    return {
        "seconds": round(seconds, 2),
        "summary": out.strip().splitlines()[-1],
        "progress_lines": sum(1 for line in err.splitlines() if ": line " in line),
        "logs_ok": len(waits),
        "logs_failed": len(failures),
        "log_longest_s": round(max(waits), 2) if waits else None,
        "failures": failures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--db", help="database path or URL (default: a new temporary file)")
    parser.add_argument("--logs", type=int, default=5, help="`log` runs during the import")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="mlplanner-import-") as folder:
        csv_path = Path(folder) / "cards.csv"
        made = time.perf_counter()
        make_csv(csv_path, args.rows, args.seed)
        print(
            f"wrote {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - made:.1f} s",
            file=sys.stderr,
        )
        db = args.db or str(Path(folder) / "import.db")
        # Create the database first, so the timing is the import's own.
        subprocess.run(mlplanner("timer", "status", "--db", db), check=True, capture_output=True)
        first = run_import(csv_path, db, args.logs)
        again = run_import(csv_path, db, 0)
    figures = {
        "rows": args.rows,
        "import_s": first["seconds"],
        "rows_per_s": round(args.rows / first["seconds"]),
        "progress_lines": first["progress_lines"],
        "logs_during_import_ok": first["logs_ok"],
        "logs_during_import_failed": first["logs_failed"],
        "log_longest_s": first["log_longest_s"],
        "reimport_s": again["seconds"],
        "reimport_summary": again["summary"],
    }
    for failure in first["failures"]:
        print(f"log failed: {failure}", file=sys.stderr)
    print(
        f"imported {args.rows:,} rows in {first['seconds']} s "
        f"({figures['rows_per_s']:,} rows/s); `log` during it: {first['logs_ok']} ok, "
        f"{first['logs_failed']} failed, longest {first['log_longest_s']} s; "
        f"again: {again['seconds']} s ({again['summary']})"
    )
    print(json.dumps(figures))
    return 0 if not first["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
