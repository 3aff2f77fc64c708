"""The `mlplanner` command: the TUI by default, plain-text jobs as subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .config import ConfigError, resolve_paths
from .curriculum import ContentError, bundled_content_dir, check_directory


def _common() -> argparse.ArgumentParser:
    # SUPPRESS lets the same options appear before or after a subcommand.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: user data dir; env MLPLANNER_DB)",
    )
    common.add_argument(
        "--content",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="extra curriculum folder that adds or overrides stages (env MLPLANNER_CONTENT)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="mlplanner",
        description="A terminal study planner for the path to machine-learning engineer.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"mlplanner {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a throwaway database filled with a few weeks of sample history",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        parents=[common],
        help="validate curriculum files",
        description="Validate curriculum files; prints each problem as path:line: message.",
    )
    check.add_argument("dir", nargs="?", type=Path, help="folder to check (default: bundled)")

    commands.add_parser(
        "doctor",
        parents=[common],
        help="show where data lives and what is stored",
        description="Print the database, config and content locations, schema and counts.",
    )

    log = commands.add_parser(
        "log",
        parents=[common],
        help="log a study session",
        description="Log hours studied, e.g. `mlplanner log 1h30 --topic linear-algebra`.",
    )
    log.add_argument("duration", help="how long: 90m, 1h30, 1.5h, 1:30 or minutes")
    log.add_argument("--topic", help="topic id or title")
    log.add_argument(
        "--at",
        metavar="WHEN",
        help="when it started: now (default: it ended now), 19:00, 'yesterday 19:00', 2026-03-10 18:30",
    )
    log.add_argument("--note", default="", help="a few words on what you did")

    timer = commands.add_parser(
        "timer",
        parents=[common],
        help="start, stop or show the focus timer",
        description="The focus timer, shared with the app: stopping it logs a study session.",
    )
    timer_commands = timer.add_subparsers(dest="timer_command", metavar="ACTION", required=True)
    timer_start = timer_commands.add_parser(
        "start", parents=[common], help="start timing", description="Start the focus timer."
    )
    timer_start.add_argument("--topic", help="topic id or title")
    timer_start.add_argument("--pomodoro", action="store_true", help="25/5 minute rhythm")
    timer_start.add_argument("--note", default="", help="what you are about to do")
    timer_commands.add_parser(
        "stop",
        parents=[common],
        help="stop and log the session",
        description="Stop the focus timer and log what it timed (pauses excluded).",
    )
    timer_commands.add_parser(
        "status", parents=[common], help="show the running timer", description="Show the timer."
    )

    stats = commands.add_parser(
        "stats",
        parents=[common],
        help="progress statistics",
        description="Hours per week, stage and topic, streaks and the projected finish date.",
    )
    stats.add_argument("--json", action="store_true", help="machine-readable output")

    export = commands.add_parser(
        "export",
        parents=[common],
        help="export data",
        description="Export data for other tools.",
    )
    export_commands = export.add_subparsers(dest="export_what", metavar="WHAT", required=True)
    sessions = export_commands.add_parser(
        "sessions",
        parents=[common],
        help="the logbook as CSV",
        description="Write every logged study session as CSV.",
    )
    sessions.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    ics = export_commands.add_parser(
        "ics",
        parents=[common],
        help="study blocks as an iCalendar file",
        description="Write the study blocks as iCalendar (.ics); importing it again updates events.",
    )
    ics.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    settings = commands.add_parser(
        "settings",
        parents=[common],
        help="show or change a setting",
        description=(
            "Without arguments, list the settings. With KEY VALUE, change one, e.g. "
            "`mlplanner settings weekly_target_hours 12` or "
            "`mlplanner settings availability 'mon-fri 19:00-21:00; sat 09:00-13:00'`."
        ),
    )
    settings.add_argument("key", nargs="?", help="setting name")
    settings.add_argument("value", nargs="?", help="new value")

    review = commands.add_parser(
        "review",
        parents=[common],
        help="review the flashcards due today",
        description="Open the review screen on today's cards (all topics, or one topic or stage).",
    )
    scope = review.add_mutually_exclusive_group()
    scope.add_argument("--topic", help="only this topic's cards (id or title)")
    scope.add_argument("--stage", help="only this stage's cards (id)")

    import_ = commands.add_parser(
        "import",
        parents=[common],
        help="import cards",
        description="Import data made elsewhere.",
    )
    import_commands = import_.add_subparsers(dest="import_what", metavar="WHAT", required=True)
    import_cards = import_commands.add_parser(
        "cards",
        parents=[common],
        help="flashcards from CSV/TSV or Anki's text export",
        description=(
            "Add cards from a CSV or TSV file, or from Anki's 'Notes in Plain Text' export "
            "(its #separator, #html, #columns and #tags column header lines are read). "
            "Columns: front, back, and optionally tags and topic. Bad rows are reported by "
            "line and the others imported; importing the same file again adds nothing twice. "
            "Exit status 1 when some rows were bad, 2 when nothing could be read."
        ),
    )
    import_cards.add_argument("file", type=Path, help="the file to read (UTF-8)")
    import_cards.add_argument("--topic", help="topic for rows without a topic column")

    week = commands.add_parser(
        "week",
        parents=[common],
        help="print a week's plan and hours",
        description="The week's study blocks per day, planned and logged hours, and the target.",
    )
    week.add_argument("--date", help="any day of the week to show (default: today)")
    week.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        paths = resolve_paths(getattr(args, "db", None), getattr(args, "content", None))
        if args.command == "check":
            return _check(args.dir)
        if args.command == "doctor":
            return _doctor(paths)
        if args.command in ("log", "timer", "stats", "export", "week", "settings", "import"):
            from . import cli_jobs

            return cli_jobs.run(args, paths, _open)
        if args.demo:
            return _run_demo(paths)
        if args.command == "review":
            return _run_tui(paths, review=(args.topic, args.stage))
        return _run_tui(paths)
    except ConfigError as exc:
        print(f"mlplanner: {exc}", file=sys.stderr)
        return 2


def _check(directory: Path | None) -> int:
    target = directory or bundled_content_dir()
    curriculum, problems = check_directory(target)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {target}", file=sys.stderr)
        return 1
    assert curriculum is not None
    print(f"{target}: ok — {curriculum.summary_line()}")
    return 0


def _open(paths):
    from .planner import open_planner
    from .store import StoreError

    try:
        planner = open_planner(paths)
    except ContentError as exc:
        print("mlplanner: the curriculum has problems:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None
    except StoreError as exc:
        print(f"mlplanner: {exc}", file=sys.stderr)
        return None
    for warning in planner.content_warnings:
        print(f"mlplanner: warning: {warning}", file=sys.stderr)
    return planner


def _doctor(paths) -> int:
    from .services.inventory import counts

    planner = _open(paths)
    if planner is None:
        return 1
    try:
        with planner.session() as session:
            stored = counts(session)
        print(f"database:  {paths.db_url}")
        print(f"config:    {paths.config_file}{'' if paths.config_file.exists() else ' (absent)'}")
        print(f"content:   {bundled_content_dir()}")
        if paths.content_dir:
            print(f"extra:     {paths.content_dir}")
        print(f"schema:    {planner.schema_revision()}")
        print(f"curriculum: {planner.curriculum.summary_line()}")
        for name, value in stored.items():
            print(f"  {name:<16} {value}")
    finally:
        planner.close()
    return 0


def _run_tui(paths, review: tuple[str | None, str | None] | None = None) -> int:
    planner = _open(paths)
    if planner is None:
        return 1
    start = None
    if review is not None:
        from .services.topics import resolve_topic

        topic, stage = review
        try:
            if topic:
                start = ("topic", resolve_topic(planner.curriculum, topic))
            elif stage:
                if stage not in {s.id for s in planner.curriculum.stages}:
                    known = ", ".join(s.id for s in planner.curriculum.stages)
                    raise ValueError(f"no stage '{stage}'; stages: {known}")
                start = ("stage", stage)
            else:
                start = ("all", None)
        except ValueError as exc:
            planner.close()
            print(f"mlplanner: {exc}", file=sys.stderr)
            return 2
    from .tui.app import PlannerApp

    try:
        PlannerApp(planner, start_review=start).run()
    finally:
        planner.close()
    return 0


def _run_demo(paths) -> int:
    import dataclasses
    import tempfile

    from .services.demo import build_demo

    with tempfile.TemporaryDirectory(prefix="mlplanner-demo-") as folder:
        demo_paths = dataclasses.replace(paths, db_url=f"sqlite:///{folder}/demo.db")
        planner = _open(demo_paths)
        if planner is None:
            return 1
        print("Building the demo history…", file=sys.stderr)
        build_demo(planner.session, planner.curriculum, planner.clock(), planner.tz)
        from .tui.app import PlannerApp

        try:
            PlannerApp(planner).run()
        finally:
            planner.close()
    return 0
