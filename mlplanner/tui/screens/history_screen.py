"""The logbook: recent study sessions, filtered by topic or week; edit, delete, undo."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Static

from ...services import logbook
from ...services.durations import format_duration
from ..errors import reports_errors
from ..text import clean, plain
from .base import PlannerScreen
from .confirm import Confirm
from .log_form import LogForm, LoggedValues


class HistoryScreen(PlannerScreen[None]):
    CSS_PATH = "history_screen.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="history-back"),
        Binding("e,enter", "edit", "Edit", id="history-edit"),
        Binding("delete,backspace", "delete", "Delete", id="history-delete"),
        Binding("u", "undo", "Undo delete", id="history-undo"),
        Binding(
            "left_square_bracket", "week(-1)", "◀ Week", key_display="[", id="history-prev-week"
        ),
        Binding(
            "right_square_bracket", "week(1)", "Week ▶", key_display="]", id="history-next-week"
        ),
        Binding("a", "all_weeks", "All weeks", id="history-all"),
        Binding("slash", "filter", "Filter topic", key_display="/", id="history-filter"),
    ]

    class Loaded(Message):
        def __init__(self, rows: list, since, topic_id: str | None) -> None:
            self.rows, self.since, self.topic_id = rows, since, topic_id
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.week_offset: int | None = None  # None: every week
        self.rows: list = []  # the stored study sessions shown, newest first
        self.deleted: list[dict] = []

    def compose(self) -> ComposeResult:
        yield Static(" Logbook · reading…", id="history-title", classes="pending")
        yield Input(
            placeholder="Filter by topic — enter to apply, esc to leave", id="history-topic"
        )
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("When", "Length", "Topic", "Source", "Note")
        table.focus()
        self.reload()

    def _window(self):
        if self.week_offset is None:
            return None, None
        calendar = self.planner.calendar
        first = calendar.this_week(self.planner.clock()) + timedelta(weeks=self.week_offset)
        return calendar.day_start(first), calendar.day_start(first + timedelta(days=7))

    def _topic_filter(self) -> str | None:
        text = self.query_one("#history-topic", Input).value.strip().lower()
        if not text:
            return None
        for topic in self.planner.curriculum.topics:
            if text in (topic.id, topic.title.lower()):
                return topic.id
        matches = [t.id for t in self.planner.curriculum.topics if text in t.title.lower()]
        return matches[0] if matches else text

    def reload(self) -> None:
        since, until = self._window()
        self._load(since, until, self._topic_filter())

    @work(
        thread=True,
        exclusive=True,
        group="logbook",
        exit_on_error=False,
        description="Reading your logbook",
    )
    def _load(self, since, until, topic_id: str | None) -> None:
        with self.planner.session() as session:
            rows = logbook.recent(session, 500, topic_id, since, until)
        self.post_message(self.Loaded(rows, since, topic_id))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.rows = message.rows
        self._show_rows(message.since, message.topic_id)

    def _show_rows(self, since, topic_id) -> None:
        curriculum = self.planner.curriculum
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in self.rows:
            title = curriculum.topic_title(row.topic_id, row.topic_id or "—")
            local = row.started_at.astimezone(self.planner.tz)
            table.add_row(
                f"{local:%a %d %b %Y %H:%M}",
                format_duration(row.duration_s),
                plain(title, one_line=True, limit=200),
                plain(row.source, one_line=True, limit=40),
                plain(row.note, one_line=True, limit=500),
                key=str(row.id),
            )
        if self.rows:
            table.move_cursor(row=min(cursor, len(self.rows) - 1))
        scope = (
            "all weeks"
            if since is None
            else f"week of {since.astimezone(self.planner.tz):%d %b %Y}"
        )
        topic = f" · topic {clean(topic_id, one_line=True, limit=80)}" if topic_id else ""
        hours = sum(r.duration_s for r in self.rows) / 3600
        undo = f" · u undoes {len(self.deleted)} delete(s)" if self.deleted else ""
        self.query_one("#history-title", Static).update(
            Text(f" Logbook · {scope}{topic} · {len(self.rows)} sessions, {hours:.1f}h{undo}")
        )

    def _selected(self):
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None:
            return None
        return self.rows[table.cursor_row]

    def action_back(self) -> None:
        self.dismiss(None)

    def action_week(self, step: int) -> None:
        self.week_offset = 0 if self.week_offset is None else self.week_offset + step
        self.reload()

    def action_all_weeks(self) -> None:
        self.week_offset = None
        self.reload()

    def action_filter(self) -> None:
        self.query_one("#history-topic", Input).focus()

    @on(Input.Submitted, "#history-topic")
    def _filter_submitted(self) -> None:
        self.reload()
        self.query_one(DataTable).focus()

    @work(exit_on_error=False, description="Changing a study session")
    @reports_errors
    async def action_edit(self) -> None:
        row = self._selected()
        if row is None:
            return
        curriculum = self.planner.curriculum
        local = row.started_at.astimezone(self.planner.tz)

        def save(values: LoggedValues) -> None:  # the form stays open if this fails
            with self.planner.session() as session:
                logbook.edit_session(
                    session,
                    self.planner.clock,
                    row.id,
                    values.duration,
                    values.started_at or self.planner.clock() - values.duration,
                    values.topic_id,
                    values.note,
                    allow_overlap=values.allow_overlap,
                    tz=self.planner.tz,
                )

        values: LoggedValues | None = await self.app.push_screen_wait(
            LogForm(
                "Edit the study session",
                topic=curriculum.topic_title(row.topic_id),
                duration=format_duration(row.duration_s),
                when=f"{local:%Y-%m-%d %H:%M}",
                note=row.note,
                save=save,
            )
        )
        if values is None:
            return
        self.notify("Session updated", timeout=2)
        self.reload()

    @work(exit_on_error=False, description="Deleting a study session")
    @reports_errors
    async def action_delete(self) -> None:
        row = self._selected()
        if row is None:
            return
        local = row.started_at.astimezone(self.planner.tz)
        question = f"Delete {format_duration(row.duration_s)} logged {local:%a %d %b %H:%M}?"
        if not await self.app.push_screen_wait(Confirm(question)):
            return
        with self.planner.session() as session:
            self.deleted.append(logbook.delete_session(session, row.id))
        self.notify("Deleted — press u to undo", timeout=3)
        self.reload()

    @reports_errors
    def action_undo(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo", severity="warning", timeout=2)
            return
        with self.planner.session() as session:
            logbook.restore_session(session, self.deleted.pop())
        self.notify("Session restored", timeout=2)
        self.reload()
