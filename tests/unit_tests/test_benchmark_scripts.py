"""The benchmark scripts run end to end on a tiny dataset (the figures come from a big one)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each runs the scripts in new processes: `make test-slow`

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_dataset_hot_paths_and_review_benchmark(tmp_path):
    db = tmp_path / "tiny.db"
    made = run(
        "benchmarks/make_dataset.py",
        *("--cards", "400", "--reviews", "3000", "--sessions", "300", "--blocks", "20"),
        *("--db", str(db), "--now", "2026-03-11T15:30:00+00:00"),
    )
    assert made.returncode == 0, made.stderr
    hot = run("benchmarks/bench_hot_paths.py", "--db", str(db), "--runs", "2")
    assert hot.returncode == 0, hot.stderr
    assert "statistics over 20k sessions" in hot.stdout
    before = db.stat().st_mtime_ns
    review = run("benchmarks/review.py", "--db", str(db), "--answers", "30", "--runs", "2")
    assert review.returncode == 0, review.stderr
    figures = json.loads(review.stdout.strip().splitlines()[-1])
    assert set(figures) == {
        "queue_ms",
        "answer_next_median_ms",
        "answer_next_p95_ms",
        "stats_ms",
        "floor_median_ms",
        "floor_p95_ms",
        "answer_next_vs_floor",
    }
    assert all(value > 0 for value in figures.values())
    assert db.stat().st_mtime_ns == before  # it worked on a copy


def test_benchmarks_refuse_a_missing_database(tmp_path):
    for script in ("benchmarks/bench_hot_paths.py", "benchmarks/review.py"):
        result = run(script, "--db", str(tmp_path / "none.db"))
        assert result.returncode == 2 and "make_dataset.py" in result.stderr


def test_import_benchmark(tmp_path):
    result = run("benchmarks/import_cards.py", "--rows", "300", "--logs", "1")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["rows"] == 300 and figures["rows_per_s"] > 0
    assert figures["logs_during_import_failed"] == 0
    assert figures["reimport_summary"].endswith("added 0 card(s), 300 already there")


def test_anki_benchmark_answers_on_a_copy_of_the_collection_it_builds(tmp_path):
    pytest.importorskip("anki", reason="Anki's library (in the test extras) builds the collection")
    kept = tmp_path / "kept.anki2"
    size = ("--cards", "300", "--reviews", "2000", "--answers", "20", "--keep", str(kept))
    first = run("benchmarks/anki_review.py", *size)
    assert first.returncode == 0, first.stderr
    figures = json.loads(first.stdout.strip().splitlines()[-1])
    assert figures["fsrs"] is True
    assert figures["answers"] == 20
    assert figures["queue_review"] > 0 and figures["queue_learning"] > 0
    assert 0 < figures["answer_next_median_ms"] <= figures["answer_next_p95_ms"]
    kept_before = kept.read_bytes()
    again = run("benchmarks/anki_review.py", *size)
    assert again.returncode == 0, again.stderr
    assert kept.read_bytes() == kept_before  # answered on a copy: every run starts alike
    repeated = json.loads(again.stdout.strip().splitlines()[-1])
    assert repeated["queue_review"] == figures["queue_review"]
