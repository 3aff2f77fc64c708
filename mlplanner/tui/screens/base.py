"""What every screen of the planner shares: the planner, and one way of meeting failure.

A screen loads its data in a worker (`@work(..., exit_on_error=False)`). When a worker
fails, the screen says so twice: a notification naming what failed, and a line in place
of every placeholder marked with the `pending` class, so nothing hangs on "Loading…".
"""

from __future__ import annotations

from textual.screen import ModalScreen, Screen, ScreenResultType
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from ..context import UsesPlanner
from ..errors import error_text, notify_error
from ..text import plain


class HandlesFailures(UsesPlanner):
    """Mixed into screens: a failed worker is reported, never left pending."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        notify_error(self, error)
        self.show_failure(event.worker, error)

    def show_failure(self, worker: Worker, error: BaseException | None) -> None:
        """Put what failed in place of the loading text."""
        what = worker.description or "Loading"
        line = plain(f"✗ {what} failed: {error_text(error)}", "bold red", one_line=True, limit=500)
        for placeholder in self.query(".pending").results(Static):
            show = getattr(placeholder, "show_failure", None)  # widgets that repaint themselves
            if show is not None:
                show(line)
            else:
                placeholder.update(line)


class PlannerScreen(HandlesFailures, Screen[ScreenResultType]):
    """A full screen of the planner."""


class PlannerModal(HandlesFailures, ModalScreen[ScreenResultType]):
    """A dialog of the planner."""
