"""What to do with a session that overlaps one already logged: adjust, keep both, cancel."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from ...services.durations import format_duration
from .base import PlannerModal


def span(start: datetime, end: datetime, tz: tzinfo) -> str:
    """`Wed 11 Mar 19:00–20:30` (the end's day is named when it is another day)."""
    begin, finish = start.astimezone(tz), end.astimezone(tz)
    last = f"{finish:%H:%M}" if finish.date() == begin.date() else f"{finish:%a %d %b %H:%M}"
    return f"{begin:%a %d %b %H:%M}–{last}"


class OverlapQuestion(PlannerModal[str | None]):
    """Returns 'adjust', 'keep' or None (cancel: nothing is stored, the form stays open).

    Adjust stores the session in the free time next to the one it overlaps (shortened, or
    moved when logged time covers all of it); the dialog shows that time before anything
    is stored, and offers no adjusting when there is none."""

    BINDINGS = [
        Binding("a", "answer('adjust')", "Adjust", id="overlap-adjust"),
        Binding("k", "answer('keep')", "Keep both", id="overlap-keep"),
        Binding("escape,c", "answer(None)", "Cancel", id="overlap-cancel"),
    ]

    def __init__(
        self,
        new: tuple[datetime, timedelta],
        existing_id: int | None,
        existing: tuple[datetime, datetime],
        adjusted: tuple[datetime, timedelta] | None,
    ) -> None:
        super().__init__()
        self.new, self.existing_id, self.existing = new, existing_id, existing
        self.adjusted = adjusted

    def describe(self) -> Text:
        tz = self.planner.tz
        start, length = self.new
        text = Text()
        text.append("This session overlaps one already logged\n", "bold")
        text.append(f"  new     {span(start, start + length, tz)} ({format_duration(length)})\n")
        text.append(f"  logged  #{self.existing_id}, {span(*self.existing, tz)}\n\n")
        if self.adjusted is None:
            text.append("No free time next to it is left to adjust to.", "italic")
        else:
            begin, minutes = self.adjusted
            text.append("Adjust to ")
            text.append(f"{span(begin, begin + minutes, tz)} ({format_duration(minutes)})", "bold")
            text.append(", the free time next to it?")
        return text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="overlap-dialog"):
            yield Static(self.describe(), id="overlap-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    "Adjust  a",
                    variant="primary",
                    id="adjust",
                    disabled=self.adjusted is None,
                )
                yield Button("Keep both  k", id="keep", variant="warning")
                yield Button("Cancel  esc", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#adjust" if self.adjusted is not None else "#cancel", Button).focus()

    def action_answer(self, answer: str | None) -> None:
        if answer == "adjust" and self.adjusted is None:
            self.notify("No free time next to it: keep both or cancel.", severity="warning")
            return
        self.dismiss(answer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(None if event.button.id == "cancel" else event.button.id)
