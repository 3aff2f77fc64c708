"""`mlplanner doctor`: where data lives and what is stored — looked at, never changed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .registry import Commands

if TYPE_CHECKING:
    from .context import Context


def register(commands: Commands) -> None:
    commands.add(
        "doctor",
        help="show where data lives and what is stored",
        description=(
            "Print the database, config and content locations, schema and counts. "
            "Reads only: a missing database is reported, not created."
        ),
        run=doctor,
    )


def doctor(args: argparse.Namespace, context: Context) -> int:
    from ..curriculum import bundled_content_dir, load_curriculum
    from ..store.engine import SCHEMA_HEAD, display_url, readable_by_others

    paths = context.paths
    print(f"database:  {display_url(paths.db_url)}")
    config = paths.config_file
    print(f"config:    {config}{'' if config.exists() else ' (absent)'}")
    print(f"content:   {bundled_content_dir()}")
    if paths.content_dir:
        print(f"extra:     {paths.content_dir}")
    loaded = load_curriculum(paths.content_dir)
    for problem in loaded.problems + loaded.user_problems:
        print(f"mlplanner: warning: {problem}", file=sys.stderr)
    if loaded.curriculum is not None:
        print(f"curriculum: {loaded.curriculum.summary_line()}")

    warnings = []
    file = _sqlite_file(paths.db_url)
    if file is not None:
        if not file.exists():
            print("schema:    none — the database does not exist yet; mlplanner creates it")
            print("           (private to you) the first time it is used")
            return 0
        for private in (file, file.parent, config):
            if private.exists() and readable_by_others(private):
                warnings.append(f"{private} can be read by other users: chmod go-rwx '{private}'")
    status = _inspect(paths.db_url, SCHEMA_HEAD)
    for line in status:
        print(line)
    for warning in warnings:
        print(f"warning:   {warning}")
    return 0


def _sqlite_file(url: str) -> Path | None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != "sqlite:///:memory:":
        return Path(url.removeprefix(prefix))
    return None


def _inspect(url: str, head: str) -> list[str]:
    from ..services.inventory import database_status

    status = database_status(url, head)
    if status.revision is None:
        return ["schema:    none — an empty database; mlplanner sets it up on first use"]
    if not status.current:
        return [
            f"schema:    {status.revision} (upgraded to {head} the next time mlplanner opens it)"
        ]
    return [f"schema:    {status.revision}", *(f"  {k:<16} {v}" for k, v in status.counts.items())]
