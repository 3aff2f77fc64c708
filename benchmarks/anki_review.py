"""Anki's own engine answering cards, timed as `benchmarks/review.py` times mlplanner.

Builds an Anki collection shaped like `make_dataset.py`'s (by default 100,000 cards: 85 %
in review with FSRS memory states and due dates spread over the stability, 5 % in
learning, 10 % new; 1,000,000 review-log rows), with FSRS on, in a temporary folder; then
answers `--answers` cards as Anki's reviewer does (build the answer from the states that
came with the card, answer it, fetch the next card with its four states) and reports the
median and 95th percentile of answer-and-next, and the time to open the collection and
fetch today's first card. Grades are drawn with the same weights as `review.py`'s.
The last line is one JSON object. Needs Anki's library (`pip install anki`, in the test
extras); never part of the test suite.

    python benchmarks/anki_review.py [--cards 100000] [--reviews 1000000] [--answers 1000]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BATCH = 10_000
GRADE_WEIGHTS = (1, 2, 12, 3)  # again, hard, good, easy: as benchmarks/review.py


def build(path: Path, cards: int, reviews: int, seed: int) -> None:
    """The notes, the deck's limits and FSRS through Anki's library; the cards' states and
    the review log written with sqlite3 once Anki has closed the file (the same tables, far
    quicker than row by row through the library)."""
    import sqlite3

    from anki.collection import AddNoteRequest, Collection

    rng = random.Random(seed)
    col = Collection(str(path))
    try:
        col.set_config("fsrs", True)
        model = col.models.by_name("Basic")
        assert model is not None, "a new collection has the Basic note type"
        deck = col.decks.id("Default")
        assert deck is not None
        config = col.decks.config_dict_for_deck_id(deck)
        config["new"]["perDay"] = 20
        config["rev"]["perDay"] = 200
        col.decks.update_config(config)
        for start in range(0, cards, BATCH):
            requests = []
            for number in range(start, min(cards, start + BATCH)):
                note = col.new_note(model)
                note["Front"] = f"Question {number}"
                note["Back"] = f"Answer {number}"
                requests.append(AddNoteRequest(note=note, deck_id=deck))
            col.add_notes(requests)
            print(f"notes {min(cards, start + BATCH):,}/{cards:,}", file=sys.stderr)
        today = col.sched.today
    finally:
        col.close()
    db = sqlite3.connect(path)
    try:
        ids = [row[0] for row in db.execute("select id from cards order by id")]
        in_review, learning = [], []
        for card_id in ids:
            kind = rng.random()
            if kind < 0.85:
                stability = rng.uniform(1, 300)
                since = rng.uniform(0.5, min(stability, 360))
                due = today + round(stability * rng.uniform(0.9, 1.1) - since)
                memory = json.dumps({"s": round(stability, 2), "d": round(rng.uniform(1, 10), 2)})
                in_review.append((max(1, round(stability)), due, memory, card_id))
            elif kind < 0.90:
                memory = json.dumps({"s": round(rng.uniform(0.1, 3), 2), "d": 5.0})
                learning.append((int(time.time()) - 60, memory, card_id))
        db.executemany(
            "update cards set type = 2, queue = 2, ivl = ?, due = ?, data = ? where id = ?",
            in_review,
        )
        db.executemany(
            "update cards set type = 1, queue = 1, left = 1, due = ?, data = ? where id = ?",
            learning,
        )
        reviewed = [row[3] for row in in_review] + [row[2] for row in learning]
        now_ms = int(time.time() * 1000)

        def log_rows():
            for number in range(reviews):
                card_id = reviewed[number % len(reviewed)]
                when = now_ms - rng.randrange(1, 730 * 86_400_000)
                ease = rng.choices((1, 2, 3, 4), weights=GRADE_WEIGHTS)[0]
                yield (when, card_id, ease, 10, 5, 0, 8000, 1)  # id: the time in ms

        db.executemany(
            "insert or ignore into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)"
            " values (?, ?, -1, ?, ?, ?, ?, ?, ?)",
            log_rows(),
        )
        db.commit()
        print(f"reviews {reviews:,}", file=sys.stderr)
    finally:
        db.close()


def answer(path: Path, answers: int, seed: int) -> dict[str, float]:
    import anki.collection  # before anki.cards, which alone imports in a circle
    from anki.cards import Card
    from anki.scheduler.v3 import CardAnswer

    ratings = (CardAnswer.AGAIN, CardAnswer.HARD, CardAnswer.GOOD, CardAnswer.EASY)
    rng = random.Random(seed)
    started = time.perf_counter()
    col = anki.collection.Collection(str(path))
    try:
        queued = col.sched.get_queued_cards()
        opened_ms = (time.perf_counter() - started) * 1000
        counts = {
            "fsrs": bool(col.get_config("fsrs", False)),
            "queue_new": queued.new_count,
            "queue_learning": queued.learning_count,
            "queue_review": queued.review_count,
        }
        times = []
        for _ in range(answers):
            if not queued.cards:
                break
            began = time.perf_counter()
            shown = queued.cards[0]
            card = Card(col, backend_card=shown.card)
            card.start_timer()
            rating = rng.choices(ratings, weights=GRADE_WEIGHTS)[0]
            col.sched.answer_card(
                col.sched.build_answer(card=card, states=shown.states, rating=rating)
            )
            queued = col.sched.get_queued_cards()
            times.append((time.perf_counter() - began) * 1000)
    finally:
        col.close()
    times.sort()
    return {
        **counts,
        "open_and_queue_ms": round(opened_ms, 2),
        "answers": len(times),
        "answer_next_median_ms": round(statistics.median(times), 3),
        "answer_next_p95_ms": round(times[int(len(times) * 0.95)], 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--keep", type=Path, help="the collection to build once and keep (answered on a copy)"
    )
    args = parser.parse_args(argv)
    if min(args.cards, args.answers) < 1 or args.reviews < 0:
        parser.error("--cards and --answers must be at least 1, --reviews at least 0")
    try:
        import anki  # noqa: F401
    except ImportError:
        parser.error("Anki's library is not installed (pip install anki)")
    with tempfile.TemporaryDirectory(prefix="mlplanner-anki-") as folder:
        built = args.keep or Path(folder) / "collection.anki2"
        if not built.exists():
            build(built, args.cards, args.reviews, args.seed)
        copy = Path(folder) / "answered.anki2"  # each run answers on a fresh copy
        shutil.copyfile(built, copy)
        figures = answer(copy, args.answers, args.seed)
    print(
        f"open and fetch the first card: {figures['open_and_queue_ms']} ms; answer and next, "
        f"{figures['answers']} answers: median {figures['answer_next_median_ms']} ms, "
        f"95th percentile {figures['answer_next_p95_ms']} ms"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
