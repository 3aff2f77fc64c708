"""The floor for start-up: a bare Textual app that imports SQLModel and opens SQLite.

It paints "loading" at once, reads one row in a worker thread, then shows "streak" —
the same two markers benchmarks/startup.py waits for in mlplanner's own screen."""

from __future__ import annotations

import sys

from sqlmodel import Session, create_engine, text
from textual import work
from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(" mlplanner  loading…", id="line")

    def on_mount(self) -> None:
        self.load()

    @work(thread=True)
    def load(self) -> None:
        engine = create_engine(f"sqlite:///{sys.argv[1]}")
        with Session(engine) as session:
            session.exec(text("SELECT 1")).all()  # type: ignore[call-overload]
        self.call_from_thread(self.query_one("#line", Static).update, " 0 cards due  0d streak")


if __name__ == "__main__":
    Bare().run()
