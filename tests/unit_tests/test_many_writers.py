"""Several processes writing to one database at once, with real processes: the races of
the focus timer and of answers, an import while others write, a database too busy to wait
for. Nothing here asserts a duration; the outcomes are what count."""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import subprocess
import sys
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from mlplanner.cli import main
from mlplanner.clock import FixedClock
from mlplanner.curriculum import load_curriculum
from mlplanner.services import card_import, timer
from mlplanner.services.days import StudyCalendar
from mlplanner.services.reviews import GOOD, ReviewConfig, StaleCard, answer, load_cards
from mlplanner.store import StoreError, make_engine, prepare_database, revisions, unit_of_work
from mlplanner.store.models import CardRecord, FocusTimer, ReviewDay, ReviewLog, StudySession

pytestmark = pytest.mark.slow  # real processes racing: `make test-slow`

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = 10

# The CLI processes of a race are forked from a server that has imported mlplanner
# already, so ten of them start in milliseconds, not seconds; each then waits at a
# barrier and runs `mlplanner.cli.main` as the installed command does.
_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload(["mlplanner.cli", "mlplanner.planner", "mlplanner.services.timer"])


def _cli_in_a_child(argv: list[str], environ: dict[str, str], barrier, results) -> None:
    os.environ.clear()
    os.environ.update(environ)
    out, err = io.StringIO(), io.StringIO()
    barrier.wait(timeout=120)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status: object = main(argv)
        except SystemExit as exc:
            status = exc.code
        except BaseException:  # what the command would print as a traceback
            traceback.print_exc()
            status = 1
    results.put((status, out.getvalue(), err.getvalue()))


def run_together(*argv: str, count: int = PROCESSES) -> list[tuple[int, str, str]]:
    """Run `mlplanner ARGV` in `count` processes released at the same moment; returns
    (exit status, stdout, stderr) of each."""
    barrier, results = _FORKS.Barrier(count), _FORKS.Queue()
    children = [
        _FORKS.Process(
            target=_cli_in_a_child, args=(list(argv), dict(os.environ), barrier, results)
        )
        for _ in range(count)
    ]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=300) for _ in children]
    for child in children:
        child.join(timeout=60)
    return outcomes


def count(engine, model) -> int:
    with unit_of_work(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def db(engine, database):
    """The database URL, opened once by the CLI (schema made, curriculum cards stored), so
    the processes of a test meet over their own writes, not over the first opening."""
    assert main(["timer", "status", "--db", database]) == 0
    return database


# The timer ---------------------------------------------------------------------------


def test_ten_concurrent_stops_log_one_session(db, engine):
    with unit_of_work(engine) as session:
        timer.start(session, FixedClock(datetime.now(UTC) - timedelta(minutes=30)), note="x")
    results = run_together("timer", "stop", "--db", db)
    logged = [r for r in results if r[0] == 0]
    refused = [r for r in results if r[0] != 0]
    assert len(logged) == 1, results
    assert "timer stopped: logged 30m" in logged[0][1]
    assert len(refused) == PROCESSES - 1
    for status, _out, err in refused:
        assert status == 2 and err.strip() == "mlplanner: no timer is running", err
    assert count(engine, StudySession) == 1
    assert count(engine, FocusTimer) == 0


def test_ten_concurrent_starts_leave_one_timer(db, engine):
    results = run_together("timer", "start", "--note", "race", "--db", db)
    started = [r for r in results if r[0] == 0]
    refused = [r for r in results if r[0] != 0]
    assert len(started) == 1 and "timer started" in started[0][1], results
    assert len(refused) == PROCESSES - 1
    for status, _out, err in refused:
        assert status == 2, err
        assert err.startswith("mlplanner: a timer is already running (since "), err
        assert "Traceback" not in err and "IntegrityError" not in err
    assert count(engine, FocusTimer) == 1


def _timer_in_a_child(url: str, action: str, barrier, results) -> None:
    """Open the database, wait for the others, then start or stop the timer at once:
    the processes meet inside the service, between its read and its write."""
    engine = make_engine(url)
    try:
        clock = FixedClock(datetime.now(UTC))
        with unit_of_work(engine) as session:  # connected and warm before the barrier
            timer.current(session)
        barrier.wait(timeout=120)
        try:
            with unit_of_work(engine) as session:
                if action == "start":
                    timer.start(session, clock)
                else:
                    timer.stop(session, clock)
            results.put("done")
        except timer.TimerError:
            results.put("refused")
    except Exception as exc:
        results.put(f"error: {exc!r}")
    finally:
        engine.dispose()


@pytest.mark.parametrize("action", ["start", "stop"])
def test_ten_processes_meeting_inside_start_or_stop(db, engine, action):
    if action == "stop":
        with unit_of_work(engine) as session:
            timer.start(session, FixedClock(datetime.now(UTC) - timedelta(minutes=30)))
    barrier, results = _FORKS.Barrier(PROCESSES), _FORKS.Queue()
    children = [
        _FORKS.Process(target=_timer_in_a_child, args=(db, action, barrier, results))
        for _ in range(PROCESSES)
    ]
    for child in children:
        child.start()
    outcomes = sorted(results.get(timeout=300) for _ in children)
    for child in children:
        child.join(timeout=60)
    assert outcomes == ["done"] + ["refused"] * (PROCESSES - 1)
    assert count(engine, FocusTimer) == (1 if action == "start" else 0)
    assert count(engine, StudySession) == (0 if action == "start" else 1)


def test_a_second_start_in_one_process_is_refused_plainly(engine, clock):
    with unit_of_work(engine) as session:
        timer.start(session, clock)
    with pytest.raises(timer.TimerError, match="already running"), unit_of_work(engine) as s:
        timer.start(s, clock)
    with unit_of_work(engine) as session:
        assert timer.current(session) is not None


# Answers -----------------------------------------------------------------------------

CARD = "race-card"


def answer_in_a_child(url: str, barrier, results) -> None:
    """Read the card, wait for the other process to have read it too, then answer."""
    engine = make_engine(url)
    config = ReviewConfig(StudyCalendar(ZoneInfo("UTC")), fuzz=False)
    try:
        with unit_of_work(engine) as session:
            (card,) = load_cards(session, col(CardRecord.id) == CARD)
        barrier.wait(timeout=60)
        try:
            with unit_of_work(engine) as session:
                answer(session, card, GOOD, datetime.now(UTC), config)
            results.put("answered")
        except StaleCard:
            results.put("stale")
    except Exception as exc:  # the test reports it
        results.put(f"error: {exc!r}")
    finally:
        engine.dispose()


def test_two_processes_answering_one_card_count_it_once(db, engine):
    now = datetime.now(UTC)
    with unit_of_work(engine) as session:
        session.add(
            CardRecord(id=CARD, topic_id="t", front="f", back="b", created_at=now, updated_at=now)
        )
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    children = [
        context.Process(target=answer_in_a_child, args=(db, barrier, results)) for _ in range(2)
    ]
    for child in children:
        child.start()
    outcomes = sorted(results.get(timeout=120) for _ in children)
    for child in children:
        child.join(timeout=60)
    assert outcomes == ["answered", "stale"]
    with unit_of_work(engine) as session:
        assert session.exec(select(func.count()).select_from(ReviewLog)).one() == 1
        assert session.get(CardRecord, CARD).reps == 1
        assert session.exec(select(func.sum(ReviewDay.reviews))).one() == 1


def test_an_answer_from_a_stale_copy_changes_nothing(engine, clock):
    config = ReviewConfig(StudyCalendar(ZoneInfo("UTC")), fuzz=False)
    with unit_of_work(engine) as session:
        session.add(
            CardRecord(
                id=CARD, topic_id="t", front="f", back="b", created_at=clock(), updated_at=clock()
            )
        )
    with unit_of_work(engine) as session:
        (mine,) = load_cards(session, col(CardRecord.id) == CARD)
        (theirs,) = load_cards(session, col(CardRecord.id) == CARD)
    with unit_of_work(engine) as session:
        answer(session, theirs, GOOD, clock(), config)
    before = (mine.reps, mine.state, mine.due)
    with pytest.raises(StaleCard), unit_of_work(engine) as session:
        answer(session, mine, GOOD, clock(), config)
    assert (mine.reps, mine.state, mine.due) == before  # left as it was read
    assert count(engine, ReviewLog) == 1
    with unit_of_work(engine) as session:  # read again, it can be answered
        (fresh,) = load_cards(session, col(CardRecord.id) == CARD)
    with unit_of_work(engine) as session:
        answer(session, fresh, GOOD, clock(), config)
    assert count(engine, ReviewLog) == 2


# Import ------------------------------------------------------------------------------


def write_deck(path: Path, rows: int, topic: str) -> None:
    lines = ["front,back,topic"] + [f"Question {n},Answer {n},{topic}" for n in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_log_runs_while_a_long_import_writes(tmp_path):
    """The import holds the database a batch at a time: a `log` from another process in
    the middle of it waits its turn and succeeds."""
    db = f"sqlite:///{tmp_path / 'planner.db'}"
    topic = load_curriculum().curriculum.topics[0].id
    deck = tmp_path / "deck.csv"
    rows = 6 * card_import.BATCH_ROWS
    write_deck(deck, rows, topic)
    assert main(["timer", "status", "--db", db]) == 0  # the database exists
    importer = subprocess.Popen(
        [sys.executable, "-m", "mlplanner", "import", "cards", str(deck), "--db", db],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert importer.stderr is not None
    first = importer.stderr.readline()  # the first batch is stored: the import is under way
    assert ": line " in first, first
    logs = []
    for _ in range(2):
        logs.append(
            subprocess.run(
                [sys.executable, "-m", "mlplanner", "log", "10m", "--allow-overlap", "--db", db],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
            )
        )
    out, err = importer.communicate(timeout=300)
    for logged in logs:
        assert logged.returncode == 0, logged.stderr
        assert "logged 10m" in logged.stdout
    assert importer.returncode == 0, err
    assert f"added {rows} card(s)" in out
    assert "100%" in err.splitlines()[-1]
    engine = make_engine(db)
    try:
        assert count(engine, StudySession) == 2
        with unit_of_work(engine) as session:
            positions = session.exec(
                select(CardRecord.position)
                .where(CardRecord.origin == "user")
                .order_by(col(CardRecord.position))
            ).all()
    finally:
        engine.dispose()
    first_position = positions[0]
    assert positions == list(range(first_position, first_position + rows))


def test_an_import_cut_short_is_finished_by_running_it_again(engine, clock, tmp_path):
    curriculum = load_curriculum().curriculum
    topic = curriculum.topics[0].id
    deck = tmp_path / "deck.csv"
    write_deck(deck, 10, topic)
    opened = []

    def failing_third_batch():
        opened.append(1)
        if len(opened) == 3:
            raise StoreError("the disk is full; nothing was saved.")
        return unit_of_work(engine)

    with pytest.raises(StoreError):
        card_import.import_cards(failing_third_batch, curriculum, deck, clock(), batch_rows=3)
    assert count(engine, CardRecord) - content_cards(engine) == 6  # two whole batches
    seen = []
    report = card_import.import_cards(
        lambda: unit_of_work(engine),
        curriculum,
        deck,
        clock(),
        batch_rows=3,
        progress=lambda line, lines: seen.append((line, lines)),
    )
    assert (report.added, report.already_there) == (4, 6)
    assert seen == [(4, 11), (7, 11), (10, 11), (11, 11)]
    with unit_of_work(engine) as session:
        positions = session.exec(
            select(CardRecord.position)
            .where(CardRecord.origin == "user")
            .order_by(col(CardRecord.position))
        ).all()
    assert len(set(positions)) == 10 and positions == sorted(positions)


def content_cards(engine) -> int:
    with unit_of_work(engine) as session:
        return session.exec(
            select(func.count()).select_from(CardRecord).where(CardRecord.origin != "user")
        ).one()


def test_huge_fields_are_read_and_nul_bytes_refused_by_row(db, engine, tmp_path, capsys):
    topic = load_curriculum().curriculum.topics[0].id
    deck = tmp_path / "deck.csv"
    huge = "x" * 200_000  # over the csv module's default field limit of 131,072
    deck.write_text(
        "front,back,notes\n"
        f"Good one,Fine,{huge}\n"
        "Has a\x00NUL,Back\n"
        f"Long back,{huge}\n"
        "Good two,Fine\n",
        encoding="utf-8",
    )
    assert main(["import", "cards", str(deck), "--topic", topic, "--db", db]) == 1
    captured = capsys.readouterr()
    assert f"{deck}: added 2 card(s), 2 row(s) skipped" in captured.out
    assert f"{deck}:3: a field holds a NUL byte (\\0); the row was skipped" in captured.err
    assert f"{deck}:4: a side is longer than 20,000 characters" in captured.err
    assert "Traceback" not in captured.err
    with unit_of_work(engine) as session:
        fronts = session.exec(
            select(CardRecord.front)
            .where(CardRecord.origin == "user")
            .order_by(col(CardRecord.position))
        ).all()
    assert fronts == ["Good one", "Good two"]


# A database too busy to wait for ------------------------------------------------------

HOLD_THE_LOCK = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
connection.rollback()
"""


@pytest.fixture
def locked_sqlite(tmp_path, monkeypatch):
    """A SQLite database whose write lock another process holds until the test ends; the
    busy timeout is cut to a second so the test does not wait five."""
    path = tmp_path / "planner.db"
    assert main(["timer", "status", "--db", str(path)]) == 0
    monkeypatch.setattr(revisions, "BUSY_TIMEOUT_MS", 1000)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    yield path
    holder.communicate("release\n", timeout=30)


def test_the_cli_says_when_the_database_stays_busy(locked_sqlite, capsys):
    assert main(["log", "10m", "--db", str(locked_sqlite)]) == 1
    err = capsys.readouterr().err
    assert "stayed busy for 1 s (another mlplanner is writing to it)" in err
    assert "nothing was saved — try again" in err and "Traceback" not in err


def test_a_write_on_a_busy_database_is_a_store_error(tmp_path, monkeypatch):
    path = tmp_path / "planner.db"
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine)
    monkeypatch.setattr(revisions, "BUSY_TIMEOUT_MS", 1000)
    engine.dispose()  # new connections take the shorter timeout
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        clock = FixedClock(datetime(2026, 3, 11, 15, 30, tzinfo=UTC))
        with pytest.raises(StoreError, match="stayed busy"), unit_of_work(engine) as session:
            timer.start(session, clock)
    finally:
        holder.communicate("release\n", timeout=30)
    with unit_of_work(engine) as session:  # once the other writer is done, it goes through
        timer.start(session, clock)
    engine.dispose()


def test_ten_processes_opening_a_new_database_at_once(database, tmp_path):
    """The first opening makes the schema and stores the curriculum's cards; ten at once
    must all succeed and leave each card once."""
    outcomes = run_together("timer", "status", "--db", database)
    assert [status for status, _, _ in outcomes] == [0] * PROCESSES, outcomes
    assert all("Traceback" not in err for _, _, err in outcomes)
    engine = make_engine(database)
    cards = sum(len(t.cards) for t in load_curriculum().curriculum.topics)
    assert count(engine, CardRecord) == cards
    engine.dispose()
