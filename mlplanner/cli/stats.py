"""`mlplanner stats`: hours, streaks, the projected finish and the flashcard figures."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .json_output import emit
from .registry import Commands

if TYPE_CHECKING:
    from ..services.review_stats import ReviewStats
    from .context import Context


def register(commands: Commands) -> None:
    parser = commands.add(
        "stats",
        help="progress statistics",
        description="Hours per week, stage and topic, streaks and the projected finish date.",
        run=stats,
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def stats(args: argparse.Namespace, context: Context) -> None:
    from ..services import review_stats
    from ..services import stats as study_stats
    from ..services.durations import count_of, format_hours

    planner = context.planner
    settings = planner.settings
    with planner.session() as session:
        figures = study_stats.study_stats(
            session,
            planner.curriculum,
            planner.clock(),
            planner.calendar,
            settings.weekly_target_hours,
        )
        cards = review_stats.review_stats(
            session, planner.curriculum, planner.clock(), planner.calendar
        )
    if args.json:
        data = figures.to_json()
        projection = data["projection"]
        data = {key: value for key, value in data.items() if key not in projection}
        data["days"] = [{"date": day, "logged_hours": hours} for day, hours in data["days"].items()]
        reviews = cards.to_json()
        reviews["forecast"] = [{"date": f["day"], "due": f["due"]} for f in reviews["forecast"]]
        reviews["reviews_per_day"] = [
            {"date": day, "reviews": count} for day, count in reviews["reviews_per_day"].items()
        ]
        emit({**data, "projection": projection, "reviews": reviews})
        return
    print(
        f"Studied {format_hours(figures.total_hours)}h in all; target {settings.weekly_target_hours:g}h a week"
    )
    streak = count_of(figures.current_streak, "day")
    print(f"Streak: {streak} (longest {figures.longest_streak})")
    print("\nHours per week (logged / planned)")
    scale = max([w.logged for w in figures.weeks] + [settings.weekly_target_hours, 1])
    for week in figures.weeks:
        bar = "█" * round(30 * week.logged / scale)
        print(
            f"  {week.start:%d %b}  {bar:<30} {format_hours(week.logged):>5} / {format_hours(week.planned):>4}"
        )
    print("\nHours per stage (logged / estimated)")
    for share in figures.stages:
        print(
            f"  {share.title:<36} {format_hours(share.logged):>6} / {format_hours(share.estimate):>6}"
        )
    projection = figures.projection
    print(f"\nRemaining: {format_hours(projection.remaining_hours, 0)}h of your path")
    print(f"  {projection.finish_words()}")
    target = projection.target_words()
    if target is not None and projection.target_date is not None:
        needed = (
            f", {format_hours(projection.needed_per_week)} h/week needed"
            if projection.needed_per_week is not None
            else ""
        )
        print(f"  target {projection.target_date:%d %b %Y}: {target}{needed}")
    _print_review_stats(cards)


def _print_review_stats(cards: ReviewStats) -> None:
    retention = f"{cards.retention:.0%}" if cards.retention is not None else "—"
    print(
        f"\nFlashcards: {cards.reviews_today} reviewed today, {cards.total_reviews} in all; "
        f"true retention {retention}"
    )
    print(
        f"  cards: {cards.cards('new')} new, {cards.cards('learning')} learning, "
        f"{cards.cards('review')} in review, {cards.cards('suspended')} suspended"
    )
    week = sum(cards.forecast[:7])
    print(
        f"  due: {cards.forecast[0]} today, {week} within 7 days, {sum(cards.forecast)} within 30"
    )
    print("  per stage (new / learning / review / suspended, retention)")
    for stage in cards.stages:
        kept = f"{stage.retention:.0%}" if stage.retention is not None else "—"
        print(
            f"    {stage.title:<34} {stage.new:5} {stage.learning:5} {stage.review:6} "
            f"{stage.suspended:4}  {kept:>4}"
        )
