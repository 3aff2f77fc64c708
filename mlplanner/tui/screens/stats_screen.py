"""Progress at a glance: hours against the target, streaks, heatmaps, and flashcards."""

from __future__ import annotations

from datetime import date, timedelta

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from ...services import review_stats, stats
from ...services.durations import count_of, format_hours
from ...services.review_stats import ReviewStats
from ...services.stats import StudyStats
from ..components.fitted_footer import FittedFooter
from ..text import plain
from .base import PlannerScreen

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
        table.add_row(
            f"{week.start:%d %b}", bar, format_hours(week.logged), format_hours(week.planned), kept
        )
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
            plain(share.title, one_line=True, limit=80),
            f"{format_hours(share.logged)}h",
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
            plain(share.title, one_line=True, limit=80),
            f"{format_hours(share.logged)}h",
            f"{share.estimate:g}h",
            Text("█" * filled + "·" * (20 - filled) + (" over" if ratio > 1 else ""), style),
        )
    return table


def heatmap(days: dict[date, float], end: date) -> Text:
    """Six months of days, a column per week, Monday on top; darker for more."""
    start = end - timedelta(days=end.weekday()) - timedelta(weeks=25)
    text = Text()
    top = max(days.values(), default=0) or 1
    for weekday, name in enumerate(["Mon", "", "Wed", "", "Fri", "", "Sun"]):
        text.append(f"{name:<4}", "dim")
        for week in range(26):
            day = start + timedelta(weeks=week, days=weekday)
            if day > end:
                text.append(" ")
                continue
            amount = days.get(day, 0)
            level = 0 if amount <= 0 else min(4, 1 + int(3 * amount / top))
            text.append(SHADES[level] if level else "·", "green" if level else "dim")
        text.append("\n")
    text.append("    less ", "dim")
    text.append(SHADES[1:], "green")
    text.append(" more", "dim")
    return text


def summary(figures: StudyStats) -> Text:
    text = Text()
    text.append(f"{format_hours(figures.total_hours)}h", "bold")
    text.append(" studied in all · streak ")
    streak = count_of(figures.current_streak, "day").split(" ", 1)
    text.append(streak[0], "bold")
    text.append(f" {streak[1]} (longest {figures.longest_streak})\n")
    text.append(f"{format_hours(figures.projection.remaining_hours, 0)}h", "bold")
    text.append(" of the roadmap to go · finish ")
    for label, pace, when in (
        ("at your recent pace", figures.projection.pace_recent, figures.projection.finish_recent),
        (
            "at your planned pace",
            figures.projection.pace_planned,
            figures.projection.finish_planned,
        ),
    ):
        text.append(f"{label} ({format_hours(pace)}h/wk): ")
        text.append(f"{when:%d %b %Y}" if when else "not at this pace", "bold")
        text.append("; " if "recent" in label else "\n")
    return text


BARS = " ▁▂▃▄▅▆▇█"


def forecast_chart(cards: ReviewStats) -> Text:
    """Cards due per day for 30 days, one column a day, today first."""
    top = max(cards.forecast, default=0) or 1
    text = Text()
    for count in cards.forecast:
        level = 0 if count <= 0 else max(1, round(8 * count / top))
        text.append(BARS[level], "cyan")
    week = sum(cards.forecast[:7])
    text.append(
        f"\n{cards.forecast[0]} due today · {week} within 7 days · "
        f"{sum(cards.forecast)} within 30 (busiest day: {top})",
        "dim",
    )
    return text


def card_summary(cards: ReviewStats) -> Text:
    text = Text()
    text.append(f"{cards.reviews_today}", "bold")
    seconds = cards.time_today_ms // 1000
    text.append(f" reviews today ({seconds // 60} min) · {cards.total_reviews} in all · ")
    text.append("true retention ")
    text.append(f"{cards.retention:.0%}" if cards.retention is not None else "—", "bold")
    text.append(" (first review of a day: Again fails, the rest pass)\n")
    text.append(
        f"{cards.cards('new')} new · {cards.cards('learning')} learning · "
        f"{cards.cards('review')} in review · {cards.cards('suspended')} suspended"
    )
    return text


def card_table(cards: ReviewStats) -> Table:
    table = Table(box=None, header_style="bold", padding=(0, 1))
    for name, justify in (
        ("stage", "left"),
        ("new", "right"),
        ("learning", "right"),
        ("review", "right"),
        ("suspended", "right"),
        ("retention", "right"),
    ):
        table.add_column(name, justify=justify)
    for stage in cards.stages:
        kept = f"{stage.retention:.0%}" if stage.retention is not None else "—"
        table.add_row(
            plain(stage.title, one_line=True, limit=80),
            str(stage.new),
            str(stage.learning),
            str(stage.review),
            str(stage.suspended),
            kept,
        )
    return table


class StatsScreen(PlannerScreen[None]):
    CSS_PATH = "stats_screen.tcss"
    BINDINGS = [Binding("escape", "back", "Back", id="stats-back")]

    class Loaded(Message):
        def __init__(self, figures: StudyStats, cards: ReviewStats) -> None:
            self.figures = figures
            self.cards = cards
            super().__init__()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-scroll"):
            yield Static("Reading your logbook…", id="stats-body", classes="pending")
        yield FittedFooter()

    def on_mount(self) -> None:
        self.load()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="stats",
        description="Reading your logbook",
    )
    def load(self) -> None:
        planner = self.planner
        with planner.session() as session:
            figures = stats.study_stats(
                session,
                planner.curriculum,
                planner.clock(),
                planner.calendar,
                planner.settings.weekly_target_hours,
            )
            cards = review_stats.review_stats(
                session, planner.curriculum, planner.clock(), planner.calendar
            )
        self.post_message(self.Loaded(figures, cards))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        figures, cards = message.figures, message.cards
        self.figures, self.cards = figures, cards
        body = Group(
            Text("Statistics", style="bold underline"),
            summary(figures),
            Text("Hours per week, last 12 weeks", style="bold"),
            week_chart(figures),
            Text(""),
            Text("Study days, last 6 months", style="bold"),
            heatmap(figures.days, figures.today),
            Text(""),
            Text("Hours per stage against the estimates", style="bold"),
            stage_table(figures),
            Text(""),
            Text("Hours per topic you have studied", style="bold"),
            topic_table(figures),
            Text(""),
            Text("Flashcards", style="bold underline"),
            card_summary(cards),
            Text(""),
            Text("Cards due, next 30 days", style="bold"),
            forecast_chart(cards),
            Text(""),
            Text("Review days, last 6 months", style="bold"),
            heatmap({d: float(n) for d, n in cards.per_day.items()}, cards.today),
            Text(""),
            Text("Cards and retention per stage", style="bold"),
            card_table(cards),
        )
        self.query_one("#stats-body", Static).update(body)

    def action_back(self) -> None:
        self.dismiss(None)
