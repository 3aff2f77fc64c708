"""Make a large synthetic planner database through the project's own storage code.

    python benchmarks/make_dataset.py --cards 100000 --reviews 1000000 \
        --sessions 20000 --blocks 500 --db /tmp/bench.db
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time as timer
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from mlplanner.curriculum import load_curriculum
from mlplanner.services.days import StudyCalendar
from mlplanner.services.reviews import ReviewConfig, rebuild_review_days
from mlplanner.store import make_engine, prepare_database, unit_of_work
from mlplanner.store.models import CardRecord, ReviewLog, StudyBlock, StudySession

BATCH = 10_000


def progress(label: str, done: int, total: int) -> None:
    percent = 100 * done // total if total else 100
    end = "\n" if done >= total else ""
    print(f"\r{label:<9} {done:>9}/{total:<9} {percent:3d}%", end=end, file=sys.stderr, flush=True)


def insert_batches(engine, model, rows, total: int, label: str) -> None:
    batch, done = [], 0
    progress(label, 0, total)
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            with unit_of_work(engine) as session:
                session.execute(insert(model), batch)
            done += len(batch)
            batch = []
            progress(label, done, total)
    if batch or not total:
        with unit_of_work(engine) as session:
            if batch:
                session.execute(insert(model), batch)
        done += len(batch)
        progress(label, done, total)


def make_cards(rng: random.Random, count: int, topics: list[str], now: datetime):
    """Card rows plus, for reviewed cards, their (last_review, reps) for the review log."""
    cards, reviewed = [], []
    for n in range(count):
        card_id = f"bench-{n:07d}"
        roll = rng.random()
        row = {
            "id": card_id,
            "topic_id": topics[n % len(topics)],
            "front": f"Synthetic question {n}",
            "back": f"Synthetic answer {n}",
            "tags": "bench",
            "origin": "user",
            "created_at": now - timedelta(days=400),
            "updated_at": now - timedelta(days=1),
        }
        if roll < 0.85:
            stability = rng.uniform(1, 300)
            last = now - timedelta(days=rng.uniform(0.5, min(stability, 360)))
            due = last + timedelta(days=stability * rng.uniform(0.9, 1.1))
            row.update(
                state=2,
                stability=stability,
                difficulty=rng.uniform(1, 10),
                due=due,
                last_review=last,
            )
        elif roll < 0.90:
            last = now - timedelta(minutes=rng.uniform(1, 600))
            row.update(
                state=rng.choice((1, 3)),
                step=0,
                stability=rng.uniform(0.1, 3),
                difficulty=rng.uniform(1, 10),
                due=last + timedelta(minutes=10),
                last_review=last,
            )
        else:
            row.update(state=0)
        if row["state"]:
            reviewed.append(row)
        cards.append(row)
    return cards, reviewed


def review_rows(rng: random.Random, reviewed: list[dict], total: int):
    """Spread `total` reviews over the reviewed cards, each card's last at its last_review."""
    if not reviewed:
        return
    per_card, extra = divmod(total, len(reviewed))
    for index, card in enumerate(reviewed):
        count = per_card + (1 if index < extra else 0)
        when = card["last_review"]
        for k in range(count):
            rating = rng.choices((1, 2, 3, 4), weights=(1, 2, 12, 3))[0]
            before = {
                "state": 2,
                "step": None,
                "stability": round(card["stability"] / (k + 1.5), 3),
                "difficulty": round(card["difficulty"], 3),
                "due": when.isoformat(),
                "last_review": (when - timedelta(days=1)).isoformat(),
            }
            yield {
                "card_id": card["id"],
                "rating": rating,
                "reviewed_at": when,
                "duration_ms": rng.randint(2000, 30000),
                "state_before": json.dumps(before),
            }
            when -= timedelta(days=rng.uniform(1, 20))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--blocks", type=int, default=500)
    parser.add_argument("--db", type=Path, required=True, help="SQLite file to create")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--now", help="the moment the data leads up to (ISO, UTC); default: now")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args(argv)

    if args.db.exists() and args.db.stat().st_size > 0:
        if not args.force:
            print(f"{args.db}: exists; use --force to replace it", file=sys.stderr)
            return 2
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    now = datetime.fromisoformat(args.now).astimezone(UTC) if args.now else datetime.now(UTC)
    rng = random.Random(args.seed)
    started = timer.perf_counter()

    curriculum = load_curriculum().curriculum
    topics = [t.id for t in curriculum.topics] if curriculum else ["bench-topic"]
    engine = make_engine(f"sqlite:///{args.db.resolve()}")
    prepare_database(engine)

    cards, reviewed = make_cards(rng, args.cards, topics, now)
    insert_batches(engine, CardRecord, iter(cards), len(cards), "cards")
    insert_batches(
        engine,
        ReviewLog,
        review_rows(rng, reviewed, args.reviews),
        args.reviews if reviewed else 0,
        "reviews",
    )

    print("review days: counting the log per study day…", file=sys.stderr, flush=True)
    with unit_of_work(engine) as session:
        rebuild_review_days(session, ReviewConfig(StudyCalendar(ZoneInfo("Europe/Berlin"))))

    def sessions():
        for _ in range(args.sessions):
            yield {
                "topic_id": rng.choice(topics),
                "started_at": now - timedelta(minutes=rng.uniform(60, 730 * 24 * 60)),
                "duration_s": 60 * rng.randint(15, 180),
                "note": "",
                "source": rng.choice(("manual", "timer")),
            }

    insert_batches(engine, StudySession, sessions(), args.sessions, "sessions")

    def blocks():
        for n in range(args.blocks):
            weekly = rng.random() < 0.7
            days = sorted(rng.sample(range(7), rng.randint(1, 3)))
            codes = ",".join(("MO", "TU", "WE", "TH", "FR", "SA", "SU")[d] for d in days)
            yield {
                "uid": f"bench-{n}@mlplanner",
                "topic_id": rng.choice(topics),
                "start_date": date(2025, 1, 6) + timedelta(days=rng.randint(0, 600)),
                "start_time": time(rng.randint(6, 21), rng.choice((0, 15, 30, 45))),
                "duration_min": rng.choice((30, 45, 60, 90, 120)),
                "tz": "Europe/Berlin",
                "rrule": f"FREQ=WEEKLY;BYDAY={codes}" if weekly else None,
                "skipped_dates": "",
                "note": "",
                "created_at": now,
            }

    insert_batches(engine, StudyBlock, blocks(), args.blocks, "blocks")
    engine.dispose()
    size = args.db.stat().st_size / 1e6
    due = sum(1 for c in cards if c.get("due") and c["due"] <= now)
    print(
        f"done in {timer.perf_counter() - started:.1f}s: {args.db} ({size:.0f} MB), "
        f"{due} cards due now",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
