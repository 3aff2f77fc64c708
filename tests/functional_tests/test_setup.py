"""The setup a new database opens: each step stores only what the learner confirms."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from textual.widgets import OptionList, SelectionList

from mlplanner.services import learner
from mlplanner.tui.components.roadmap_pane import RoadmapPane
from mlplanner.tui.components.status_line import StatusLine
from mlplanner.tui.components.week_pane import WeekPane
from mlplanner.tui.screens.main_screen import MainScreen
from mlplanner.tui.screens.setup_steps import (
    BlocksStep,
    ElectivesStep,
    KnownStep,
    PathStep,
    TargetStep,
)


async def settle(pilot) -> None:
    """Let the main screen's loading finish (not the setup's worker, which waits on the
    learner for as long as the setup is open)."""
    for _ in range(3):
        await pilot.pause()
        for worker in list(pilot.app.workers):
            if worker.group != "setup" and not worker.is_finished:
                await worker.wait()
    await pilot.pause()


TABLES = ("setting", "topic_progress", "study_block")


def dump(planner) -> dict[str, list[tuple]]:
    """What the setup may change, row by row."""
    with planner.session() as session:
        return {
            table: sorted(
                tuple(str(v) for v in row)
                for row in session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608
            )
            for table in TABLES
        }


async def to_step(pilot, step_class) -> None:
    await settle(pilot)
    for _ in range(20):
        if isinstance(pilot.app.screen, step_class):
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{step_class.__name__} never opened; on {pilot.app.screen!r}")


@pytest.mark.slow
async def test_a_new_database_opens_the_setup_and_escape_keeps_it_unchanged(
    empty_planner, make_app
):
    before = dump(empty_planner)
    app = make_app(empty_planner, offer_setup=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_step(pilot, PathStep)
        await pilot.press("down")  # highlight another path: the roadmap behind shows it
        await pilot.pause()
        roadmap = app.screen_stack[-2].query_one(RoadmapPane)
        assert (
            roadmap.preview_ids
            == learner.preview(empty_planner.curriculum, "mlops-engineer").topic_ids
        )
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert roadmap.preview_ids is None
    assert dump(empty_planner) == before
    assert not empty_planner.plan().chosen


@pytest.mark.slow
async def test_setup_from_path_to_blocks(empty_planner, make_app):
    app = make_app(empty_planner, offer_setup=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_step(pilot, PathStep)
        await pilot.press("down", "down")  # LLM engineer
        await pilot.press("enter")
        await to_step(pilot, ElectivesStep)
        plan = empty_planner.plan()
        assert plan.chosen and plan.path.id == "llm-engineer"
        # the certification group (second list): tick the first one offered
        await pilot.press("tab")
        certification = app.screen.query("SelectionList").last()
        assert certification.has_focus
        await pilot.press("space", "ctrl+s")
        await to_step(pilot, KnownStep)
        plan = empty_planner.plan()
        offered = plan.groups[1].offered
        assert plan.picks["certification"] == (offered[0],)
        # the first stage: everything in it is known
        first = app.screen.query(SelectionList).first()
        stage_topics = [first.get_option_at_index(i).value for i in range(first.option_count)]
        await pilot.press("ctrl+a", "ctrl+s")
        await to_step(pilot, TargetStep)
        statuses = {t: empty_planner.plan().on_path(t) for t in stage_topics}
        assert all(statuses.values())
        with empty_planner.session() as session:
            from mlplanner.services import progress

            known = progress.statuses(session)
        assert all(known[t] == "done" for t in stage_topics)
        # a target date: the hours it needs are shown and taken with ctrl+t
        await pilot.click("#target-date")
        await pilot.press(*"2028-03-11")
        await pilot.pause()
        estimate = str(app.screen.query_one("#target-estimate").content)
        assert "To finish by 11 Mar 2028" in estimate and "h a week" in estimate
        await pilot.press("ctrl+t")
        needed_hours = app.screen.query_one("#target-hours").value
        await pilot.click("#target-availability")
        await pilot.press("end", "ctrl+u", *"mon 19:00-21:00; wed 19:00-21:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert str(app.screen.query_one(".form-error").content) == ""
        await to_step(pilot, BlocksStep)
        settings = empty_planner.settings
        assert settings.weekly_target_hours == float(needed_hours)
        assert settings.target_date == "2028-03-11"
        assert settings.availability == "mon 19:00-21:00; wed 19:00-21:00"
        listing = app.screen.query_one(SelectionList)
        proposed = listing.option_count
        assert proposed >= 2
        assert {b.first.weekday() for b in app.screen.blocks} == {0, 2}
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        # the main screen counts the path only, less what is known
        board = app.screen.query_one(StatusLine).board
        plan = empty_planner.plan()
        assert board.topics_total == len(plan.topic_ids)
        assert board.hours_total == plan.hours
        assert board.topics_done == len(stage_topics)
        week = app.screen.query_one(WeekPane).text()
        assert "by 11 Mar 2028: on track" in week or "h/week short" in week
    with empty_planner.session() as session:
        blocks = session.execute(text("SELECT rrule, start_time FROM study_block")).all()
    assert len(blocks) == proposed and all("FREQ=WEEKLY" in rule for rule, _start in blocks)


@pytest.mark.slow
async def test_escape_at_each_step_leaves_the_database_unchanged(empty_planner, make_app):
    order = [PathStep, ElectivesStep, KnownStep, TargetStep, BlocksStep]
    app = make_app(empty_planner, offer_setup=True)
    async with app.run_test(size=(120, 40)) as pilot:
        for index, step in enumerate(order):
            if index:
                await pilot.press("P")
            for earlier in order[:index]:
                await to_step(pilot, earlier)
                await pilot.press("ctrl+s")
            await to_step(pilot, step)
            before = dump(empty_planner)
            await pilot.press("down", "space", "tab", "space", "escape")  # change, then leave
            await settle(pilot)
            assert isinstance(app.screen, MainScreen), step
            assert dump(empty_planner) == before, step


@pytest.mark.slow
async def test_a_learner_with_history_is_not_interrupted(demo_planner, make_app):
    app = make_app(demo_planner, offer_setup=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("P")
        await to_step(pilot, PathStep)
        assert isinstance(app.screen.query_one(OptionList), OptionList)
