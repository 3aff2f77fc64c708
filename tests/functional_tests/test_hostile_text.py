"""Hostile text through every screen that shows it: markup-like brackets, escape sequences,
bidi overrides, NUL, very long and combining text are shown as text, never obeyed."""

from __future__ import annotations

import re
import unicodedata
from datetime import time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import DataTable, Markdown, Static

from mlplanner.clock import FixedClock
from mlplanner.config import resolve_paths
from mlplanner.planner import open_planner
from mlplanner.safe_text import printable
from mlplanner.services import cards as card_service
from mlplanner.services import logbook, planning
from mlplanner.store.models import StudyBlock, StudySession
from mlplanner.tui.components.resources_pane import ResourcesPane
from mlplanner.tui.components.roadmap_pane import RoadmapPane
from mlplanner.tui.components.week_pane import WeekPane
from mlplanner.tui.safe_markdown import SafeMarkdown
from mlplanner.tui.screens.card_browser import CardBrowser, CardDetail
from mlplanner.tui.screens.confirm import Confirm
from mlplanner.tui.screens.history_screen import HistoryScreen
from mlplanner.tui.screens.main_screen import MainScreen
from mlplanner.tui.text import NOT_OPENED
from tests.conftest import NOW

from .conftest import settle

# name -> (hostile text, a piece of it that must be on screen as typed)
HOSTILE = {
    "brackets": ("fixed [/] typo", "fixed [/] typo"),
    "click": ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
    "markup": ("[bold red]x", "[bold red]x"),
    "osc-title": ("ok \x1b]0;title\x07 after", "ok  after"),
    "osc-52": ("clip \x1b]52;c;Zm9v\x07 board", "clip  board"),
    "csi": ("clear \x1b[2J screen", "clear  screen"),
    "bidi": ("abc \u202e cba", "abc  cba"),
    "nul": ("nul \x00 byte", "nul ␀ byte"),
    "long": ("L" * 100_000, "L" * 30),
    "emoji": ("study 🧠 cafe\u0301", "study 🧠"),
}
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def screen_text(app) -> str:
    """What the terminal would show, as text: the screen's rendered lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


async def pause(pilot) -> None:
    """Wait for a dialog a worker is awaiting (settle would wait for the worker itself)."""
    for _ in range(3):
        await pilot.pause()


def notices(app) -> list[str]:
    """Every notification the app has shown, including those already gone."""
    if not hasattr(app, "said"):
        app.said = []
        show = app.notify

        def notify(message, **kwargs):
            app.said.append(f"{kwargs.get('title', '')} {message}")
            show(message, **kwargs)

        app.notify = notify
    return app.said


def assert_clean(text: str) -> None:
    assert "\x1b" not in text
    found = CONTROL.search(text)
    assert found is None, f"control character {found.group()!r} shown"


def assert_running(app) -> None:
    assert app.is_running and app.return_code is None


def store_notes(planner) -> None:
    """One study session and one untitled study block per hostile text (NUL, which the
    services refuse, is written straight to the rows, as another program could)."""
    clock = FixedClock(NOW)
    with planner.session() as session:
        for index, (text, _) in enumerate(HOSTILE.values()):
            start = NOW - timedelta(hours=index + 1)
            row = logbook.log_session(session, clock, timedelta(minutes=30), start, None, "x")
            block = planning.add_block(
                session, clock, NOW.date(), time(6 + index), 30, "Europe/Berlin", note="x"
            )
            session.flush()
            session.get(StudySession, row.id).note = text
            session.get(StudyBlock, block.id).note = text


async def test_session_notes_in_the_history(empty_planner, make_app):
    store_notes(empty_planner)
    app = make_app(empty_planner)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        app.push_screen(HistoryScreen())
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        cells = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
        shown = screen_text(app)
        for name, (_, visible) in HOSTILE.items():
            assert any(visible in cell for cell in cells), name
            if name != "long":
                assert visible in shown, name
        assert_clean("\n".join(cells))
        assert_clean(shown)
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\x00" not in svg
        assert_running(app)


@pytest.mark.slow
async def test_block_notes_in_the_week_and_deleting_one(empty_planner, make_app):
    store_notes(empty_planner)
    app = make_app(empty_planner)
    async with app.run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        week = app.screen.query_one(WeekPane)
        listed = week.text()
        for name, (_, visible) in HOSTILE.items():
            assert visible in listed, name
        assert_clean(listed)
        assert_clean(screen_text(app))
        notices(app)
        # delete the block whose note is markup-like: the question shows it as typed
        await pilot.press("2")
        entries = week.entries
        target = next(
            i
            for i, e in enumerate(entries)
            if not isinstance(e, type(NOW.date())) and e.occurrence.topic_title.startswith("[@")
        )
        week.query_one("#week-list").highlighted = target
        await pilot.press("delete")
        await pause(pilot)
        assert isinstance(app.screen, Confirm)
        question = str(app.screen.query_one(".dialog-title", Static).content)
        assert "[@click=app.quit]x[/]" in question
        assert "[@click=app.quit]x[/]" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "[@click=app.quit]x[/]" not in week.text()
        assert any("Block deleted" in n for n in notices(app))
        assert_running(app)


def add_cards(planner, topic_id: str) -> None:
    with planner.session() as session:
        for text, _ in HOSTILE.values():
            card = card_service.add_card(session, topic_id, "x", "y", NOW, tags=f"hostile {text}")
            card.front, card.back = text, f"back {text}"  # as an import could store them


@pytest.mark.slow
async def test_cards_in_the_browser_and_the_detail(empty_planner, make_app):
    topic = empty_planner.curriculum.topics[0]
    add_cards(empty_planner, topic.id)
    app = make_app(empty_planner)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        app.push_screen(CardBrowser("tag:hostile"))
        await settle(pilot)
        browser = app.screen
        table = browser.query_one(DataTable)
        cells = [str(cell) for row in range(table.row_count) for cell in table.get_row_at(row)]
        shown = screen_text(app)
        for name, (_, visible) in HOSTILE.items():
            if name != "long":
                assert any(visible in cell for cell in cells), name
                assert visible in shown, name
        assert_clean("\n".join(cells))
        assert_clean(shown)
        for index, (name, (_, visible)) in enumerate(HOSTILE.items()):
            table.move_cursor(row=index)
            row = browser.current()
            await pilot.press("enter")
            await pause(pilot)
            assert isinstance(app.screen, CardDetail)
            sources = [m.source for m in app.screen.query(Markdown)]
            assert sources == [printable(row.front), printable(row.back)]
            detail = screen_text(app)
            assert_clean(detail)
            assert_clean("\n".join(sources))
            if name in ("brackets", "click", "markup", "csi", "bidi", "nul"):
                assert visible in detail, name
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, CardBrowser)
        assert_running(app)


@pytest.mark.slow
async def test_cards_in_the_review(empty_planner, make_app):
    topic = empty_planner.curriculum.topics[0]
    add_cards(empty_planner, topic.id)
    app = make_app(empty_planner)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.open_review("topic", topic.id)
        await settle(pilot)
        fronts = {text.strip() for text, _ in HOSTILE.values()}
        seen: set[str] = set()
        for _ in range(100):
            card = app.screen.card
            if card is None:
                break
            await pilot.press("space")
            await settle(pilot)
            front = app.screen.query_one("#review-front", Markdown).source
            back = app.screen.query_one("#review-back", Markdown).source
            assert front == printable(card.front) and back == printable(card.back)
            assert_clean(front + back)
            assert_clean(screen_text(app))
            if "[/]" in card.front and "click" not in card.front:
                assert "fixed [/] typo" in screen_text(app)
            await pilot.press("3")
            await settle(pilot)
            if card.front in fronts:
                seen.add(card.front)
        assert seen == fronts
        assert_running(app)


def toml_string(text: str) -> str:
    out = []
    for char in text:
        if char in '"\\' or ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or ord(char) > 0x7E:
            out.append(f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def hostile_content(folder, title: str, summary: str) -> None:
    (folder / "stages").mkdir(parents=True)
    (folder / "stages" / "hostile.toml").write_text(
        f"""[stage]
id = "hostile-stage"
title = {toml_string("stage " + title)}
order = 1
summary = "A stage whose text came from somewhere else."

[[topics]]
id = "hostile-topic"
title = {toml_string(title)}
summary = {toml_string(summary)}
objectives = [{toml_string("objective " + title)}]
hours = 3
prerequisites = []

[[topics.resources]]
id = "hostile-topic-web"
title = {toml_string("resource " + title)}
url = "https://example.org/"
kind = "docs"
cost = "free"
hours = 1
""",
        encoding="utf-8",
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", list(HOSTILE))
async def test_a_topic_from_a_content_folder(tmp_path, make_app, name):
    text, visible = HOSTILE[name]
    folder = tmp_path / "content"
    hostile_content(folder, text, f"summary {text}")
    planner = open_planner(
        resolve_paths(db=str(tmp_path / "t.db"), content=str(folder)), FixedClock(NOW)
    )
    try:
        assert planner.curriculum.find_topic("hostile-topic") is not None
        app = make_app(planner)
        async with app.run_test(size=(200, 50)) as pilot:
            await settle(pilot)
            app.screen.query_one(RoadmapPane).select_topic("hostile-topic")
            await settle(pilot)
            details = str(app.screen.query_one("#topic-details", Static).content)
            assert visible in details
            assert f"summary {visible}" in details
            pane = app.screen.query_one(ResourcesPane)
            resources = pane.query_one("#resource-list")
            label = str(resources.get_option_at_index(0).prompt)
            assert f"resource {visible}" in label
            tree = app.screen.query_one(RoadmapPane).tree
            labels = [str(node.label) for node in tree.root.children]
            labels += [str(leaf.label) for node in tree.root.children for leaf in node.children]
            assert any(visible in label for label in labels)
            for shown in (details, label, *labels):
                assert_clean(shown)
            if name != "long":
                assert visible in screen_text(app)
            assert_clean(screen_text(app))
            # notifications that name the topic: marking it, starting and stopping the timer
            notices(app)
            app.screen.query_one("#roadmap-tree").focus()
            await pilot.press("d")
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            said = notices(app)
            assert said and any(visible[:20] in n for n in said)
            for notice in said:
                assert_clean(notice)
            status = str(app.screen.query_one("#status-line", Static).content)
            assert_clean(status)
            await pilot.press("s")
            await settle(pilot)
            for notice in notices(app):
                assert_clean(notice)
            assert_running(app)
    finally:
        planner.close()


async def test_links_open_only_for_the_web(empty_planner, make_app, monkeypatch):
    opened: list[str] = []
    app = make_app(empty_planner)
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notices(app)
        markdown = SafeMarkdown("[web](https://example.org/) and [file](file:///etc/passwd)")
        await app.screen.mount(markdown)
        await settle(pilot)
        for href in ("file:///etc/passwd", "javascript:alert(1)", "x-mlplanner:[bold]quit"):
            markdown.post_message(Markdown.LinkClicked(markdown, href))
            await settle(pilot)
        markdown.post_message(Markdown.LinkClicked(markdown, "https://example.org/"))
        await settle(pilot)
        assert opened == ["https://example.org/"]
        said = notices(app)
        assert sum(NOT_OPENED in n for n in said) == 3
        assert any("x-mlplanner:[bold]quit" in n for n in said)
        # a resource whose address is not a web link is not opened either
        pane = app.screen.query_one(ResourcesPane)
        topic = empty_planner.curriculum.topics[0]
        resource = topic.resources[0]
        monkeypatch.setattr(
            pane,
            "highlighted_resource",
            lambda: resource._replace(url="file:///etc/passwd"),
        )
        app.screen.action_open_resource()
        await settle(pilot)
        assert opened == ["https://example.org/"]
        assert any("file:///etc/passwd" in n and NOT_OPENED in n for n in notices(app))
        assert_running(app)


@pytest.mark.slow
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(note=st.text(max_size=300))
async def test_any_text_as_a_note(tmp_path_factory, make_app, note):
    folder = tmp_path_factory.mktemp("any")
    planner = open_planner(resolve_paths(db=str(folder / "p.db")), FixedClock(NOW))
    try:
        clock = FixedClock(NOW)
        stored = note.replace("\x00", "")
        with planner.session() as session:
            logbook.log_session(session, clock, timedelta(minutes=30), None, None, stored)
            planning.add_block(
                session, clock, NOW.date(), time(9), 30, "Europe/Berlin", note=stored
            )
        app = make_app(planner)
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot)
            assert_clean(app.screen.query_one(WeekPane).text())
            assert_clean(screen_text(app))
            app.push_screen(HistoryScreen())
            await settle(pilot)
            table = app.screen.query_one(DataTable)
            assert_clean(" ".join(str(c) for c in table.get_row_at(0)))
            assert_clean(screen_text(app))
            assert_running(app)
    finally:
        planner.close()


def test_the_hostile_table_is_what_it_says():
    """The pieces expected on screen are what `printable` leaves of each text."""
    for text, visible in HOSTILE.values():
        assert visible in printable(text, one_line=True)
    assert unicodedata.combining(HOSTILE["emoji"][0][-1])
