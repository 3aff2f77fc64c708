"""Time flashcard review on a dataset from make_dataset.py, on a copy of the database.

    python benchmarks/review.py --db /tmp/bench.db [--answers 1000] [--profile]

Measures: opening the database and building today's queue; answering a card and getting
the next one ready (grade, commit, next card, its four outcomes for the buttons);
the review statistics. Also, in the same run and on the same copy, the floor: the same
answers graded by fsrs and written by bare sqlite3 (the card's schedule, a log row, the
day's counters, one transaction each), with nothing else, so the ratio stays meaningful
on a busy machine. The last line printed is one JSON object with the figures.
`--profile` prints where the answer-and-next time goes (cProfile) instead of timing it.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from fsrs import Rating
from sqlalchemy import func
from sqlmodel import select

from mlplanner.curriculum import load_curriculum
from mlplanner.services import progress, review_stats, reviews
from mlplanner.services.days import StudyCalendar
from mlplanner.store import make_engine, prepare_database, transaction, unit_of_work
from mlplanner.store.models import CardRecord

ZONE = ZoneInfo("Europe/Berlin")
BUDGETS = {
    "queue_ms": 30,
    "answer_next_median_ms": 0.26,  # Anki on such a collection (benchmarks/anki_review.py)
    "answer_next_p95_ms": 3,
    "stats_ms": 100,
}
FLOOR_WRITES = (
    "UPDATE card SET state=?, step=?, stability=?, difficulty=?, due=?, last_review=?, "
    "reps=?, lapses=?, updated_at=? WHERE id=? AND reps=?",
    "INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, state_before) "
    "VALUES (?, ?, ?, ?, ?)",
    "INSERT INTO review_day (day, topic_id, reviews, new_cards, first_pass, first_fail, "
    "again, time_ms) VALUES (?, ?, 1, 0, 1, 0, 0, ?) ON CONFLICT (day, topic_id) DO UPDATE "
    "SET reviews = reviews + 1, time_ms = time_ms + excluded.time_ms",
)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def stamp(when: datetime | None) -> str | None:
    return None if when is None else when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def floor_times(path: Path, cards: list[reviews.ReviewCard], now: datetime, sched) -> list[float]:
    """Each card graded Good by fsrs and written by bare sqlite3 in its own transaction."""
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        connection.execute(f"PRAGMA {pragma}")
    update, log, day = FLOOR_WRITES
    times = []
    for card in cards:
        started = time.perf_counter()
        after = sched.review_card(reviews.to_fsrs(card, now), Rating.Good, now)[0]
        connection.execute("BEGIN IMMEDIATE")
        values = (int(after.state), after.step, after.stability, after.difficulty)
        connection.execute(
            update,
            (*values, stamp(after.due), stamp(now), card.reps + 1, card.lapses, stamp(now))
            + (card.id, card.reps),
        )
        connection.execute(log, (card.id, 3, stamp(now), 5000, "{}"))
        connection.execute(day, (now.date().isoformat(), card.topic_id, 5000))
        connection.execute("COMMIT")
        times.append((time.perf_counter() - started) * 1000)
    connection.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=10, help="runs of the queue and statistics")
    parser.add_argument("--now", help="ISO instant to review at; default: the dataset's now")
    parser.add_argument("--profile", action="store_true", help="profile answer-and-next")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"{args.db}: no such file; make it with benchmarks/make_dataset.py", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="mlplanner-bench-") as folder:
        copy = Path(folder) / "review.db"
        print(f"copying {args.db} …", file=sys.stderr, flush=True)
        shutil.copyfile(args.db, copy)
        for suffix in ("-wal", "-shm"):
            if Path(f"{args.db}{suffix}").exists():
                shutil.copyfile(f"{args.db}{suffix}", f"{copy}{suffix}")
        # Write the copy out now: otherwise the first checkpoint pays for the whole copy.
        with open(copy, "rb+") as handle:
            os.fsync(handle.fileno())
        url = f"sqlite:///{copy}"
        curriculum = load_curriculum().curriculum
        engine = make_engine(url)
        prepare_database(engine)
        with unit_of_work(engine) as session:
            if args.now:
                now = datetime.fromisoformat(args.now).astimezone(UTC)
            else:
                now = session.exec(select(func.max(CardRecord.last_review))).one() or datetime.now(
                    UTC
                )
                now = (now if now.tzinfo else now.replace(tzinfo=UTC)) + timedelta(minutes=1)
            if reviews.ensure_review_days(session, reviews.ReviewConfig(StudyCalendar(ZONE))):
                print("filled the per-day review counters first", file=sys.stderr)
        engine.dispose()
        config = reviews.ReviewConfig(StudyCalendar(ZONE), new_per_day=200, reviews_per_day=5000)

        queue_times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            engine = make_engine(url)
            prepare_database(engine)
            with unit_of_work(engine) as session:
                status = progress.statuses(session)
                queue = reviews.build_queue(session, curriculum, status, now, config)
            queue_times.append((time.perf_counter() - started) * 1000)
            engine.dispose()
        left = queue.counts()
        print(f"queue: {left[0]} new, {left[1]} learning, {left[2]} review", file=sys.stderr)

        engine = make_engine(url)
        prepare_database(engine)
        rng = random.Random(1)
        sched = config.scheduler()
        answer_times = []
        clock = now
        card = queue.next_card(clock)
        outcomes = reviews.preview(card, clock, sched)
        profile = cProfile.Profile() if args.profile else None
        for _ in range(args.answers):
            if card is None:
                break
            grade = rng.choices(reviews.GRADES, weights=(1, 2, 12, 3))[0]
            if profile:
                profile.enable()
            started = time.perf_counter()
            with transaction(engine) as db:  # one transaction per answer, as on screen
                queue.answer(db, card, grade, clock, outcomes[grade], duration_ms=5000)
            card = queue.next_card(clock)
            if card is not None:
                outcomes = reviews.preview(card, clock, sched)
            answer_times.append((time.perf_counter() - started) * 1000)
            if profile:
                profile.disable()
            clock += timedelta(seconds=6)
        answered = len(answer_times)
        if profile:
            pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(25)
        # The floor, on the cards the queue would show next.
        if card is not None:
            queue.put_back(card)
        ahead = [c for c in (queue.next_card(clock) for _ in range(answered)) if c is not None]
        floor = floor_times(copy, ahead, clock, sched)

        stats_times = []
        with unit_of_work(engine) as session:
            for _ in range(args.runs):
                started = time.perf_counter()
                figures = review_stats.review_stats(session, curriculum, clock, StudyCalendar(ZONE))
                stats_times.append((time.perf_counter() - started) * 1000)
        engine.dispose()

    result = {
        "queue_ms": round(statistics.median(queue_times), 2),
        "answer_next_median_ms": round(statistics.median(answer_times), 3),
        "answer_next_p95_ms": round(percentile(answer_times, 0.95), 3),
        "stats_ms": round(statistics.median(stats_times), 2),
        "floor_median_ms": round(statistics.median(floor), 3),
        "floor_p95_ms": round(percentile(floor, 0.95), 3),
    }
    result["answer_next_vs_floor"] = round(
        result["answer_next_median_ms"] / result["floor_median_ms"], 2
    )
    print("| what | measured | budget |")
    print("| --- | --- | --- |")
    labels = {
        "queue_ms": f"open the database and build today's queue (median of {args.runs})",
        "answer_next_median_ms": f"answer and get the next card ready, median of {answered}",
        "answer_next_p95_ms": f"answer and get the next card ready, 95th percentile of {answered}",
        "stats_ms": f"review statistics over {figures.total_reviews:,} reviews (median)",
        "floor_median_ms": f"floor: fsrs grade and bare sqlite3 writes, median of {len(floor)}",
        "floor_p95_ms": f"floor: fsrs grade and bare sqlite3 writes, 95th percentile of {len(floor)}",
    }
    for key, label in labels.items():
        if key not in BUDGETS:
            print(f"| {label} | {result[key]} ms | — |")
            continue
        verdict = "within budget" if result[key] < BUDGETS[key] else "OVER BUDGET"
        print(f"| {label} | {result[key]} ms | {BUDGETS[key]} ms | {verdict}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
