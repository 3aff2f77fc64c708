"""`mlplanner doctor`: where data lives and what is stored."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from .registry import Commands

if TYPE_CHECKING:
    from .context import Context


def register(commands: Commands) -> None:
    commands.add(
        "doctor",
        help="show where data lives and what is stored",
        description="Print the database, config and content locations, schema and counts.",
        run=doctor,
    )


def doctor(args: argparse.Namespace, context: Context) -> None:
    from ..curriculum import bundled_content_dir
    from ..services.inventory import counts

    planner = context.planner
    paths = context.paths
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
