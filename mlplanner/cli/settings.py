"""`mlplanner settings [KEY [VALUE]]`: list, show or change a setting."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .registry import Commands

if TYPE_CHECKING:
    from .context import Context


def register(commands: Commands) -> None:
    parser = commands.add(
        "settings",
        help="show or change a setting",
        description=(
            "Without arguments, list the settings. With KEY VALUE, change one, e.g. "
            "`mlplanner settings weekly_target_hours 12` or "
            "`mlplanner settings availability 'mon-fri 19:00-21:00; sat 09:00-13:00'`, "
            "`mlplanner settings time_zone Europe/Paris` (empty: the system's zone), "
            "`mlplanner settings target_date 2027-12-31` (empty: none)."
        ),
        run=settings,
    )
    parser.add_argument("key", nargs="?", help="setting name")
    parser.add_argument("value", nargs="?", help="new value")


def settings(args: argparse.Namespace, context: Context) -> None:
    from ..errors import BadInput, PlannerError

    planner = context.planner
    current = planner.settings
    names = list(current._fields)
    if args.key is None:
        for name in names:
            print(f"{name:<22} {getattr(current, name)}")
        return
    if args.key not in names:
        raise BadInput(f"no setting '{args.key}'; the settings are: {', '.join(names)}")
    if args.value is None:
        print(getattr(current, args.key))
        return
    kind = type(getattr(current, args.key))
    try:
        value = kind(args.value)
    except ValueError:
        raise BadInput(f"{args.key} takes a {kind.__name__}, not '{args.value}'") from None
    if args.key == "theme":
        from ..tui.themes import THEME_NAMES, is_theme

        if not is_theme(value):
            raise BadInput(f"no theme '{value}'; the themes are: {', '.join(THEME_NAMES)}")
    try:
        planner.update_settings(**{args.key: value})
    except PlannerError:
        raise
    except ValueError as exc:  # the settings' own validation names what is wrong
        raise BadInput(str(exc)) from None
    print(f"{args.key} = {value}")
