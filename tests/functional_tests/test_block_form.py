from __future__ import annotations

from datetime import date, time

import pytest
from sqlmodel import select
from textual.widgets import Checkbox, Input, Select, Static

from mlplanner.services import planning
from mlplanner.store.models import StudyBlock
from mlplanner.tui.components.week_pane import ShownBlock, WeekList, WeekPane
from mlplanner.tui.screens.block_form import BlockForm
from mlplanner.tui.screens.main_screen import MainScreen
from mlplanner.tui.screens.plan_proposal import PlanProposal

from .conftest import settle


def blocks(planner) -> list[StudyBlock]:
    with planner.session() as session:
        return list(session.exec(select(StudyBlock).order_by(StudyBlock.id)).all())


async def set_input(pilot, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector, Input).value = text
    await pilot.pause()


async def highlight_block(pilot, hour: str, day_label: str) -> None:
    pane = pilot.app.screen.query_one(WeekPane)
    options = pane.query_one(WeekList)
    current_day = None
    for index, entry in enumerate(pane.entries):
        if not isinstance(entry, ShownBlock):
            current_day = entry
            continue
        if entry.occurrence.start.strftime("%H:%M") == hour and f"{current_day:%a %d}" == day_label:
            options.focus()
            options.highlighted = index
            await pilot.pause()
            return
    raise AssertionError(f"no block at {hour} on {day_label}: {pane.text()}")


@pytest.mark.slow
async def test_add_a_recurring_block(empty_planner, make_app):
    topic = empty_planner.curriculum.topics[0]
    app = make_app(empty_planner)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, BlockForm)
        assert app.screen.query_one("#block-topic", Input).value == topic.title
        await set_input(pilot, "#block-day", "2026-03-09")
        await set_input(pilot, "#block-start", "19:30")
        await set_input(pilot, "#block-length", "1h30")
        app.screen.query_one("#block-repeat", Select).value = "weekly"
        await pilot.pause()
        app.screen.query_one("#block-wd-0", Checkbox).value = True
        app.screen.query_one("#block-wd-3", Checkbox).value = True
        app.screen.query_one("#block-ends", Select).value = "count"
        await set_input(pilot, "#block-end-value", "6")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        week = app.screen.query_one(WeekPane).text()
        assert week.count("19:30–21:00") == 2 and "planned 3.0h" in week
    (block,) = blocks(empty_planner)
    assert block.rrule == "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=6"
    assert (block.start_date, block.start_time, block.duration_min) == (
        date(2026, 3, 9),
        time(19, 30),
        90,
    )
    assert block.topic_id == topic.id and block.tz == "Europe/Berlin"


@pytest.mark.slow
async def test_form_rejects_bad_input_and_saves_nothing(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        cases = [
            ("#block-start", "25:00", "not a time like 19:00"),
            ("#block-length", "0", "more than zero"),
            ("#block-length", "13h", "at most 12 hours"),
            ("#block-topic", "no such topic anywhere", "no topic"),
        ]
        good = {"#block-start": "19:00", "#block-length": "90m", "#block-topic": ""}
        for selector, text, message in cases:
            for key, value in good.items():
                await set_input(pilot, key, value)
            await set_input(pilot, selector, text)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert message in str(app.screen.query_one("#block-error", Static).content)
        for key, value in good.items():
            await set_input(pilot, key, value)
        app.screen.query_one("#block-repeat", Select).value = "weekly"
        app.screen.query_one("#block-ends", Select).value = "until"
        await set_input(pilot, "#block-day", "2026-03-09")
        await set_input(pilot, "#block-end-value", "2026-03-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "ends before the first day" in str(
            app.screen.query_one("#block-error", Static).content
        )
        await pilot.press("escape")
        await settle(pilot)
    assert blocks(empty_planner) == []


@pytest.mark.slow
async def test_edit_one_occurrence_then_delete_the_series(empty_planner, make_app):
    with empty_planner.session() as session:
        planning.add_block(
            session,
            empty_planner.clock,
            date(2026, 3, 2),
            time(19),
            60,
            "Europe/Berlin",
            planning.build_rrule([0, 2]),
        )
    app = make_app(empty_planner)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await highlight_block(pilot, "19:00", "Wed 11")
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("o")  # this one only
        await pilot.pause()
        assert isinstance(app.screen, BlockForm)
        await set_input(pilot, "#block-start", "20:15")
        await pilot.press("ctrl+s")
        await settle(pilot)
        week = app.screen.query_one(WeekPane).text()
        assert "20:15–21:15" in week and week.count("19:00–20:00") == 1
        series, single = blocks(empty_planner)
        assert series.skipped_dates == "2026-03-11" and single.rrule is None

        await highlight_block(pilot, "19:00", "Mon 09")
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("s")  # whole series
        await settle(pilot)
        week = app.screen.query_one(WeekPane).text()
        assert "19:00–20:00" not in week and "20:15–21:15" in week
    assert [b.rrule for b in blocks(empty_planner)] == [None]


@pytest.mark.slow
async def test_plan_my_week_proposes_and_saves_what_is_kept(empty_planner, make_app):
    app = make_app(empty_planner)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await pilot.pause()  # the planning worker waits on the proposal screen
        await pilot.pause()
        assert isinstance(app.screen, PlanProposal)
        proposals = app.screen.proposals
        assert proposals and all(p.day >= date(2026, 3, 11) for p in proposals)
        await pilot.press("space")  # drop the first
        await pilot.press("ctrl+s")
        await settle(pilot)
    stored = blocks(empty_planner)
    assert len(stored) == len(proposals) - 1
    assert stored[0].start_date == proposals[1].day
