"""`mlplanner timer start|stop|status`: the focus timer shared with the app.

`timer status` may run from a shell prompt on every command or a status bar every few
seconds, so it reads the timer the quick way (`quick.py`) when the database allows, and
the curriculum only for a topic's title, from its cache.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    from datetime import datetime, tzinfo

    from ..services.timer import Pomodoro, TimerTimes
    from .context import Context
    from .registry import Commands


def register(commands: Commands) -> None:
    from .timer_help import PomodoroFlag

    parser = commands.add(
        "timer",
        help="start, stop or show the focus timer",
        description="The focus timer, shared with the app: stopping it logs a study session.",
    )
    actions = commands.group(parser, dest="timer_command", metavar="ACTION")
    start_ = actions.add(
        "start", help="start timing", description="Start the focus timer.", run=start
    )
    start_.add_argument("--topic", help="topic id or title")
    start_.add_argument("--pomodoro", action=PomodoroFlag, argv=commands.argv)
    start_.add_argument("--note", default="", help="what you are about to do")
    actions.add(
        "stop",
        help="stop and log the session",
        description="Stop the focus timer and log what it timed (pauses excluded).",
        run=stop,
    )
    actions.add("status", help="show the running timer", description="Show the timer.", run=status)


def start(args: argparse.Namespace, context: Context) -> None:
    from ..services import timer
    from ..services.topics import resolve_topic

    planner = context.planner
    topic_id = resolve_topic(planner.curriculum, args.topic) if args.topic else None
    with planner.session() as session:
        running = timer.start(session, planner.clock, topic_id, args.pomodoro, args.note)
        title = planner.curriculum.topic_title(topic_id, "no topic")
        print(f"timer started on {title} at {running.started_at.astimezone(planner.tz):%H:%M}")


def stop(args: argparse.Namespace, context: Context) -> None:
    from ..services import timer
    from ..services.durations import format_duration
    from ..services.settings import pomodoro

    planner = context.planner
    with planner.session() as session:
        logged = timer.stop(session, planner.clock, pomodoro(planner.settings))
    if logged is None:
        print("timer stopped; under a minute, nothing logged")
    else:
        print(f"timer stopped: logged {format_duration(logged.duration_s)} (session #{logged.id})")


def status(args: argparse.Namespace, context: Context) -> None:
    quick = context.quick()
    if quick is not None:
        # No timer (what a status bar mostly sees): answered before the services load.
        running: TimerTimes | None = quick.store.timer()
        if running is None:
            print("no timer is running")
            return
        settings, tz = quick.settings, quick.tz
        title = quick.topic_title(running.topic_id, "no topic")
    else:
        from ..services import timer

        planner = context.planner
        with planner.session() as session:
            running = timer.current(session)
        if running is None:
            print("no timer is running")
            return
        settings, tz = planner.settings, planner.tz
        title = planner.curriculum.topic_title(running.topic_id, "no topic")
    from ..services.settings import pomodoro

    for line in status_lines(running, context.clock(), tz, title, pomodoro(settings)):
        print(line)


def status_lines(
    running: TimerTimes, now: datetime, tz: tzinfo, title: str, rhythm: Pomodoro
) -> list[str]:
    """What `timer status` prints about a timer, whichever way it was read."""
    from ..services import timer

    active = timer.active_time(running, now)
    state = "paused" if running.paused_at else "running"
    lines = [
        f"{state}: {timer.clock_text(active)} on {title}, "
        f"since {running.started_at.astimezone(tz):%a %H:%M}"
    ]
    if running.pomodoro:
        lines.append(f"pomodoro: {timer.phase_words(timer.phase(active, rhythm), rhythm)}")
    if timer.is_stale(running, now):
        lines.append("it has run for over 12 hours: `mlplanner timer stop` logs it all")
    return lines
