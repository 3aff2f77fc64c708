"""Progress at a glance: weekly hours against the target, stages, streaks, a heatmap."""

from __future__ import annotations

from datetime import timedelta

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...services import stats
from ...services.stats import StudyStats

SHADES = " ░▒▓█"


def week_chart(figures: StudyStats, width: int = 40) -> Table:
    table = Table(box=None, show_header=True, header_style="bold", padding=(0, 1))
    table.add_column("week of")
    table.add_column(f"logged (│ = target {figures.weeks[0].target:g}h)")
    table.add_column("logged", justify="right")
    table.add_column("planned", justify="right")
    table.add_column("kept", justify="right")
    scale = max(
        [w.logged for w in figures.weeks]
        + [w.planned for w in figures.weeks]
        + [figures.weeks[0].target, 1]
    )
    for week in figures.weeks:
        filled = round(width * week.logged / scale)
        mark = min(width - 1, round(width * week.target / scale))
        cells = ["█" if i < filled else "·" for i in range(width)]
        cells[mark] = "│" if mark >= filled else "┃"
        bar = Text("".join(cells), style="green" if week.logged >= week.target else "")
        kept = f"{week.adherence:.0%}" if week.adherence is not None else "—"
        table.add_row(f"{week.start:%d %b}", bar, f"{week.logged:.1f}", f"{week.planned:.1f}", kept)
    return table


def stage_table(figures: StudyStats) -> Table:
    table = Table(box=None, header_style="bold", padding=(0, 1))
    table.add_column("stage")
    table.add_column("logged", justify="right")
    table.add_column("estimate", justify="right")
    table.add_column("")
    for share in figures.stages:
        ratio = share.logged / share.estimate if share.estimate else 0
        filled = min(20, round(20 * ratio))
        table.add_row(
            share.title,
            f"{share.logged:.1f}h",
            f"{share.estimate:g}h",
            Text("█" * filled + "·" * (20 - filled)),
        )
    return table


def topic_table(figures: StudyStats) -> Table:
    table = Table(box=None, header_style="bold", padding=(0, 1))
    table.add_column("topic")
    table.add_column("logged", justify="right")
    table.add_column("estimate", justify="right")
    table.add_column("")
    for share in sorted(figures.topics, key=lambda s: -s.logged):
        ratio = share.logged / share.estimate if share.estimate else 0
        filled = min(20, round(20 * ratio))
        style = "yellow" if ratio > 1 else ""
        table.add_row(
            share.title,
            f"{share.logged:.1f}h",
            f"{share.estimate:g}h",
            Text("█" * filled + "·" * (20 - filled) + (" over" if ratio > 1 else ""), style),
        )
    return table


def heatmap(figures: StudyStats) -> Text:
    """Six months of study days, a column per week, Monday on top."""
    end = figures.today
    start = end - timedelta(days=end.weekday()) - timedelta(weeks=25)
    text = Text()
    top = max(figures.days.values(), default=0) or 1
    for weekday, name in enumerate(["Mon", "", "Wed", "", "Fri", "", "Sun"]):
        text.append(f"{name:<4}", "dim")
        for week in range(26):
            day = start + timedelta(weeks=week, days=weekday)
            if day > end:
                text.append(" ")
                continue
            hours = figures.days.get(day, 0)
            level = 0 if hours <= 0 else min(4, 1 + int(3 * hours / top))
            text.append(SHADES[level] if level else "·", "green" if level else "dim")
        text.append("\n")
    text.append("    less ", "dim")
    text.append(SHADES[1:], "green")
    text.append(" more", "dim")
    return text


def summary(figures: StudyStats) -> Text:
    text = Text()
    text.append(f"{figures.total_hours:.1f}h", "bold")
    text.append(" studied in all · streak ")
    text.append(f"{figures.current_streak}", "bold")
    text.append(f" days (longest {figures.longest_streak})\n")
    text.append(f"{figures.remaining_hours:.0f}h", "bold")
    text.append(" of the roadmap to go · finish ")
    for label, pace, when in (
        ("at your recent pace", figures.pace_recent, figures.finish_recent),
        ("at your planned pace", figures.pace_planned, figures.finish_planned),
    ):
        text.append(f"{label} ({pace:.1f}h/wk): ")
        text.append(f"{when:%d %b %Y}" if when else "not at this pace", "bold")
        text.append("; " if "recent" in label else "\n")
    return text


class StatsScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back", id="stats-back")]

    class Loaded(Message):
        def __init__(self, figures: StudyStats) -> None:
            self.figures = figures
            super().__init__()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-scroll"):
            yield Static("Reading your logbook…", id="stats-body")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="stats")
    def load(self) -> None:
        app = self.app
        with app.planner.session() as session:
            figures = stats.study_stats(
                session,
                app.planner.curriculum,
                app.planner.clock(),
                app.tz,
                app.settings.rollover_hour,
                app.settings.weekly_target_hours,
                app.user_config.first_weekday,
            )
        self.post_message(self.Loaded(figures))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        figures = message.figures
        self.figures = figures
        body = Group(
            Text("Statistics", style="bold underline"),
            summary(figures),
            Text("Hours per week, last 12 weeks", style="bold"),
            week_chart(figures),
            Text(""),
            Text("Study days, last 6 months", style="bold"),
            heatmap(figures),
            Text(""),
            Text("Hours per stage against the estimates", style="bold"),
            stage_table(figures),
            Text(""),
            Text("Hours per topic you have studied", style="bold"),
            topic_table(figures),
        )
        self.query_one("#stats-body", Static).update(body)

    def action_back(self) -> None:
        self.dismiss(None)
