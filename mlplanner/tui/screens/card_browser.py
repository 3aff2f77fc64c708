"""The card browser: search every card by text, topic, tag and state; sort by any column;
act on one."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Footer, Input, Static

from ...errors import PlannerError
from ...services import cards as card_service
from ...services import reviews
from ...services.card_filters import SORTS, STATE_TERMS, parse_query, state_word, topic_ids
from ...services.cards import CardRow
from ...vocabulary import CardState
from ..errors import reports_errors
from ..safe_markdown import SafeMarkdown
from ..text import clean, plain, say
from .base import PlannerModal, PlannerScreen
from .card_form import CardForm, CardValues
from .confirm import Confirm

SHOWN = 500
HELP = 'type to search: words · topic:ID · topic:"title" · tag:NAME · is:STATE'
STATES_HELP = f"is: {' '.join(STATE_TERMS)}"
ARROWS = {False: "▲", True: "▼"}
# Fixed widths of the columns after the front, which takes what is left; the topic column
# narrows first on a small terminal.
STATE_WIDTH, DUE_WIDTH, RECALL_WIDTH = 10, 10, 8
TOPIC_WIDTH = (12, 24)
PADDING = 2  # a DataTable cell's padding, one each side
BACK_FROM = 90  # the back gets a column when the front and back have this much room
SCROLLBAR = 2

_MARKDOWN = MarkdownIt("commonmark")


def card_line(source: str) -> str:
    """A card's Markdown as one line of its text: emphasis, code marks, links and HTML tags
    dropped, blocks joined by spaces, control characters made visible."""
    parts: list[str] = []
    for token in _MARKDOWN.parse(clean(source)):
        if token.type == "inline":
            parts.append(_inline_text(token.children or []))
        elif token.type in ("fence", "code_block"):
            parts.append(token.content)
    return clean(" ".join(part.strip() for part in parts if part.strip()), one_line=True)


def _inline_text(children: list[Token]) -> str:
    text: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            text.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            text.append(" ")
        elif child.type == "image":
            text.append(_inline_text(child.children or []))
    return "".join(text)


ORDER_WORDS: dict[Sort, str] = {}


@dataclass(frozen=True)
class Sort:
    column: str = "due"
    descending: bool = False

    def by(self, column: str) -> Sort:
        """A click on a column's header: that column, or the other way round if it is the
        sorted one already."""
        if column == self.column:
            return Sort(column, not self.descending)
        return Sort(column)


ORDER_WORDS.update(
    {
        Sort("front"): "A to Z",
        Sort("front", True): "Z to A",
        Sort("back"): "A to Z",
        Sort("back", True): "Z to A",
        Sort("topic"): "A to Z",
        Sort("topic", True): "Z to A",
        Sort("state"): "new to review, then marked",
        Sort("state", True): "marked first",
        Sort("due"): "soonest first",
        Sort("due", True): "latest first",
        Sort("recall"): "lowest first",
        Sort("recall", True): "highest first",
    }
)


def column_widths(width: int) -> dict[str, int]:
    """The columns that fit without a horizontal scrollbar, with their widths: the front
    takes what the others leave, and shares it with the back on a wide terminal."""
    fixed = STATE_WIDTH + DUE_WIDTH + RECALL_WIDTH
    room = width - SCROLLBAR - PADDING * (len(SORTS) - 1)  # every column but the back
    topic = max(TOPIC_WIDTH[0], min(TOPIC_WIDTH[1], (room - fixed) // 3))
    free = room - fixed - topic
    back = 0
    if free - PADDING >= BACK_FROM:
        free -= PADDING
        back = free * 2 // 5
    widths = {
        "front": max(12, free - back),
        "back": back,
        "topic": topic,
        "state": STATE_WIDTH,
        "due": DUE_WIDTH,
        "recall": RECALL_WIDTH,
    }
    return {name: widths[name] for name in SORTS if widths[name]}


class CardDetail(PlannerModal[str | None]):
    """One card in full, rendered, with what can be done to it; returns the chosen action."""

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
            yield Static(
                plain(f"topic:{row.topic_id}  {tags_line(row)}".rstrip(), one_line=True),
                id="card-detail-topic",
                classes="dialog-help",
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


def tags_line(row: CardRow) -> str:
    return f"tags: {row.tags}" if row.tags.strip() else ""


def describe_state(row: CardRow) -> str:
    parts = [row.state]
    if row.suspended:
        parts.append("suspended")
    if row.hidden:
        parts.append("hidden")
    if row.buried:
        parts.append("buried")
    if "leech" in row.tags.split():
        parts.append("leech")
    return ", ".join(parts)


def state_cell(row: CardRow) -> str:
    return state_word(CardState[row.state.upper()], row.suspended, row.hidden, row.buried)


class CardBrowser(PlannerScreen[None]):
    """Typing anywhere searches; a column's header (or ctrl+o, ctrl+t) sorts."""

    CSS_PATH = "card_browser.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="cards-back"),
        Binding("slash", "focus_search", "Search", key_display="/", id="cards-search-key"),
        Binding("down", "to_results", "To the cards", show=False, id="cards-to-results"),
        Binding("ctrl+o", "next_sort", "Sort", id="cards-sort"),
        Binding("ctrl+t", "reverse_sort", "Reverse the sort", show=False, id="cards-sort-reverse"),
        Binding("ctrl+e", "act('edit')", "Edit", id="cards-edit"),
        Binding(
            "exclamation_mark", "act('suspend')", "Suspend", key_display="!", id="cards-suspend"
        ),
        Binding("delete", "act('hide')", "Hide", key_display="del", id="cards-hide"),
        Binding("ctrl+r", "act('reset')", "Reset", show=False, id="cards-reset"),
    ]

    class Found(Message):
        """A search's rows, with each card's front (and back, when its column is shown)
        already made one line of text, off the UI thread."""

        def __init__(
            self,
            generation: int,
            rows: list[CardRow],
            total: int,
            problem: str = "",
            query: str = "",
            fronts: list[str] | None = None,
            backs: list[str] | None = None,
        ) -> None:
            self.generation, self.rows, self.total = generation, rows, total
            self.problem, self.query = problem, query
            self.fronts, self.backs = fronts or [], backs
            super().__init__()

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial_query = query
        self.rows: list[CardRow] = []
        self.fronts: list[str] = []  # each row's front as one line
        self.backs: list[str] | None = None  # and its back, when the back was shown
        self.total = 0
        # Searches still running may post their rows after a newer one: only the newest
        # search's rows are shown.
        self.generation = 0
        self.shown_query: str | None = None
        self.sort = Sort()
        self.widths = column_widths(80)  # the columns shown, by name, and their widths
        self.keep_cursor: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("Cards", id="cards-title")
        yield Input(self.initial_query, placeholder=HELP, id="cards-search", select_on_focus=False)
        yield DataTable(id="cards-table", cursor_type="row", zebra_stripes=True)
        yield Static("Reading your cards…", id="cards-count", classes="pending")
        yield Footer()

    def on_mount(self) -> None:
        self.widths = column_widths(self.app.size.width)
        self._columns()
        self.search()
        self.query_one(DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        widths = column_widths(event.size.width)
        if widths != self.widths:
            keep_id = self.current_id()
            self.widths = widths
            self._columns()
            self._fill(keep_id)
            if "back" in widths and self.backs is None and self.rows:
                self.search()  # the backs as one line, from the worker

    # Searching -----------------------------------------------------------------------

    def search(self) -> None:
        self.generation += 1
        line = self.query_one("#cards-search", Input).value
        self._search(line, self.sort, self.generation, "back" in self.widths)

    @work(
        thread=True,
        exclusive=True,
        group="cards",
        exit_on_error=False,
        description="Searching your cards",
    )
    def _search(self, line: str, sort: Sort, generation: int, backs: bool) -> None:
        """Find the cards and make their text one line each here, off the UI thread
        (Markdown parsing takes most of the time); the backs only when shown."""
        query = parse_query(line)
        now = self.planner.clock()
        try:
            topics = topic_ids(self.planner.curriculum, query)
            with self.planner.session() as session:
                rows, total = card_service.search(
                    session,
                    now,
                    reviews.scheduler(self.planner.settings.desired_retention, fuzz=False),
                    text=query.text,
                    topic_ids=topics,
                    tag=query.tag,
                    state=query.state,
                    limit=SHOWN,
                    sort=sort.column,
                    descending=sort.descending,
                )
        except PlannerError as exc:
            self.post_message(self.Found(generation, [], 0, str(exc), line))
            return
        fronts = [card_line(row.front) for row in rows]
        lines = [card_line(row.back) for row in rows] if backs else None
        self.post_message(self.Found(generation, rows, total, "", line, fronts, lines))

    @on(Found)
    def _found(self, message: Found) -> None:
        if message.generation != self.generation:  # an older search, finished late
            return
        count = self.query_one("#cards-count", Static)
        if message.problem:
            # Shown where the count is, while the search is typed; a toast on Enter.
            count.update(plain(message.problem, one_line=True))
            count.add_class("problem")
            return
        count.remove_class("problem")
        # The same search again (after a sort or an action) keeps the highlighted card; a
        # new one starts at the top.
        keep_id = self.current_id() if message.query == self.shown_query else None
        self.rows, self.total, self.shown_query = message.rows, message.total, message.query
        self.fronts, self.backs = message.fronts, message.backs
        self._fill(keep_id)

    def _columns(self) -> None:
        """The header: each column at its width, the sorted one marked with its direction."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for name in self.widths:
            label = f"{name} {ARROWS[self.sort.descending]}" if name == self.sort.column else name
            table.add_column(Text(label), width=self.widths[name], key=name)

    def _fill(self, keep_id: str | None) -> None:
        """The rows, with `keep_id` highlighted if it is among them (else the row where a
        card was acted on, else the first)."""
        table = self.query_one(DataTable)
        table.clear()
        tz = self.planner.tz
        back_width = self.widths.get("back")
        for index, row in enumerate(self.rows):
            due = f"{row.due.astimezone(tz):%Y-%m-%d}" if row.due else "—"
            recall = f"{row.retrievability:.0%}" if row.retrievability is not None else "—"
            style = "dim" if row.suspended or row.hidden or row.buried else ""
            # The back's text comes with the next search when its column has just appeared.
            back = self.backs[index] if back_width and self.backs is not None else ""
            cells = {
                "front": plain(self.fronts[index], style, limit=self.widths["front"]),
                "back": plain(back, style, limit=back_width) if back_width else "",
                "topic": plain(row.topic_id, style, one_line=True, limit=self.widths["topic"]),
                "state": plain(state_cell(row), style),
                "due": due,
                "recall": recall,
            }
            table.add_row(*(cells[name] for name in self.widths), key=row.id)
        ids = [row.id for row in self.rows]
        if keep_id in ids:
            table.move_cursor(row=ids.index(keep_id))
        elif self.keep_cursor is not None and self.rows:  # the card acted on has gone
            table.move_cursor(row=min(self.keep_cursor, len(self.rows) - 1))
        self.keep_cursor = None
        self._count()

    def _count(self) -> None:
        """How many cards, in which order, and (where it fits) the states `is:` takes."""
        shown = f", showing the first {SHOWN}" if self.total > SHOWN else ""
        line = f"{self.total} card(s){shown} · by {self.sort.column}, {ORDER_WORDS[self.sort]}"
        count = self.query_one("#cards-count", Static)
        room = count.size.width - 2 or self.app.size.width - 2
        if len(line) + len(STATES_HELP) + 3 <= room:
            line = f"{line} · {STATES_HELP}"
        count.update(Text(line))

    @on(Input.Submitted, "#cards-search")
    def _submitted(self, event: Input.Submitted) -> None:
        query = parse_query(event.value)
        try:
            topic_ids(self.planner.curriculum, query)
        except PlannerError as exc:
            say(self, str(exc), title="Card search", severity="warning", timeout=6)
            return
        self.search()
        self.query_one(DataTable).focus()

    @on(Input.Changed, "#cards-search")
    def _changed(self) -> None:
        self.search()

    def on_key(self, event: events.Key) -> None:
        """Typing while the list has focus goes into the search box (a key that does
        something on this screen keeps doing it)."""
        table = self.query_one(DataTable)
        character = event.character
        if (
            self.focused is not table
            or not event.is_printable
            or not character
            or character.isspace()
            or event.key in self.active_bindings
        ):
            return
        event.stop()
        event.prevent_default()
        search = self.query_one("#cards-search", Input)
        value = search.value
        search.value = (
            f"{value} {character}" if value and not value.endswith(" ") else value + character
        )
        search.cursor_position = len(search.value)
        search.focus()

    def action_focus_search(self) -> None:
        search = self.query_one("#cards-search", Input)
        search.focus()
        search.cursor_position = len(search.value)

    def action_to_results(self) -> None:
        self.query_one(DataTable).focus()

    # Sorting --------------------------------------------------------------------------

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        self.sort_by(self.sort.by(str(event.column_key.value)))

    def action_next_sort(self) -> None:
        shown = list(self.widths)
        index = shown.index(self.sort.column) if self.sort.column in shown else -1
        self.sort_by(Sort(shown[(index + 1) % len(shown)]))

    def action_reverse_sort(self) -> None:
        self.sort_by(Sort(self.sort.column, not self.sort.descending))

    def sort_by(self, sort: Sort) -> None:
        keep_id = self.current_id()
        self.sort = sort
        self._columns()
        self._fill(keep_id)  # the header at once; the rows in their new order when they come
        self.search()

    # Acting on a card -----------------------------------------------------------------

    def current_id(self) -> str | None:
        row = self.current()
        return row.id if row else None

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
        """Escape clears a search first; on an empty one it closes the browser."""
        search = self.query_one("#cards-search", Input)
        if search.value:
            search.value = ""
            return
        self.dismiss(None)
