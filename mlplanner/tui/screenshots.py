"""Write an SVG of every screen, from the demo history at a fixed moment: `make screenshots`."""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..clock import FixedClock
from ..config import UserConfig, resolve_paths
from ..planner import open_planner
from ..services.demo import build_demo
from .app import PlannerApp

MOMENT = datetime(2026, 3, 11, 15, 30, tzinfo=UTC)
ZONE = ZoneInfo("Europe/Berlin")

# (file name, terminal size, keys pressed before the shot)
SHOTS = [
    ("main-160x50.svg", (160, 50), []),
    ("main-120x40.svg", (120, 40), []),
    ("main-80x24.svg", (80, 24), []),
    ("help.svg", (100, 34), ["question_mark"]),
    ("review.svg", (100, 30), ["r", "space"]),
    ("cards.svg", (120, 34), ["b"]),
    ("stats.svg", (120, 70), ["g"]),
    ("settings.svg", (100, 34), ["comma"]),
]

# The setup a new database opens: (file name, terminal size, keys pressed before the shot)
SETUP_SHOTS = [
    ("setup-path.svg", (120, 40), ["down", "down"]),
    ("setup-electives.svg", (120, 40), ["down", "down", "enter"]),
    ("setup-known.svg", (120, 40), ["enter", "ctrl+s", "ctrl+a"]),
    (
        "setup-week.svg",
        (120, 40),
        ["enter", "ctrl+s", "ctrl+a", "ctrl+s", "tab", "tab", "end", *"2028-03-11", "ctrl+t"],
    ),
    ("setup-blocks.svg", (120, 40), ["enter", "ctrl+s", "ctrl+s", "ctrl+s"]),
]


async def _settle(app, pilot) -> None:
    """Let the screens load; the setup's own worker waits on the learner, so not on it."""
    for _ in range(2):
        await pilot.pause()
        for worker in list(app.workers):
            if worker.group != "setup" and not worker.is_finished:
                await worker.wait()
    await pilot.pause()


async def _shoot(planner, target: Path, size, keys) -> None:
    app = PlannerApp(planner, tz=ZONE, user_config=UserConfig())
    async with app.run_test(size=size) as pilot:
        await _settle(app, pilot)
        random.seed(5)  # the intervals on the review buttons are fuzzed
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            if key.startswith("ctrl+s") or key == "enter":
                await _settle(app, pilot)
        await _settle(app, pilot)
        app.save_screenshot(filename=target.name, path=str(target.parent))


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        clock = FixedClock(MOMENT)
        planner = open_planner(resolve_paths(db=f"{folder}/shots.db"), clock)
        build_demo(planner.session, planner.curriculum, clock(), ZONE)
        try:
            for name, size, keys in SHOTS:
                asyncio.run(_shoot(planner, out / name, size, keys))
                print(f"wrote {out / name}")
        finally:
            planner.close()
        for index, (name, size, keys) in enumerate(SETUP_SHOTS):
            fresh = open_planner(resolve_paths(db=f"{folder}/new-{index}.db"), clock)
            try:
                asyncio.run(_shoot(fresh, out / name, size, keys))
                print(f"wrote {out / name}")
            finally:
                fresh.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
