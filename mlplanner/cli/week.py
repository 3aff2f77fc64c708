"""`mlplanner week`: a week's study blocks, planned and logged hours, and the target."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    from datetime import date, datetime

    from ..services.projection import Projection
    from ..services.week import WeekView
    from .context import Context
    from .quick import Quick
    from .registry import Commands


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

    quick = context.quick()
    calendar = quick.calendar if quick is not None else context.planner.calendar
    now = context.clock()
    day = (
        calendar.local(parse_moment(args.date, now, calendar.tz)).date()
        if args.date
        else calendar.today(now)
    )
    first = calendar.week_start(day)
    if quick is not None:
        view, projection = _quick_week(quick, first, now)
    else:
        from ..services.stats import study_stats
        from ..services.week import week_view

        planner = context.planner
        with planner.session() as session:
            view = week_view(
                session,
                planner.curriculum,
                first,
                calendar,
                planner.settings.weekly_target_hours,
            )
            # The same projection as `stats` and the main screen (this week's plan,
            # whatever week is shown).
            projection = study_stats(
                session,
                planner.curriculum,
                now,
                calendar,
                planner.settings.weekly_target_hours,
                weeks=1,
            ).projection
    if args.json:
        from .json_output import emit

        emit({**_to_json(view), "projection": projection.to_json()})
        return
    from .output import print_lines

    lines = [
        f"Week of {view.start:%a %d %b %Y}: logged {format_hours(view.logged_hours)}h, "
        f"planned {format_hours(view.planned_hours)}h, target {view.target_hours:g}h"
    ]
    for d in view.days:
        lines.append(
            f"\n{d.day:%a %d %b}  logged {format_hours(d.logged_hours)}h  planned {format_hours(d.planned_hours)}h"
        )
        for o in d.blocks:  # hours and minutes as %H:%M gives them, without strftime
            start, end, flag = o.start, o.end, "  (overlaps)" if o.conflict else ""
            lines.append(
                f"  {start.hour:02d}:{start.minute:02d}-{end.hour:02d}:{end.minute:02d}  "
                f"{o.topic_title}{flag}"
            )
    target = projection.target_words()
    lines.append(
        f"\n{format_hours(projection.remaining_hours, 0)}h of your path left: {projection.finish_words()}"
    )
    if target is not None:
        lines.append(f"target date {projection.target_date}: {target}")
    print_lines(lines)


def _quick_week(quick: Quick, first: date, now: datetime) -> tuple[WeekView, Projection]:
    """The week and the projection as the ordinary path computes them (`week_view`, and
    `study_stats(weeks=1).projection`), from rows read the lean way."""
    from datetime import timedelta

    from ..services.learner import plan_from_settings
    from ..services.projection import (
        hours_per_topic,
        pace_of,
        pace_window,
        project_figures,
        target_date,
        weeks_since,
    )
    from ..services.week import (
        assemble_week,
        block_window,
        in_block_window,
        logged_window,
        planned_per_week,
    )

    store, curriculum, calendar = quick.store, quick.curriculum, quick.calendar
    target = quick.settings.weekly_target_hours
    this_week = calendar.week_start(calendar.today(now))
    last = this_week + timedelta(days=6)
    first_start, shown_last = block_window(first)
    blocks = sorted(store.blocks_until(max(last, shown_last)))  # one read for both, by id
    view = assemble_week(
        [b for b in blocks if in_block_window(b, first_start, shown_last)],
        store.logged_between(*logged_window(first, calendar)),
        curriculum,
        first,
        calendar,
        target,
    )
    planned = planned_per_week(
        [b for b in blocks if b.start_date <= last], this_week, last, calendar
    )
    projection = project_figures(
        curriculum,
        now,
        calendar,
        store.topic_statuses(),
        hours_per_topic(store.seconds_per_topic()),
        planned.get(this_week, 0.0),
        target,
        target_date(quick.settings),
        plan_from_settings(curriculum, quick.raw_settings).topic_ids,
        pace_of(store.seconds_between(*pace_window(calendar, now))),
        weeks_since(store.first_logged(), calendar, now),
    )
    return view, projection


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
