"""The card browser as a learner uses it: typing searches, Escape clears then closes,
is:buried and topic:"title", sorting by any column, rendered card text, small terminals."""

from __future__ import annotations

import asyncio
import threading

import pytest
from rich.console import Console
from sqlmodel import select
from textual.widgets import DataTable, Input, Markdown, Static

from mlplanner.clock import FixedClock
from mlplanner.config import UserConfig, resolve_paths
from mlplanner.planner import open_planner
from mlplanner.services import cards as card_service
from mlplanner.services import reviews
from mlplanner.services.card_filters import STATE_ORDER, state_word
from mlplanner.services.demo import build_demo
from mlplanner.store.models import CardRecord
from mlplanner.tui.app import PlannerApp
from mlplanner.tui.screens.card_browser import SHOWN, CardBrowser, CardDetail, card_line
from mlplanner.tui.screens.card_form import CardForm
from mlplanner.tui.screens.help_screen import HelpScreen
from mlplanner.tui.screens.main_screen import MainScreen
from mlplanner.vocabulary import CardState
from tests.conftest import NOW

from .conftest import BERLIN, settle

MARKDOWN_FRONT = "**Bold** step: `x += 1`, see [the docs](https://example.org)\n\nThen *this*"
SHOWN_FRONT = "Bold step: x += 1, see the docs Then this"


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def table_ids(browser) -> list[str]:
    table = browser.query_one(DataTable)
    return [table.coordinate_to_cell_key((i, 0)).row_key.value for i in range(table.row_count)]


def header(browser) -> list[str]:
    return [str(column.label) for column in browser.query_one(DataTable).columns.values()]


def stored(planner) -> list[CardRecord]:
    """The collection as the database holds it (hidden and removed cards left out), in the
    browser's default order: soonest due first, never-seen cards last."""
    with planner.session() as session:
        found = session.exec(
            select(CardRecord).where(CardRecord.removed == False, CardRecord.hidden == False)  # noqa: E712
        ).all()
        session.expunge_all()
    return sorted(found, key=lambda c: (c.due is None, c.due or NOW, c.topic_id, c.position, c.id))


def state_rank(card: CardRecord) -> int:
    buried = card.buried_until is not None and card.buried_until > NOW
    word = state_word(CardState(card.state), card.suspended, card.hidden, buried)
    return STATE_ORDER.index(word)


async def open_browser(pilot) -> CardBrowser:
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    browser = pilot.app.screen
    assert isinstance(browser, CardBrowser)
    return browser


async def dialog(pilot) -> None:
    """Let a dialog open (its worker waits for the learner, so not on it)."""
    for _ in range(4):
        await pilot.pause()


async def typed(pilot, text: str) -> None:
    await pilot.press(*text)
    await settle(pilot)


def test_card_line_is_the_text_of_the_markdown():
    assert card_line(MARKDOWN_FRONT) == SHOWN_FRONT
    assert card_line("# Title\n\n- one\n- two\n\n```\ncode()\n```") == "Title one two code()"
    assert card_line("a <b>bold</b> ![a plot](p.png) \\*x\\*") == "a bold a plot *x*"
    assert card_line("[bold red]x [@click=app.quit]y[/]") == "[bold red]x [@click=app.quit]y[/]"
    assert card_line("nul \x00 and \x1b[2J esc\ttab") == "nul ␀ and  esc tab"
    assert card_line("") == ""


@pytest.mark.slow
async def test_the_list_shows_rendered_text_and_the_detail_the_card(empty_planner, make_app):
    topic = empty_planner.curriculum.topics[0]
    with empty_planner.session() as session:
        card_service.add_card(session, topic.id, MARKDOWN_FRONT, "The **answer**", NOW, tags="mine")
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_browser(pilot)
        await typed(pilot, "tag:mine")
        assert browser.query_one("#cards-search", Input).value == "tag:mine"
        row = browser.query_one(DataTable).get_row_at(0)
        assert str(row[0]) == SHOWN_FRONT
        assert str(row[1]) == topic.id  # the id a learner types after --topic
        assert SHOWN_FRONT in screen_text(app) and "**" not in screen_text(app)
        await pilot.press("enter")  # the search is done: to the list
        await pilot.press("enter")
        await dialog(pilot)
        detail = app.screen
        assert isinstance(detail, CardDetail)
        assert [m.source for m in detail.query(Markdown)] == [MARKDOWN_FRONT, "The **answer**"]
        shown = screen_text(app)
        assert f"topic:{topic.id}" in shown and "tags: mine" in shown
        assert "Then this" in shown and "**" not in shown and "`x" not in shown


@pytest.mark.slow
async def test_the_list_keys_hide_and_edit(empty_planner, make_app):
    topic = empty_planner.curriculum.topics[0]
    with empty_planner.session() as session:
        mine = card_service.add_card(session, topic.id, "Mine", "Yes", NOW, tags="mine").id
    app = make_app(empty_planner)
    async with app.run_test(size=(80, 24)) as pilot:
        browser = await open_browser(pilot)
        await typed(pilot, "tag:mine")
        await pilot.press("enter", "delete")  # to the list; hide
        await settle(pilot)
        with empty_planner.session() as session:
            assert session.get(CardRecord, mine).hidden
        assert browser.rows == []  # hidden cards are left out of a search
        browser.query_one("#cards-search", Input).value = "tag:mine is:hidden"
        await settle(pilot)
        assert [r.id for r in browser.rows] == [mine]
        browser.query_one(DataTable).focus()
        await pilot.press("ctrl+e")
        await dialog(pilot)
        assert isinstance(app.screen, CardForm)


@pytest.mark.slow
async def test_typing_in_the_list_searches_and_bound_keys_still_act(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_browser(pilot)
        table = browser.query_one(DataTable)
        search = browser.query_one("#cards-search", Input)
        assert app.focused is table
        await typed(pilot, "grad")
        assert search.value == "grad" and app.focused is search
        expected = [
            c.id
            for c in stored(demo_planner)
            if "grad" in c.front.lower() or "grad" in c.back.lower()
        ]
        assert expected and browser.total == len(expected)
        assert table_ids(browser) == expected
        await pilot.press("down")  # from the search box into the results
        assert app.focused is table
        await pilot.press("down")
        second = browser.current()
        assert second is not None and second.id == expected[1]
        await pilot.press("exclamation_mark")  # a key of this screen: suspends, not typed
        await settle(pilot)
        assert search.value == "grad"
        with demo_planner.session() as session:
            assert session.get(CardRecord, second.id).suspended
        await pilot.press("question_mark")  # the app's help, not a search for "?"
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is browser and app.focused is table
        await typed(pilot, "ient")  # more typing adds a word
        assert search.value == "grad ient" and browser.total == 0


@pytest.mark.slow
async def test_escape_clears_the_search_then_closes(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_browser(pilot)
        everything = browser.total
        search = browser.query_one("#cards-search", Input)
        await typed(pilot, "zzzz")
        assert browser.total == 0 and browser.rows == []
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is browser and search.value == ""
        assert browser.total == everything and len(browser.rows) == min(SHOWN, everything)
        await pilot.press("enter")  # to the list, the search empty
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        # the same from the list, with a search typed earlier
        browser = await open_browser(pilot)
        await typed(pilot, "matrix")
        await pilot.press("enter")
        assert app.focused is browser.query_one(DataTable)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is browser and browser.query_one("#cards-search", Input).value == ""
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


@pytest.mark.slow
async def test_is_buried_finds_a_buried_card(demo_planner, make_app):
    with demo_planner.session() as session:
        card = stored(demo_planner)[0]
        reviews.bury(session, card.id, NOW, demo_planner.review_config())
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_browser(pilot)
        await typed(pilot, "is:buried")
        assert [r.id for r in browser.rows] == [card.id] and browser.total == 1
        assert str(browser.query_one(DataTable).get_row_at(0)[2]) == "buried"
        await pilot.press("enter", "enter")
        await dialog(pilot)
        assert isinstance(app.screen, CardDetail) and "buried" in screen_text(app)
    with demo_planner.session() as session:
        assert session.get(CardRecord, card.id).buried_until > NOW


@pytest.mark.slow
async def test_topic_by_a_title_in_quotes(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_browser(pilot)
        await typed(pilot, 'topic:"Linear alg"')
        expected = [c.id for c in stored(demo_planner) if c.topic_id == "linear-algebra"]
        assert expected and table_ids(browser) == expected
        search = browser.query_one("#cards-search", Input)
        search.value = ""
        await settle(pilot)
        await typed(pilot, 'topic:"Data"')  # more than one title begins so
        count = str(browser.query_one("#cards-count", Static).content)
        candidates = [
            t.id for t in demo_planner.curriculum.topics if t.title.lower().startswith("data")
        ]
        assert "'Data' begins the titles of" in count and candidates[0] in count
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is search  # nothing searched: the learner fixes the title
        assert any(
            n.title == "Card search" and candidates[0] in n.message for n in app._notifications
        )


def column_x(browser, name: str) -> int:
    """Where a column's header is, counted from the table's left edge."""
    x = 0
    for key, column in browser.query_one(DataTable).columns.items():
        if key.value == name:
            return x + 2
        x += column.get_render_width(browser.query_one(DataTable))
    raise KeyError(name)


@pytest.mark.slow
async def test_sorting_by_keys_and_header_clicks(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_browser(pilot)
        cards = stored(demo_planner)
        assert len(cards) > SHOWN  # the sort is over every card, not the first 500 shown
        assert header(browser)[3] == "due ▲"
        assert table_ids(browser) == [c.id for c in cards][:SHOWN]

        await pilot.click(DataTable, offset=(column_x(browser, "state"), 0))
        await settle(pilot)
        assert header(browser)[2] == "state ▲" and header(browser)[3] == "due"
        by_state = sorted(cards, key=state_rank)  # stable: ties stay soonest due first
        assert table_ids(browser) == [c.id for c in by_state][:SHOWN]

        await pilot.click(DataTable, offset=(column_x(browser, "state"), 0))
        await settle(pilot)
        assert header(browser)[2] == "state ▼"
        by_state = sorted(cards, key=state_rank, reverse=True)
        assert table_ids(browser) == [c.id for c in by_state][:SHOWN]

        await pilot.click(DataTable, offset=(column_x(browser, "topic"), 0))
        await settle(pilot)
        assert header(browser)[1] == "topic ▲"
        assert table_ids(browser) == [c.id for c in sorted(cards, key=lambda c: c.topic_id)][:SHOWN]

        await pilot.press("ctrl+o")  # the next column: state, then due
        await pilot.press("ctrl+o")
        await pilot.press("ctrl+t")  # the other way round
        await settle(pilot)
        assert header(browser)[3] == "due ▼"
        dated = sorted((c for c in cards if c.due), key=lambda c: c.due, reverse=True)
        undated = [c for c in cards if not c.due]
        assert table_ids(browser) == [c.id for c in dated + undated][:SHOWN]

        await pilot.press("ctrl+o")
        await settle(pilot)
        assert header(browser)[4] == "recall ▲"
        recalls = [r.retrievability for r in browser.rows]
        known = [r for r in recalls if r is not None]
        assert known and known == sorted(known)
        assert recalls == known + [None] * (len(recalls) - len(known))


@pytest.mark.slow
async def test_a_sort_keeps_the_highlighted_card(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_browser(pilot)
        await pilot.press("down", "down", "down")
        card = browser.current()
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert card is not None and card.id in table_ids(browser)
        assert browser.current() == card and table_ids(browser)[3] != card.id


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_the_essential_columns_fit_a_small_terminal(demo_planner, make_app, size):
    app = make_app(demo_planner)
    async with app.run_test(size=size) as pilot:
        browser = await open_browser(pilot)
        table = browser.query_one(DataTable)
        assert table.max_scroll_x == 0  # no horizontal scrollbar
        assert table.virtual_size.width <= table.size.width
        lines = screen_text(app).splitlines()
        top = next(line for line in lines if "front" in line)
        names = ["front", "topic", "state", "due", "recall"]
        for name in names:
            assert name in top, (size, name)
        first = browser.rows[0]
        assert f"{first.due.astimezone(BERLIN):%Y-%m-%d}" in lines[lines.index(top) + 1]
        # the back gets a column of its own only where there is room for it
        assert ("back" in header(browser)) == (size[0] >= 160)


@pytest.mark.slow
async def test_the_back_column_on_a_wide_terminal(empty_planner, make_app):
    topic = empty_planner.curriculum.topics[0]
    with empty_planner.session() as session:
        for front, back in (("One", "*zebra*"), ("Two", "`apple`"), ("Three", "**mango**")):
            card_service.add_card(session, topic.id, front, back, NOW, tags="mine")
    app = make_app(empty_planner)
    async with app.run_test(size=(200, 50)) as pilot:
        browser = await open_browser(pilot)
        await typed(pilot, "tag:mine")
        await pilot.press("enter")
        await pilot.click(DataTable, offset=(column_x(browser, "back"), 0))
        await settle(pilot)
        assert header(browser)[1] == "back ▲"
        table = browser.query_one(DataTable)
        assert [str(table.get_row_at(i)[1]) for i in range(3)] == ["apple", "mango", "zebra"]


@pytest.mark.slow
async def test_the_browser_keys_are_in_help(demo_planner, make_app):
    app = make_app(demo_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_browser(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        console = Console(width=160, record=True)
        console.print(app.screen.query_one("#help-table", Static).content)
        lines = console.export_text().splitlines()
    for binding in CardBrowser.BINDINGS:
        assert any(line.split()[-1:] == [binding.id] for line in lines), binding.id


# Appearance -------------------------------------------------------------------------------


@pytest.fixture
def demo_app(tmp_path):
    clock = FixedClock(NOW)
    planner = open_planner(resolve_paths(db=str(tmp_path / "snap.db")), clock)
    build_demo(planner.session, planner.curriculum, clock(), BERLIN)
    app = PlannerApp(planner, tz=BERLIN, user_config=UserConfig())
    yield app
    planner.close()


async def _browser(pilot) -> None:
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    await asyncio.sleep(0.05)
    await pilot.pause()


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_card_browser_snapshot(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_browser)


def add_cards(planner, fronts_backs: list[tuple[str, str]]) -> list[str]:
    topic = planner.curriculum.topics[0]
    with planner.session() as session:
        return [
            card_service.add_card(session, topic.id, front, back, NOW, tags="mine").id
            for front, back in fronts_backs
        ]


async def test_only_the_newest_search_s_rows_are_shown(empty_planner, make_app, monkeypatch):
    """A slow search finishing after a newer one does not put its rows on screen."""
    (apple,) = add_cards(empty_planner, [("apple pie", "a dessert")])
    (melon,) = add_cards(empty_planner, [("melon slice", "a fruit")])
    release = threading.Event()
    search = card_service.search

    def slow_for_apple(*args, **kwargs):
        if kwargs.get("text") == "apple":
            release.wait(10)
        return search(*args, **kwargs)

    monkeypatch.setattr(card_service, "search", slow_for_apple)
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:
        browser = await open_browser(pilot)
        box = browser.query_one("#cards-search", Input)
        box.value = "apple"  # this search waits ...
        await pilot.pause()
        box.value = "melon"  # ... while this one finishes
        await settle(pilot)
        assert table_ids(browser) == [melon]
        release.set()  # the apple search ends last
        await settle(pilot)
        assert table_ids(browser) == [melon] and browser.shown_query == "melon"
        assert [row.id for row in browser.rows] == [melon] and browser.total == 1
    assert apple != melon


@pytest.mark.slow  # a long pilot session: some 3.5 s on a two-core machine
async def test_card_text_is_made_one_line_off_the_ui_thread(empty_planner, make_app, monkeypatch):
    """Markdown to one line in the search worker, and the back only while its column shows."""
    add_cards(empty_planner, [("**front** one", "*back* one"), ("front `two`", "back two")])
    from mlplanner.tui.screens import card_browser

    calls: list[tuple[str, bool]] = []
    one_line = card_browser.card_line

    def recorded(source: str) -> str:
        calls.append((source, threading.current_thread() is threading.main_thread()))
        return one_line(source)

    monkeypatch.setattr(card_browser, "card_line", recorded)
    app = make_app(empty_planner)
    async with app.run_test(size=(120, 40)) as pilot:  # too narrow for the back
        browser = await open_browser(pilot)
        calls.clear()
        await typed(pilot, "tag:mine")
        assert "back" not in header(browser)
        sources = {source for source, _ in calls}
        assert {"**front** one", "front `two`"} <= sources
        assert not sources & {"*back* one", "back two"}  # no work for a hidden column
        table = browser.query_one(DataTable)
        assert sorted(str(table.get_row_at(i)[0]) for i in range(2)) == ["front one", "front two"]

        calls.clear()
        await pilot.resize_terminal(200, 40)  # the back's column appears
        await settle(pilot)
        assert "back" in header(browser)
        assert {source for source, _ in calls} >= {"*back* one", "back two"}
        backs = sorted(str(table.get_row_at(i)[1]) for i in range(2))
        assert backs == ["back one", "back two"]
    assert calls and not any(on_ui_thread for _, on_ui_thread in calls)
