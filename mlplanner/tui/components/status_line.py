"""The line at the top: what needs doing today and how far the learner has come."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...services.dashboard import Dashboard


def render_status(title: str, board: Dashboard) -> Text:
    days = "day" if board.streak_days == 1 else "days"
    return Text.assemble(
        (f" {title} ", "bold reverse"),
        "  ",
        (f"{board.due_today}", "bold"),
        " cards due  ",
        (f"{board.week_hours:.1f}/{board.target_hours:g}h", "bold"),
        " this week  ",
        (f"{board.streak_days}", "bold"),
        f" {days} streak  ",
        (f"{board.percent}%", "bold"),
        f" of roadmap ({board.topics_done}/{board.topics_total} topics)",
    )


class StatusLine(Static):
    def show(self, title: str, board: Dashboard) -> None:
        self.update(render_status(title, board))
