"""The logbook, timer, statistics and export subcommands."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext

from .services import card_import, logbook, review_stats, stats, timer
from .services import settings as settings_service
from .services.calendar_export import export_ics
from .services.durations import InputError, format_duration, parse_duration, parse_moment
from .services.topics import UnknownTopic, resolve_topic
from .services.week import week_view

USAGE_ERROR = 2


def fail(message: str, code: int = USAGE_ERROR) -> int:
    print(f"mlplanner: {message}", file=sys.stderr)
    return code


def run(args, paths, open_planner) -> int:
    planner = open_planner(paths)
    if planner is None:
        return 1
    try:
        handler = {
            "log": _log,
            "timer": _timer,
            "stats": _stats,
            "export": _export,
            "week": _week,
            "settings": _settings,
            "import": _import,
        }[args.command]
        return handler(args, planner)
    finally:
        planner.close()


def _topic(planner, text: str | None) -> str | None:
    return resolve_topic(planner.curriculum, text) if text else None


def _log(args, planner) -> int:
    tz = planner.tz
    try:
        duration = parse_duration(args.duration)
        topic_id = _topic(planner, args.topic)
        started = parse_moment(args.at, planner.clock(), tz) if args.at else None
        with planner.session() as session:
            row = logbook.log_session(
                session, planner.clock, duration, started, topic_id, args.note
            )
    except (InputError, UnknownTopic, logbook.LogError) as exc:
        return fail(str(exc))
    title = planner.curriculum.topic_title(topic_id, "no topic")
    local = row.started_at.astimezone(tz)
    print(
        f"logged {format_duration(duration)} on {title} "
        f"from {local:%a %d %b %Y %H:%M} (session #{row.id})"
    )
    return 0


def _timer(args, planner) -> int:
    tz = planner.tz
    try:
        with planner.session() as session:
            if args.timer_command == "start":
                topic_id = _topic(planner, args.topic)
                running = timer.start(session, planner.clock, topic_id, args.pomodoro, args.note)
                title = planner.curriculum.topic_title(topic_id, "no topic")
                print(f"timer started on {title} at {running.started_at.astimezone(tz):%H:%M}")
            elif args.timer_command == "stop":
                logged = timer.stop(
                    session,
                    planner.clock,
                    settings_service.pomodoro(planner.settings),
                )
                if logged is None:
                    print("timer stopped; under a minute, nothing logged")
                else:
                    print(
                        f"timer stopped: logged {format_duration(logged.duration_s)} "
                        f"(session #{logged.id})"
                    )
            else:
                running = timer.current(session)
                if running is None:
                    print("no timer is running")
                else:
                    now = planner.clock()
                    title = planner.curriculum.topic_title(running.topic_id, "no topic")
                    state = "paused" if running.paused_at else "running"
                    print(
                        f"{state}: {format_duration(timer.active_time(running, now))} on {title}, "
                        f"since {running.started_at.astimezone(tz):%a %H:%M}"
                    )
                    if timer.is_stale(running, now):
                        print("it has run for over 12 hours: `mlplanner timer stop` logs it all")
    except (timer.TimerError, UnknownTopic, logbook.LogError) as exc:
        return fail(str(exc))
    return 0


def _stats(args, planner) -> int:
    settings = planner.settings
    with planner.session() as session:
        figures = stats.study_stats(
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
        print(json.dumps({**figures.to_json(), "reviews": cards.to_json()}, indent=2))
        return 0
    print(
        f"Studied {figures.total_hours:.1f}h in all; target {settings.weekly_target_hours:g}h a week"
    )
    print(f"Streak: {figures.current_streak} days (longest {figures.longest_streak})")
    print("\nHours per week (logged / planned)")
    scale = max([w.logged for w in figures.weeks] + [settings.weekly_target_hours, 1])
    for week in figures.weeks:
        bar = "█" * round(30 * week.logged / scale)
        print(f"  {week.start:%d %b}  {bar:<30} {week.logged:5.1f} / {week.planned:4.1f}")
    print("\nHours per stage (logged / estimated)")
    for share in figures.stages:
        print(f"  {share.title:<36} {share.logged:6.1f} / {share.estimate:6.1f}")
    projection = figures.projection
    print(f"\nRemaining: {projection.remaining_hours:.0f}h of the roadmap")
    for label, pace, when in (
        ("recent pace", projection.pace_recent, projection.finish_recent),
        ("planned pace", projection.pace_planned, projection.finish_planned),
    ):
        finish = f"{when:%d %b %Y}" if when else "never at this pace"
        print(f"  at your {label} ({pace:.1f}h/week): {finish}")
    _print_review_stats(cards)
    return 0


def _print_review_stats(cards) -> None:
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


def _import(args, planner) -> int:
    try:
        with planner.session() as session:
            report = card_import.import_cards(
                session, planner.curriculum, args.file, planner.clock(), args.topic
            )
    except card_import.CardImportError as exc:
        return fail(str(exc))
    for line, message in report.problems:
        print(f"{args.file}:{line}: {message}", file=sys.stderr)
    print(
        f"{args.file}: added {report.added} card(s)"
        + (f", {report.already_there} already there" if report.already_there else "")
        + (f", {len(report.problems)} row(s) skipped" if report.problems else "")
    )
    return 1 if report.problems else 0


def _export(args, planner) -> int:
    if args.export_what == "ics":
        with planner.session() as session:
            data = export_ics(session, planner.curriculum, planner.clock())
        if not args.output:
            sys.stdout.write(data.decode("utf-8"))
            return 0
        try:
            args.output.write_bytes(data)
        except OSError as exc:
            return fail(f"{args.output}: cannot write: {exc.strerror}")
        print(f"wrote {args.output}", file=sys.stderr)
        return 0
    titles = {t.id: t.title for t in planner.curriculum.topics}
    try:
        target = (
            args.output.open("w", newline="", encoding="utf-8")
            if args.output
            else nullcontext(sys.stdout)
        )
    except OSError as exc:
        return fail(f"{args.output}: cannot write: {exc.strerror}")
    with target as out, planner.session() as session:
        count = logbook.export_csv(session, out, titles)
    if args.output:
        print(f"wrote {count} sessions to {args.output}", file=sys.stderr)
    return 0


def _week(args, planner) -> int:
    calendar = planner.calendar
    with planner.session() as session:
        try:
            day = (
                calendar.local(parse_moment(args.date, planner.clock(), calendar.tz)).date()
                if args.date
                else calendar.today(planner.clock())
            )
        except InputError as exc:
            return fail(str(exc))
        view = week_view(
            session,
            planner.curriculum,
            calendar.week_start(day),
            calendar,
            planner.settings.weekly_target_hours,
        )
    if args.json:
        print(
            json.dumps(
                {
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
                },
                indent=2,
            )
        )
        return 0
    print(
        f"Week of {view.start:%a %d %b %Y}: logged {view.logged_hours:.1f}h, "
        f"planned {view.planned_hours:.1f}h, target {view.target_hours:g}h"
    )
    for d in view.days:
        print(f"\n{d.day:%a %d %b}  logged {d.logged_hours:.1f}h  planned {d.planned_hours:.1f}h")
        for o in d.blocks:
            flag = "  (overlaps)" if o.conflict else ""
            print(f"  {o.start:%H:%M}-{o.end:%H:%M}  {o.topic_title}{flag}")
    return 0


def _settings(args, planner) -> int:
    import dataclasses

    with planner.session() as session:
        current = settings_service.load(session)
        fields = {f.name: f for f in dataclasses.fields(current)}
        if args.key is None:
            for name in fields:
                print(f"{name:<22} {getattr(current, name)}")
            return 0
        if args.key not in fields:
            return fail(f"no setting '{args.key}'; the settings are: {', '.join(fields)}")
        if args.value is None:
            print(getattr(current, args.key))
            return 0
        kind = type(getattr(current, args.key))
        try:
            value = kind(args.value)
        except ValueError:
            return fail(f"{args.key} takes a {kind.__name__}, not '{args.value}'")
        try:
            settings_service.update(session, **{args.key: value})
        except ValueError as exc:
            return fail(str(exc))
    print(f"{args.key} = {value}")
    return 0
