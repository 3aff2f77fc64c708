"""The main screen's figures read through sqlite3 alone (`LeanReads`, used by the app's
start-up) and through the ORM (`SessionReads`, every other time) are the same: on the
demo history in several zones, and question by question on random rows."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import delete

from mlplanner.clock import FixedClock
from mlplanner.config import resolve_paths
from mlplanner.planner import open_planner, prepare_planner
from mlplanner.services import settings as settings_service
from mlplanner.services.days import StudyCalendar
from mlplanner.services.demo import build_demo
from mlplanner.services.fingerprint import FINGERPRINT_KEY
from mlplanner.services.lean_reads import LeanReads, lean_start
from mlplanner.services.overview import load_overview, read_overview
from mlplanner.services.reviews.config import ReviewConfig
from mlplanner.services.session_reads import SessionReads
from mlplanner.store.lean import open_lean
from mlplanner.store.models import CardRecord, ResourceProgress, ReviewDay, StudySession
from mlplanner.vocabulary import CardState
from tests.conftest import NOW, isolate_user_dirs

BERLIN = ZoneInfo("Europe/Berlin")
ZONES = [
    BERLIN,
    ZoneInfo("America/New_York"),
    ZoneInfo("Asia/Kolkata"),  # half an hour off UTC: days turn mid-hour
    ZoneInfo("Pacific/Chatham"),  # 45 minutes off, and summer time
    ZoneInfo("UTC"),
]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lean-demo")
    path = folder / "demo.db"
    with pytest.MonkeyPatch.context() as patch:
        isolate_user_dirs(patch, folder / "home")
        clock = FixedClock(NOW)
        planner = open_planner(resolve_paths(db=str(path)), clock)
        build_demo(planner.session, planner.curriculum, clock(), BERLIN)
        planner.close()
    return path


@pytest.fixture
def demo(tmp_path, demo_db):
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_db, path)
    planner = open_planner(resolve_paths(db=str(path)), FixedClock(NOW))
    yield planner
    planner.close()


def both(planner):
    """The lean reader and an ORM session on the same database."""
    store = open_lean(planner.paths.db_url)
    assert store is not None, "a current SQLite database is read the lean way"
    return store, LeanReads(store, store.settings())


@pytest.mark.parametrize("zone", ZONES, ids=str)
@pytest.mark.parametrize("rollover", [0, 4])
def test_the_overview_is_the_same_either_way(demo, zone, rollover):
    store, lean = both(demo)
    try:
        with demo.session() as session:
            settings = settings_service.from_raw(store.settings())
            settings = settings._replace(rollover_hour=rollover)
            calendar = StudyCalendar(zone, rollover)
            for now in (NOW, NOW - timedelta(days=9, hours=5), NOW + timedelta(days=19, hours=11)):
                this_week = calendar.this_week(now)
                for first in (None, this_week - timedelta(weeks=1), this_week + timedelta(weeks=2)):
                    ordinary = load_overview(
                        session, demo.curriculum, now, settings, calendar, first
                    )
                    quick = read_overview(lean, demo.curriculum, now, settings, calendar, first)
                    assert quick == ordinary
                    assert ordinary.dashboard.week_hours > 0 or first is not None or now != NOW
    finally:
        store.close()


def test_the_demo_overview_has_figures_to_compare(demo):
    """The comparison above is not between two empty screens."""
    store, lean = both(demo)
    try:
        calendar = StudyCalendar(BERLIN)
        overview = read_overview(lean, demo.curriculum, NOW, demo.settings, calendar)
    finally:
        store.close()
    board = overview.dashboard
    assert board.week_hours > 0 and board.streak_days > 0 and board.due_today > 0
    assert board.new_today + board.learning_today + board.review_today > 0
    assert any(day.blocks for day in overview.week.days) and overview.status


# Random rows, question by question --------------------------------------------------

TOPICS = ["python-basics", "linear-algebra", "pytorch", "ml-system-design"]
# A few instants drawn often, so that due dates, burials and "now" meet exactly (the
# edges of each condition), and any other instant over half a year and two DST changes.
EDGES = [NOW, NOW + timedelta(hours=8, minutes=30), datetime(2026, 3, 29, 1, tzinfo=UTC)]
instants = st.sampled_from(EDGES) | st.datetimes(
    min_value=datetime(2025, 10, 20), max_value=datetime(2026, 4, 10)
).map(lambda moment: moment.replace(tzinfo=UTC))
optional_instants = st.none() | instants
cards = st.lists(
    st.tuples(
        st.sampled_from(TOPICS),
        st.sampled_from(list(CardState)),
        optional_instants,  # due
        optional_instants,  # buried until
        st.booleans(),  # suspended
        st.booleans(),  # hidden
        st.booleans(),  # removed
    ),
    max_size=25,
)
sessions = st.lists(
    st.tuples(st.none() | st.sampled_from(TOPICS), instants, st.integers(0, 5 * 3600)),
    max_size=25,
)
review_days = st.lists(
    st.tuples(
        st.dates(date(2026, 3, 1), date(2026, 3, 20)),
        st.sampled_from(TOPICS),
        st.integers(0, 30),
        st.integers(0, 30),
        st.integers(0, 30),
    ),
    max_size=8,
    unique_by=lambda row: row[:2],
)


@pytest.fixture(scope="module")
def random_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lean-random")
    with pytest.MonkeyPatch.context() as patch:
        isolate_user_dirs(patch, folder / "home")
        planner = open_planner(resolve_paths(db=str(folder / "random.db")), FixedClock(NOW))
    yield planner
    planner.close()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(  # a card whose burial ends at `now` and that is due by `before`: shown
    cards=[(TOPICS[0], CardState.REVIEW, NOW - timedelta(hours=1), NOW, False, False, False)],
    sessions=[],
    days=[],
    now=NOW,
    before=NOW + timedelta(hours=1),
    since=NOW,
    limit=5,
    zone=BERLIN,
    rollover=4,
    resources=set(),
)
@example(  # a card due exactly at `before`: not yet
    cards=[(TOPICS[0], CardState.LEARNING, NOW, None, False, False, False)],
    sessions=[],
    days=[],
    now=NOW - timedelta(hours=1),
    before=NOW,
    since=NOW,
    limit=5,
    zone=BERLIN,
    rollover=4,
    resources=set(),
)
@given(
    cards=cards,
    sessions=sessions,
    days=review_days,
    now=instants,
    before=instants,
    since=instants,
    limit=st.integers(-2, 12),
    zone=st.sampled_from(ZONES),
    rollover=st.integers(0, 23),
    resources=st.sets(st.sampled_from(["r1", "r2", "r3"])),
)
def test_each_question_has_the_same_answer_either_way(
    random_db, cards, sessions, days, now, before, since, limit, zone, rollover, resources
):
    planner = random_db
    with planner.session() as session:
        for model in (CardRecord, StudySession, ReviewDay, ResourceProgress):
            session.exec(delete(model))
        for n, (topic, state, due, buried, suspended, hidden, removed) in enumerate(cards):
            session.add(
                CardRecord(
                    id=f"c{n}",
                    topic_id=topic,
                    front="f",
                    back="b",
                    state=state,
                    due=due,
                    buried_until=buried,
                    suspended=suspended,
                    hidden=hidden,
                    removed=removed,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        for topic, started, seconds in sessions:
            session.add(StudySession(topic_id=topic, started_at=started, duration_s=seconds))
        for day, topic, new, passed, failed in days:
            session.add(
                ReviewDay(
                    day=day, topic_id=topic, new_cards=new, first_pass=passed, first_fail=failed
                )
            )
        for resource in sorted(resources):
            session.add(ResourceProgress(resource_id=resource, done_at=NOW))
    calendar = StudyCalendar(zone, rollover)
    config = ReviewConfig(calendar)
    store, lean = both(planner)
    try:
        with planner.session() as session:
            ordinary = SessionReads(session)
            for reads in (ordinary, lean):
                assert isinstance(reads.scheduled_due(now, before), int)
            assert lean.scheduled_due(now, before) == ordinary.scheduled_due(now, before)
            assert lean.learning_due(now, before) == ordinary.learning_due(now, before)
            assert lean.reviews_due(now, before, limit) == ordinary.reviews_due(now, before, limit)
            for topics in (TOPICS[:2], TOPICS[3:], []):
                assert lean.new_cards(now, topics, limit) == ordinary.new_cards(now, topics, limit)
            assert lean.done_today(config, now) == ordinary.done_today(config, now)
            assert lean.study_days(calendar, since) == ordinary.study_days(calendar, since)
            assert lean.seconds_between(since, before) == ordinary.seconds_between(since, before)
            assert sorted(lean.seconds_per_topic(), key=str) == sorted(
                ordinary.seconds_per_topic(), key=str
            )
            first_lean, first_ordinary = lean.first_logged(), ordinary.first_logged()
            assert (first_lean is None) == (first_ordinary is None)
            if first_ordinary is not None:
                assert datetime.fromisoformat(str(first_lean)).replace(
                    tzinfo=UTC
                ) == datetime.fromisoformat(str(first_ordinary)).replace(tzinfo=UTC)
            assert lean.done_resources() == ordinary.done_resources() == resources
            first = calendar.week_start(calendar.today(now))
            assert lean.week(planner.curriculum, first, calendar, 8) == ordinary.week(
                planner.curriculum, first, calendar, 8
            )
    finally:
        store.close()


# When the lean way is taken at start-up --------------------------------------------


def test_a_current_synced_database_is_read_the_lean_way(demo):
    demo.close()
    planner = prepare_planner(demo.paths, FixedClock(NOW))
    with planner.lean_reads() as view:
        assert view is not None
        assert not view.start.new_learner  # the demo learner has history
        assert planner.settings.weekly_target_hours == demo.settings.weekly_target_hours
    assert not planner.is_connected


def test_content_not_yet_synced_takes_the_ordinary_way(demo):
    with demo.session() as session:
        settings_service.set_raw(session, FINGERPRINT_KEY, "an older content")
    demo.close()
    planner = prepare_planner(demo.paths, FixedClock(NOW))
    with planner.lean_reads() as view:
        assert view is None
    planner.connect()  # the sync brings the fingerprint up to date: lean from now on
    planner.close()
    again = prepare_planner(demo.paths, FixedClock(NOW))
    with again.lean_reads() as view:
        assert view is not None


def test_a_review_history_without_day_counters_takes_the_ordinary_way(demo):
    with demo.session() as session:
        session.exec(delete(ReviewDay))
    store = open_lean(demo.paths.db_url)
    try:
        assert store is not None and store.has_rows("review_log")
        assert lean_start(store, demo.curriculum) is None
    finally:
        store.close()


def test_no_lean_way_into_a_database_not_yet_made_or_once_connected(tmp_path, demo):
    fresh = prepare_planner(resolve_paths(db=str(tmp_path / "new.db")), FixedClock(NOW))
    with fresh.lean_reads() as view:
        assert view is None
    assert not (tmp_path / "new.db").exists()
    with demo.lean_reads() as view:  # connected: the ordinary way is open
        assert view is None


def test_a_new_learner_is_told_apart(empty_db_paths):
    planner = prepare_planner(empty_db_paths, FixedClock(NOW))
    with planner.lean_reads() as view:
        assert view is not None and view.start.new_learner and view.start.timer is None


@pytest.fixture
def empty_db_paths(tmp_path):
    paths = resolve_paths(db=str(tmp_path / "empty.db"))
    open_planner(paths, FixedClock(NOW)).close()
    return paths


def test_a_table_name_is_never_taken_from_outside(empty_db_paths):
    store = open_lean(empty_db_paths.db_url)
    assert store is not None
    try:
        with pytest.raises(ValueError, match="not a table"):
            store.has_rows("card; DROP TABLE card")
    finally:
        store.close()


def test_blocks_in_the_week_agree_across_a_dst_change(demo):
    """A weekly block across the spring change in Berlin: both ways list it alike."""
    from mlplanner.services import planning

    with demo.session() as session:
        planning.add_block(
            session, demo.clock, date(2026, 3, 2), time(1, 30), 120, "Europe/Berlin", "FREQ=WEEKLY"
        )
    store, lean = both(demo)
    try:
        calendar = StudyCalendar(BERLIN)
        with demo.session() as session:
            for week in (date(2026, 3, 23), date(2026, 3, 30)):
                ordinary = SessionReads(session).week(demo.curriculum, week, calendar, 10)
                assert lean.week(demo.curriculum, week, calendar, 10) == ordinary
    finally:
        store.close()


@pytest.mark.parametrize(
    "zone", [ZoneInfo("Australia/Lord_Howe"), ZoneInfo("Asia/Kathmandu")], ids=str
)
@pytest.mark.parametrize("limits", [(-5, -5), (0, 0), (1, 1), (2**62, 2**62)], ids=str)
def test_the_daily_limits_are_applied_alike_either_way(demo, zone, limits):
    """Limits at and past their edges (none left, one, more than any collection), in zones
    whose summer time moves by half an hour or whose offset is not on the quarter hour."""
    store, lean = both(demo)
    try:
        settings = settings_service.from_raw(store.settings())
        settings = settings._replace(new_cards_per_day=limits[0], reviews_per_day=limits[1])
        calendar = StudyCalendar(zone, 5)
        with demo.session() as session:
            for now in (NOW, NOW - timedelta(days=200, hours=5), NOW + timedelta(days=150)):
                ordinary = load_overview(session, demo.curriculum, now, settings, calendar)
                assert read_overview(lean, demo.curriculum, now, settings, calendar) == ordinary
    finally:
        store.close()
