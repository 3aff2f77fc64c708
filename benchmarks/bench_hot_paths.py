"""Time the hot paths on a dataset from make_dataset.py; prints median and worst of N runs.

python benchmarks/bench_hot_paths.py --db /tmp/bench.db [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import select

from mlplanner.curriculum import load_curriculum
from mlplanner.services import dashboard, overview, stats
from mlplanner.services.days import StudyCalendar, study_day, week_start
from mlplanner.services.lean_reads import LeanReads
from mlplanner.services.recurrence import occurrences
from mlplanner.services.settings import Settings
from mlplanner.services.week import week_view
from mlplanner.store import make_engine, prepare_database, unit_of_work
from mlplanner.store.lean import open_lean
from mlplanner.store.models import StudyBlock

ZONE = ZoneInfo("Europe/Berlin")
CALENDAR = StudyCalendar(ZONE)


def measure(label: str, budget_ms: float | None, job, runs: int) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    verdict = (
        "" if budget_ms is None else ("  within budget" if median <= budget_ms else "  OVER BUDGET")
    )
    budget = f"{budget_ms:g} ms" if budget_ms else "—"
    print(f"| {label} | {median:.1f} ms | {max(times):.1f} ms | {budget} |{verdict}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--now", default="2026-03-11T15:30:00+00:00")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db}: no such file; make it with benchmarks/make_dataset.py", file=sys.stderr)
        return 2
    now = datetime.fromisoformat(args.now).astimezone(UTC)
    curriculum = load_curriculum().curriculum
    engine = make_engine(f"sqlite:///{args.db.resolve()}")
    prepare_database(engine)
    settings = Settings()
    monday = week_start(study_day(now, ZONE, settings.rollover_hour))

    def week():
        with unit_of_work(engine) as session:
            week_view(session, curriculum, monday, CALENDAR, 10)

    with unit_of_work(engine) as session:
        blocks = session.exec(select(StudyBlock)).all()
    sunday = monday + timedelta(days=6)

    def expand():
        for block in blocks:
            occurrences(block, monday, sunday)

    def board():
        with unit_of_work(engine) as session:
            dashboard.dashboard(session, curriculum, {}, now, CALENDAR, 10)

    def due():
        with unit_of_work(engine) as session:
            dashboard.due_today(session, now, CALENDAR)

    def main_screen():
        with unit_of_work(engine) as session:
            overview.load_overview(session, curriculum, now, settings, CALENDAR)

    def lean_screen():  # the app's start-up: a new sqlite3 connection each time
        store = open_lean(f"sqlite:///{args.db.resolve()}")
        assert store is not None, "the dataset is at the current schema"
        try:
            reads = LeanReads(store, store.settings())
            overview.read_overview(reads, curriculum, now, settings, CALENDAR)
        finally:
            store.close()

    def figures():
        with unit_of_work(engine) as session:
            stats.study_stats(session, curriculum, now, CALENDAR, 10)

    print("| what | median | worst | budget |")
    print("| --- | --- | --- | --- |")
    measure(f"expand {len(blocks)} stored blocks for a week", 20, expand, args.runs)
    measure("week view: blocks and logged hours, read and expanded", None, week, args.runs)
    measure("cards due today (count)", None, due, args.runs)
    measure("status line (due, week hours, streak, progress)", 50, board, args.runs)
    measure("main screen data (everything above, once)", None, main_screen, args.runs)
    measure("the same, read with sqlite3 alone (start-up)", None, lean_screen, args.runs)
    measure("statistics over 20k sessions", 50, figures, args.runs)
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
