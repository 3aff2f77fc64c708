"""The learner's plan: stored choice, and every total counting only the path."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from mlplanner.curriculum import Card as ContentCard
from mlplanner.curriculum import (
    Curriculum,
    ElectiveGroup,
    LearningPath,
    PathElectives,
    Stage,
    Topic,
    Track,
)
from mlplanner.errors import BadInput
from mlplanner.services import (
    content_sync,
    dashboard,
    learner,
    progress,
    projection,
    reviews,
    settings,
)
from mlplanner.services.days import StudyCalendar
from mlplanner.services.overview import load_overview
from mlplanner.services.reviews import ReviewConfig
from mlplanner.store import unit_of_work
from mlplanner.store.models import CARD_REVIEW, CardRecord

BERLIN = ZoneInfo("Europe/Berlin")
CALENDAR = StudyCalendar(BERLIN)


def topic(tid: str, stage: str, hours: float, prerequisites=(), cards: int = 3) -> Topic:
    return Topic(
        tid,
        stage,
        tid.upper(),
        "s",
        ("o",),
        hours,
        prerequisites=tuple(prerequisites),
        cards=tuple(ContentCard(f"{tid}-{n}", tid, f"{tid} {n}", "back") for n in range(cards)),
    )


def curriculum() -> Curriculum:
    core = (topic("a", "core", 10), topic("b", "core", 20, ["a"]), topic("off", "core", 40))
    spec = (topic("x", "spec", 5, ["a"]), topic("y", "spec", 7))
    return Curriculum(
        Track("t", "T", "s"),
        (Stage("core", "Core", 1, "s", core), Stage("spec", "Spec", 2, "s", spec)),
        paths=(
            LearningPath(
                "lean",
                "Lean",
                "s",
                stages=("core", "spec"),
                exclude=("off",),
                electives=(PathElectives("pick", ("x",)),),
                default=True,
            ),
            LearningPath("all", "All", "s", stages=("core",), topics=("x", "y")),
        ),
        electives=(ElectiveGroup("pick", "Pick", ("x", "y"), 1, 1),),
    )


@pytest.fixture
def cur(engine, clock):
    c = curriculum()
    with unit_of_work(engine) as s:
        content_sync.sync_content(s, c, clock)
    return c


def test_the_default_path_until_the_learner_chooses(engine, cur):
    with unit_of_work(engine) as s:
        plan = learner.plan(s, cur)
    assert plan.path.id == "lean" and not plan.chosen
    assert plan.topic_ids == {"a", "b", "x"} and plan.hours == 35
    assert plan.picks == {"pick": ("x",)}
    assert [g.offered for g in plan.groups] == [("x", "y")]


def test_choose_and_elect_are_stored_and_unknown_ids_suggest_close_ones(engine, cur):
    with unit_of_work(engine) as s:
        learner.elect(s, cur, "pick", "y")
    with unit_of_work(engine) as s:
        plan = learner.plan(s, cur)
    assert plan.chosen and plan.topic_ids == {"a", "b", "y"}
    with unit_of_work(engine) as s:
        with pytest.raises(BadInput, match="did you mean 'lean'"):
            learner.choose_path(s, cur, "lea")
        with pytest.raises(BadInput, match="did you mean 'pick'"):
            learner.elect(s, cur, "pik", "x")
        with pytest.raises(BadInput, match="takes exactly 1 pick"):
            learner.set_picks(s, cur, "pick", [])
        learner.choose_path(s, cur, "all")
    with unit_of_work(engine) as s:
        assert learner.plan_topics(s, cur) == {"a", "b", "off", "x", "y"}


def test_preview_stores_nothing(engine, cur):
    preview = learner.preview(cur, "lean", {"pick": ["y"]})
    assert preview.hours == 37
    with unit_of_work(engine) as s:
        assert not learner.plan(s, cur).chosen
    assert [p.hours for p in learner.list_paths(cur)] == [35, 82]


def test_totals_count_only_the_path(engine, clock, cur):
    with unit_of_work(engine) as s:
        progress.set_status(s, "a", "done", clock)
        progress.set_status(s, "off", "done", clock)  # off the path: counts nowhere
    with unit_of_work(engine) as s:
        overview = load_overview(s, cur, clock(), settings.Settings(), CALENDAR)
    board = overview.dashboard
    assert (board.topics_done, board.topics_total) == (1, 3)
    assert (board.hours_done, board.hours_total) == (10, 35)
    assert overview.on_path == {"a", "b", "x"}
    assert overview.next_up == ("b", "x")
    core = overview.stages[0]
    assert (core.done, core.total, core.hours_total) == (1, 2, 30)
    assert overview.projection.remaining_hours == 25
    with unit_of_work(engine) as s:
        remaining = projection.remaining_hours(cur, progress.statuses(s), {})
    assert remaining == 5 + 7 + 20  # without a path every topic counts


def test_new_cards_come_only_from_the_path_and_reviews_continue(engine, clock, cur):
    with unit_of_work(engine) as s:
        progress.set_status(s, "off", "in_progress", clock)
        card = s.get(CardRecord, "off-0")
        card.state, card.stability, card.difficulty = CARD_REVIEW, 10.0, 5.0
        card.due, card.last_review, card.reps = clock() - timedelta(hours=1), clock(), 3
        s.add(card)
    config = ReviewConfig(CALENDAR, new_per_day=20, fuzz=False)
    with unit_of_work(engine) as s:
        status = progress.statuses(s)
        queue = reviews.build_queue(s, cur, status, clock(), config)
        counts = dashboard.card_counts(s, cur, status, clock(), config, learner.plan_topics(s, cur))
    ids = [c.id for c in queue.main]
    assert "off-0" in ids  # a review of a learned card continues whatever the path
    assert not {i for i in ids if i.startswith("off-") and i != "off-0"}
    assert {i.split("-")[0] for i in ids} == {"off", "a"}  # a is up next; b waits for a
    assert queue.counts() == counts == (3, 0, 1)


def test_status_line_counts_respect_the_daily_new_limit(engine, clock, cur):
    config = ReviewConfig(CALENDAR, new_per_day=2, fuzz=False)
    with unit_of_work(engine) as s:
        board = dashboard.dashboard(s, cur, {}, clock(), CALENDAR, 10, config)
        queue = reviews.build_queue(s, cur, {}, clock(), config)
    assert (board.new_today, board.learning_today, board.review_today) == queue.counts()
    assert board.new_today == 2 and board.due_today == 0


def test_what_i_already_know_in_bulk_and_the_hours_a_target_date_needs(engine, clock, cur):
    from datetime import date

    with unit_of_work(engine) as s:
        progress.set_statuses(s, ["a", "b"], "done", clock)
    with unit_of_work(engine) as s:
        status = progress.statuses(s)
        left = projection.remaining_hours(cur, status, {}, learner.plan_topics(s, cur))
    assert status == {"a": "done", "b": "done"} and left == 5
    today = date(2026, 3, 11)
    assert projection.hours_per_week_needed(70, today, date(2026, 5, 20)) == 7
    assert projection.hours_per_week_needed(70, today, today) is None
    assert projection.hours_per_week_needed(0, today, today) == 0
