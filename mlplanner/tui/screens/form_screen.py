"""One shape for every form: save (ctrl+s), cancel (esc), and a line saying what is wrong."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ScreenResultType
from textual.widgets import Button, Input, Static

from ...errors import PlannerError
from ..text import clean, plain, say
from .base import PlannerModal


def topic_field(curriculum, topic: str) -> str:
    """A topic for a form's field: its title, or its id when the title would not show as
    it is stored (so saving the form still finds the topic)."""
    shown = clean(topic, one_line=True)
    if shown == topic:
        return topic
    found = next((t for t in curriculum.topics if t.title == topic), None)
    return found.id if found is not None else shown


def suggestions(names) -> list[str]:
    """Topic names offered as completions, cleaned like any outside text."""
    return [clean(name, one_line=True) for name in names]


class FormScreen(PlannerModal[ScreenResultType]):
    """A dialog that returns checked values, or None when cancelled; it stores nothing.

    Subclasses compose their fields, then `error_line()` and `buttons()`, and implement
    `check()`, which reads the fields and raises a PlannerError saying what is wrong."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form-cancel"),
        Binding("ctrl+s", "save", "Save", id="form-save"),
    ]
    SAVE_ON_ENTER = True  # enter in a one-line field saves, as ctrl+s does

    def check(self) -> ScreenResultType:
        raise NotImplementedError

    def error_line(self, id: str) -> Static:
        return Static("", id=id, classes="form-error")

    def buttons(self, prefix: str) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button(
                "Save  ctrl+s", variant="primary", id=f"{prefix}-save", classes="form-save"
            )
            yield Button("Cancel  esc", id=f"{prefix}-cancel", classes="form-cancel")

    def show_error(self, message: str) -> None:
        self.query_one(".form-error", Static).update(plain(f"✗ {message}", limit=500))

    # Given, called with the checked values before the form closes; if it fails (a busy or
    # read-only database), the form stays open with what was typed and says why.
    save: Callable[[ScreenResultType], object] | None = None

    def action_save(self) -> None:
        try:
            values = self.check()
        except PlannerError as exc:
            self.show_error(str(exc))
            return
        if self.save is not None:
            try:
                self.save(values)
            except PlannerError as exc:
                self.show_error(f"Not saved: {exc}")
                say(self, str(exc), title=exc.title, severity="error")
                return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        if self.SAVE_ON_ENTER:
            self.action_save()

    @on(Button.Pressed, ".form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, ".form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
