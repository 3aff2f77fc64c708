"""The card browser: search every card by text, topic, tag and state; act on one."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Input, Static

from ...services import cards as card_service
from ...services import reviews
from ...services.cards import CardRow
from ..errors import reports_errors
from ..safe_markdown import SafeMarkdown
from ..text import clean, plain, say
from .base import PlannerModal, PlannerScreen
from .card_form import CardForm, CardValues
from .confirm import Confirm

SHOWN = 500
HELP = "text · topic:ID · tag:NAME · is:new|learning|review|suspended|hidden"
STATES = "new, learning, review, suspended, hidden"


def parse_query(query: str) -> dict[str, str]:
    """'topic:linear-algebra is:review gradient' -> filters for the card search."""
    found = {"text": [], "topic": "", "tag": "", "state": ""}
    for word in query.split():
        key, _, value = word.partition(":")
        if value and key.lower() in ("topic", "tag", "is"):
            found["state" if key.lower() == "is" else key.lower()] = value
        else:
            found["text"].append(word)
    return {**found, "text": " ".join(found["text"])}


class CardDetail(PlannerModal[str | None]):
    """One card in full, with what can be done to it; returns the chosen action."""

    CSS_PATH = "card_browser.tcss"

    BINDINGS = [
        Binding("escape", "choose(None)", "Close", id="card-detail-close"),
        Binding("e", "choose('edit')", "Edit", id="card-detail-edit"),
        Binding(
            "exclamation_mark",
            "choose('suspend')",
            "Suspend",
            key_display="!",
            id="card-detail-suspend",
        ),
        Binding("h", "choose('hide')", "Hide", id="card-detail-hide"),
        Binding("ctrl+r", "choose('reset')", "Reset", id="card-detail-reset"),
    ]

    def __init__(self, row: CardRow, topic_title: str) -> None:
        super().__init__()
        self.row = row
        self.topic_title = topic_title

    def compose(self) -> ComposeResult:
        row = self.row
        with Vertical(id="card-detail", classes="dialog"):
            yield Static(
                plain(f"{self.topic_title} · {describe_state(row)}", one_line=True),
                classes="dialog-title",
            )
            with VerticalScroll(id="card-detail-body"):
                yield SafeMarkdown(row.front)
                yield Static("───", classes="dialog-help")
                yield SafeMarkdown(row.back)
            with Horizontal(classes="dialog-buttons"):
                if row.origin == "user":
                    yield Button("Edit  e", id="edit")
                yield Button("Unsuspend  !" if row.suspended else "Suspend  !", id="suspend")
                yield Button("Show again  h" if row.hidden else "Hide  h", id="hide")
                yield Button("Reset  ctrl+r", id="reset")
                yield Button("Close  esc", id="close")

    def action_choose(self, action: str | None) -> None:
        if action == "edit" and self.row.origin != "user":
            self.notify("Curriculum cards are edited in the content files; hide it instead.")
            return
        self.dismiss(action)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "close" else event.button.id)


def describe_state(row: CardRow) -> str:
    parts = [row.state]
    if row.suspended:
        parts.append("suspended")
    if row.hidden:
        parts.append("hidden")
    if "leech" in row.tags.split():
        parts.append("leech")
    return ", ".join(parts)


class CardBrowser(PlannerScreen[None]):
    CSS_PATH = "card_browser.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="cards-back"),
        Binding("slash", "focus_search", "Search", key_display="/", id="cards-search-key"),
        Binding("e", "act('edit')", "Edit", id="cards-edit"),
        Binding(
            "exclamation_mark", "act('suspend')", "Suspend", key_display="!", id="cards-suspend"
        ),
        Binding("h", "act('hide')", "Hide", id="cards-hide"),
        Binding("ctrl+r", "act('reset')", "Reset", id="cards-reset"),
    ]

    class Found(Message):
        def __init__(self, rows: list[CardRow], total: int, problem: str = "") -> None:
            self.rows, self.total, self.problem = rows, total, problem
            super().__init__()

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.rows: list[CardRow] = []
        self.keep_cursor: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("Cards", id="cards-title")
        yield Input(self.initial_query, placeholder=HELP, id="cards-search")
        yield DataTable(id="cards-table", cursor_type="row", zebra_stripes=True)
        yield Static("Reading your cards…", id="cards-count", classes="pending")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("front", "topic", "state", "due", "recall")
        self.search()
        table.focus()

    def search(self) -> None:
        self._search(self.query_one("#cards-search", Input).value)

    @work(
        thread=True,
        exclusive=True,
        group="cards",
        exit_on_error=False,
        description="Searching your cards",
    )
    def _search(self, query: str) -> None:
        filters = parse_query(query)
        now = self.planner.clock()
        topic_ids = None
        if filters["topic"]:
            wanted = filters["topic"].lower()
            topic_ids = [
                t.id
                for t in self.planner.curriculum.topics
                if wanted in t.id.lower() or wanted in t.title.lower()
            ] or [filters["topic"]]
        try:
            with self.planner.session() as session:
                rows, total = card_service.search(
                    session,
                    now,
                    reviews.scheduler(self.planner.settings.desired_retention, fuzz=False),
                    text=filters["text"],
                    topic_ids=topic_ids,
                    tag=filters["tag"],
                    state=filters["state"],
                    limit=SHOWN,
                )
        except card_service.CardError as exc:
            self.post_message(self.Found([], 0, f"{exc}; states: {STATES}"))
            return
        self.post_message(self.Found(rows, total))

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.problem:
            say(self, message.problem, timeout=4)
            return
        self.rows, total = message.rows, message.total
        table = self.query_one(DataTable)
        table.clear()
        tz = self.planner.tz
        for row in self.rows:
            front = clean(row.front).strip()
            first_line = front.splitlines()[0] if front else ""
            topic = self.planner.curriculum.topic_title(row.topic_id, row.topic_id)
            due = f"{row.due.astimezone(tz):%Y-%m-%d}" if row.due else "—"
            recall = f"{row.retrievability:.0%}" if row.retrievability is not None else "—"
            style = "dim" if row.suspended or row.hidden else ""
            table.add_row(
                plain(first_line, style, one_line=True)[:50],
                plain(topic, style, one_line=True)[:24],
                plain(describe_state(row), style, one_line=True),
                due,
                recall,
                key=row.id,
            )
        if self.keep_cursor is not None and self.rows:
            table.move_cursor(row=min(self.keep_cursor, len(self.rows) - 1))
        self.keep_cursor = None
        shown = f" (showing the first {SHOWN})" if total > SHOWN else ""
        self.query_one("#cards-count", Static).update(Text(f"{total} card(s){shown} · {HELP}"))

    @on(Input.Submitted, "#cards-search")
    def _submitted(self) -> None:
        self.search()
        self.query_one(DataTable).focus()

    @on(Input.Changed, "#cards-search")
    def _changed(self) -> None:
        self.search()

    def action_focus_search(self) -> None:
        self.query_one("#cards-search", Input).focus()

    def current(self) -> CardRow | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowSelected)
    @work(exit_on_error=False, description="Acting on a card")
    @reports_errors
    async def _open(self) -> None:
        row = self.current()
        if row is None:
            return
        topic = self.planner.curriculum.topic_title(row.topic_id, row.topic_id)
        action = await self.app.push_screen_wait(CardDetail(row, topic))
        if action:
            await self._act(action)

    @work(exit_on_error=False, description="Acting on a card")
    @reports_errors
    async def action_act(self, action: str) -> None:
        await self._act(action)

    async def _act(self, action: str) -> None:
        row = self.current()
        if row is None:
            return
        now = self.planner.clock()
        if action == "edit":
            if row.origin != "user":
                self.notify("Curriculum cards are edited in the content files; hide it instead.")
                return
            values: CardValues | None = await self.app.push_screen_wait(
                CardForm("Edit card", row.topic_id, row.front, row.back, row.tags, True)
            )
            if values is None:
                return
            with self.planner.session() as session:
                card_service.edit_card(session, row.id, values.front, values.back, values.tags, now)
            message = "Card saved."
        elif action == "suspend":
            with self.planner.session() as session:
                reviews.suspend(session, row.id, now, not row.suspended)
            message = "Card unsuspended." if row.suspended else "Card suspended."
        elif action == "hide":
            with self.planner.session() as session:
                card_service.set_hidden(session, row.id, not row.hidden, now)
            message = "Card shown in reviews again." if row.hidden else "Card hidden."
        elif action == "reset":
            if not await self.app.push_screen_wait(
                Confirm("Make this card new again? Its review history stays in the log.")
            ):
                return
            with self.planner.session() as session:
                card_service.reset(session, row.id, now)
            message = "Card reset to new."
        else:
            return
        self.keep_cursor = self.query_one(DataTable).cursor_row
        self.search()
        self.notify(message, timeout=2)

    def action_back(self) -> None:
        self.dismiss(None)
