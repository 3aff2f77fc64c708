"""The week on screen: planned blocks and logged hours per day, against the target."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...services.week import WeekView

BAR = 20


def bar(done: float, target: float, width: int = BAR) -> Text:
    filled = 0 if target <= 0 else min(width, round(width * done / target))
    return Text.assemble(("█" * filled, "bold"), ("░" * (width - filled), "dim"))


def render_week(week: WeekView, today: date) -> Text:
    end = week.start + timedelta(days=6)
    text = Text()
    span = f"{week.start:%a %d %b} – {end:%a %d %b %Y}"
    text.append(span, "bold")
    if week.start <= today <= end:
        text.append("  this week", "italic")
    text.append("\n")
    text.append(f"logged {week.logged_hours:.1f}h  planned {week.planned_hours:.1f}h")
    text.append(f"  target {week.target_hours:g}h\n")
    text.append_text(bar(week.logged_hours, week.target_hours))
    pct = round(100 * week.logged_hours / week.target_hours) if week.target_hours else 0
    text.append(f" {pct}%\n")
    for day in week.days:
        style = "bold reverse" if day.day == today else "bold"
        text.append("\n")
        text.append(f"{day.day:%a %d}", style)
        figures = f"  {day.logged_hours:.1f}h logged"
        if day.planned_hours:
            figures += f" / {day.planned_hours:.1f}h planned"
        text.append(figures, "dim")
        text.append("\n")
        if not day.blocks:
            text.append("   —\n", "dim")
        for block in day.blocks:
            mark = "↻" if block.recurring else "·"
            text.append(f" {mark} {block.start:%H:%M}–{block.end:%H:%M} ")
            text.append(f"{block.topic_title}\n")
    return text


class WeekPane(VerticalScroll, can_focus=True):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "Week"

    def compose(self) -> ComposeResult:
        yield Static("Loading the week…", id="week-body")

    def show(self, week: WeekView, today: date) -> None:
        self.query_one("#week-body", Static).update(render_week(week, today))
