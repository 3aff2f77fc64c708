"""The week on screen: planned blocks and logged hours per day, against the target."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...services.durations import format_hours
from ..text import clean

if TYPE_CHECKING:  # the services are loaded with the data, after the first frame
    from ...services.overview import Overview
    from ...services.week import Occurrence, WeekView

BAR = 20
# As tall as the header it stands for (without a target date), so the list below keeps
# its size when the week arrives and is not measured twice.
LOADING = "Loading the week…\n\n\n"


@dataclass(frozen=True)
class ShownBlock:
    """An occurrence as listed under one day (a block past midnight is listed twice)."""

    occurrence: Occurrence

    @property
    def day(self) -> date:
        return self.occurrence.start.date()


def bar(done: float, target: float, width: int = BAR) -> Text:
    filled = 0 if target <= 0 else min(width, round(width * done / target))
    return Text.assemble(("█" * filled, "bold"), ("░" * (width - filled), "dim"))


def render_header(overview: Overview) -> Text:
    week, today = overview.week, overview.today
    end = week.start + timedelta(days=6)
    text = Text()
    text.append(f"{week.start:%a %d %b} – {end:%a %d %b %Y}", "bold")
    if week.start <= today <= end:
        text.append("  this week", "italic")
    text.append("\n")
    text.append(
        f"logged {format_hours(week.logged_hours)}h  planned {format_hours(week.planned_hours)}h"
    )
    text.append(f"  target {week.target_hours:g}h\n")
    text.append_text(bar(week.logged_hours, week.target_hours))
    pct = round(100 * week.logged_hours / week.target_hours) if week.target_hours else 0
    text.append(f" {pct}%\n")
    projection = overview.projection
    text.append(f"{format_hours(projection.remaining_hours, 0)}h of your path left · ", "dim")
    text.append(projection.finish_words("%b %Y"), "dim")
    target = projection.target_words()
    if target is not None and projection.target_date is not None:
        style = "bold" if projection.on_track else "bold red"
        text.append(f"\nby {projection.target_date:%d %b %Y}: ", "dim")
        text.append(target, style)
    return text


def day_prompt(day, today: date) -> Content:
    figures = f"  {format_hours(day.logged_hours)}h logged"
    if day.planned_hours:
        figures += f" / {format_hours(day.planned_hours)}h planned"
    return Content.assemble(
        (f"{day.day:%a %d}", "bold reverse" if day.day == today else "bold"), (figures, "dim")
    )


def block_prompt(occurrence: Occurrence) -> Content:
    """One line per block: a long title ends in an ellipsis, so what must show (the time,
    an overlap) comes before it. The title is outside text, given as plain text, never
    markup."""
    return Content.assemble(
        " ↻ " if occurrence.recurring else " · ",
        f"{occurrence.start:%H:%M}–{occurrence.end:%H:%M} ",
        ("⚠ overlaps ", "bold red") if occurrence.conflict else "",
        clean(occurrence.topic_title, one_line=True, limit=200),
    )


NO_BLOCKS = Content.styled("   —", "dim")


class WeekList(OptionList):
    """One line per entry (days, blocks: never wrapped, no dividers), so its height is its
    number of entries, without measuring each (a full week of many blocks is long)."""

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.option_count


class WeekPane(Vertical):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "Week"
        self.entries: list[ShownBlock | date] = []

    def compose(self) -> ComposeResult:
        yield Static(LOADING, id="week-header", classes="pending")
        yield WeekList(id="week-list")

    def show(self, overview: Overview, zone: tzinfo | None = None) -> None:
        """`zone`: the learner's current zone, on whose clock the blocks are listed."""
        if zone is not None:
            from ...services.week import in_zone

            overview = replace(overview, week=in_zone(overview.week, zone))
        self.query_one("#week-header", Static).update(render_header(overview))
        options = self.query_one(WeekList)
        highlighted = options.highlighted
        self.entries = []
        rows: list[Option] = []  # added at once: one relayout, not one per row
        week: WeekView = overview.week
        for day in week.days:
            rows.append(Option(day_prompt(day, overview.today)))
            self.entries.append(day.day)
            for occurrence in day.blocks:
                rows.append(Option(block_prompt(occurrence)))
                self.entries.append(ShownBlock(occurrence))
            if not day.blocks:
                rows.append(Option(NO_BLOCKS, disabled=True))
                self.entries.append(day.day)
        options.clear_options()
        options.add_options(rows)
        if highlighted is not None and self.entries:
            options.highlighted = min(highlighted, len(self.entries) - 1)

    def selected(self) -> ShownBlock | date | None:
        index = self.query_one(WeekList).highlighted
        if index is None or index >= len(self.entries):
            return None
        return self.entries[index]

    def selected_day(self) -> date | None:
        entry = self.selected()
        return entry.day if isinstance(entry, ShownBlock) else entry

    def text(self) -> str:
        """The pane as plain text (for tests and screen readers)."""
        header = self.query_one("#week-header", Static).content
        lines = [str(header)]
        options = self.query_one(WeekList)
        lines += [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        return "\n".join(lines)
