"""`mlplanner week`: a week's study blocks, planned and logged hours, and the target."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .json_output import emit
from .registry import Commands

if TYPE_CHECKING:
    from ..services.week import WeekView
    from .context import Context


def register(commands: Commands) -> None:
    parser = commands.add(
        "week",
        help="print a week's plan and hours",
        description="The week's study blocks per day, planned and logged hours, and the target.",
        run=week,
    )
    parser.add_argument("--date", help="any day of the week to show (default: today)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def week(args: argparse.Namespace, context: Context) -> None:
    from ..services.durations import format_hours, parse_moment
    from ..services.stats import study_stats
    from ..services.week import week_view

    planner = context.planner
    calendar = planner.calendar
    now = planner.clock()
    day = (
        calendar.local(parse_moment(args.date, now, calendar.tz)).date()
        if args.date
        else calendar.today(now)
    )
    with planner.session() as session:
        view = week_view(
            session,
            planner.curriculum,
            calendar.week_start(day),
            calendar,
            planner.settings.weekly_target_hours,
        )
        # The same projection as `stats` and the main screen (this week's plan, whatever
        # week is shown).
        projection = study_stats(
            session,
            planner.curriculum,
            now,
            calendar,
            planner.settings.weekly_target_hours,
            weeks=1,
        ).projection
    if args.json:
        emit({**_to_json(view), "projection": projection.to_json()})
        return
    print(
        f"Week of {view.start:%a %d %b %Y}: logged {format_hours(view.logged_hours)}h, "
        f"planned {format_hours(view.planned_hours)}h, target {view.target_hours:g}h"
    )
    for d in view.days:
        print(
            f"\n{d.day:%a %d %b}  logged {format_hours(d.logged_hours)}h  planned {format_hours(d.planned_hours)}h"
        )
        for o in d.blocks:
            flag = "  (overlaps)" if o.conflict else ""
            print(f"  {o.start:%H:%M}-{o.end:%H:%M}  {o.topic_title}{flag}")
    target = projection.target_words()
    print(
        f"\n{format_hours(projection.remaining_hours, 0)}h of your path left: {projection.finish_words()}"
    )
    if target is not None:
        print(f"target date {projection.target_date}: {target}")


def _to_json(view: WeekView) -> dict:
    return {
        "start": view.start.isoformat(),
        "target_hours": view.target_hours,
        "planned_hours": round(view.planned_hours, 2),
        "logged_hours": round(view.logged_hours, 2),
        "days": [
            {
                "date": d.day.isoformat(),
                "planned_hours": round(d.planned_hours, 2),
                "logged_hours": round(d.logged_hours, 2),
                "blocks": [
                    {
                        "block_id": o.block_id,
                        "start": o.start.isoformat(),
                        "end": o.end.isoformat(),
                        "topic_id": o.topic_id,
                        "topic": o.topic_title,
                        "recurring": o.recurring,
                        "conflict": o.conflict,
                    }
                    for o in d.blocks
                ],
            }
            for d in view.days
        ],
    }
