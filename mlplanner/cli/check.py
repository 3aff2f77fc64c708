"""`mlplanner check`: validate curriculum files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .registry import Commands

if TYPE_CHECKING:
    from .context import Context


def register(commands: Commands) -> None:
    parser = commands.add(
        "check",
        help="validate curriculum files",
        description="Validate curriculum files; prints each problem as path:line: message.",
        run=check,
    )
    parser.add_argument("dir", nargs="?", type=Path, help="folder to check (default: bundled)")


def check(args: argparse.Namespace, context: Context) -> int:
    """Exit status 1 when the files have problems: the problems are the command's output."""
    from ..curriculum import bundled_content_dir, check_directory

    target = args.dir or bundled_content_dir()
    curriculum, problems = check_directory(target)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {target}", file=sys.stderr)
        return 1
    assert curriculum is not None
    print(f"{target}: ok — {curriculum.summary_line()}")
    return 0
