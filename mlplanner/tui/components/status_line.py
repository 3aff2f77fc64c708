"""The line at the top: what needs doing today and how far the learner has come."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from ...services.durations import format_hours
from ..context import UsesPlanner
from ..text import clean

if TYPE_CHECKING:  # the services are loaded with the data, after the first frame
    from ...services.dashboard import Dashboard

COMPACT_BELOW = 125  # the wide line with its card counts needs about 122 columns


def render_status(title: str, board: Dashboard | None, width: int) -> Text:
    title = clean(title, one_line=True, limit=80)
    if board is None:
        return Text.assemble((f" {title} ", "bold reverse"), ("  loading…", "dim"))
    compact = width < COMPACT_BELOW
    days = "d" if compact else (" day" if board.streak_days == 1 else " days")
    parts = [
        (f" {title} ", "bold reverse") if not compact else (" mlplanner ", "bold reverse"),
        "  ",
        *cards_today(board, compact),
        (f"{format_hours(board.week_hours)}/{board.target_hours:g}h", "bold"),
        " week  " if compact else " this week  ",
        (f"{board.streak_days}{days}", "bold"),
        " streak  ",
        (f"{board.percent}%", "bold"),
        " roadmap" if compact else f" of roadmap ({board.topics_done}/{board.topics_total} topics)",
    ]
    return Text.assemble(*parts)


def cards_today(board: Dashboard, compact: bool) -> list[str | tuple[str, str]]:
    """Today's cards as Anki counts them: new, learning and review (what `r` would show)."""
    names = ("new", "lrn", "rev") if compact else ("new", "learning", "review")
    counts = (board.new_today, board.learning_today, board.review_today)
    parts: list[str | tuple[str, str]] = []
    for count, name in zip(counts, names, strict=True):
        parts += [(f"{count}", "bold"), f" {name} "]
    parts.append(" " if compact else "cards  ")
    return parts


class StatusLine(UsesPlanner, Static):
    """Shows the dashboard it is given and the focus timer, which it follows by itself."""

    def __init__(self, title: str, **kwargs) -> None:
        super().__init__(render_status(title, None, 200), **kwargs)
        self.title = title
        self.board: Dashboard | None = None
        self.timer_text = ""
        self.failure: Text | None = None

    def on_mount(self) -> None:
        timer = self.planner_app.timer
        timer.changed.subscribe(self, self.set_timer)
        self.set_timer(timer.text())

    def show(self, board: Dashboard) -> None:
        self.board, self.failure = board, None
        self._repaint()

    def show_failure(self, line: Text) -> None:
        """Said in place of "loading…" when the dashboard could not be read."""
        self.failure = line
        self._repaint()

    def set_timer(self, text: str) -> None:
        if text != self.timer_text:
            self.timer_text = text
            self._repaint()

    def _repaint(self) -> None:
        line = render_status(self.title, self.board, self.size.width or 200)
        if self.board is None and self.failure is not None:
            line = Text.assemble(
                (f" {clean(self.title, one_line=True, limit=80)} ", "bold reverse"),
                "  ",
                self.failure,
            )
        if self.timer_text:
            # Paused reads differently without colour too: its text starts "⏸ paused".
            paused = self.planner_app.timer.is_paused
            line.append("  ")
            line.append(
                f" {clean(self.timer_text, one_line=True, limit=120)} ",
                "dim" if paused else "bold reverse",
            )
        self.update(line)

    def on_resize(self) -> None:
        self._repaint()
