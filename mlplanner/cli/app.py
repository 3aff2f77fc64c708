"""The full-screen app: `mlplanner`, `mlplanner --demo` and `mlplanner review`."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .registry import Commands

if TYPE_CHECKING:
    from ..config import Paths
    from ..planner import Planner
    from .context import Context


def register(commands: Commands) -> None:
    commands.parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on a throwaway database filled with a few weeks of sample history",
    )
    commands.parser.set_defaults(run=open_app)
    review_ = commands.add(
        "review",
        help="review the flashcards due today",
        description="Open the review screen on today's cards (all topics, or one topic or stage).",
        run=review,
    )
    scope = review_.add_mutually_exclusive_group()
    scope.add_argument("--topic", help="only this topic's cards (id or title)")
    scope.add_argument("--stage", help="only this stage's cards (id)")


def needs_a_terminal() -> None:
    if not (sys.stdout.isatty() and sys.stdin.isatty()):
        from ..errors import BadInput

        raise BadInput(
            "the planner is a full-screen program and needs a terminal; "
            "for scripts use a subcommand (mlplanner --help lists them)"
        )


def open_app(args: argparse.Namespace, context: Context) -> None:
    if args.demo:
        demo(context)
        return
    _run(prepared(context.paths))


def review(args: argparse.Namespace, context: Context) -> None:
    if args.demo:
        demo(context)
        return
    from ..errors import BadInput
    from ..services.topics import resolve_topic

    planner = prepared(context.paths)
    if args.topic:
        start = ("topic", resolve_topic(planner.curriculum, args.topic))
    elif args.stage:
        stages = [s.id for s in planner.curriculum.stages]
        if args.stage not in stages:
            raise BadInput(f"no stage '{args.stage}'; stages: {', '.join(stages)}")
        start = ("stage", args.stage)
    else:
        start = ("all", None)
    _run(planner, start_review=start)


def demo(context: Context) -> None:
    """The app on a temporary database filled with sample history, gone when it closes."""
    import tempfile

    from ..services.demo import build_demo
    from .context import open_planner

    needs_a_terminal()
    with tempfile.TemporaryDirectory(prefix="mlplanner-demo-") as folder:
        paths = context.paths._replace(db_url=f"sqlite:///{folder}/demo.db")
        planner = open_planner(paths)
        try:
            print("Building the demo history…", file=sys.stderr)
            build_demo(planner.session, planner.curriculum, planner.clock(), planner.tz)
            _run(planner)
        finally:
            planner.close()


def prepared(paths: Paths) -> Planner:
    """The planner with its curriculum read and its database not opened yet: the app
    draws first and opens the database in the background."""
    from ..planner import prepare_planner

    return prepare_planner(paths)


def _run(planner: Planner, start_review: tuple[str, str | None] | None = None) -> None:
    needs_a_terminal()
    from ..tui.app import PlannerApp

    app = PlannerApp(planner, start_review=start_review)
    try:
        app.run()
    finally:
        planner.close()
    if app.open_error is not None:  # the database could not be opened: said as before
        raise app.open_error
