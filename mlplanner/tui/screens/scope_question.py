"""Which occurrences of a recurring block a change applies to."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ScopeQuestion(ModalScreen[str | None]):
    """Returns 'one', 'following' or 'series'; None when cancelled."""

    BINDINGS = [
        Binding("o", "pick('one')", "This one", id="scope-one"),
        Binding("f", "pick('following')", "This and following", id="scope-following"),
        Binding("s", "pick('series')", "Whole series", id="scope-series"),
        Binding("escape", "pick(None)", "Cancel", id="scope-cancel"),
    ]

    def __init__(self, verb: str) -> None:
        super().__init__()
        self.verb = verb

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(f"{self.verb} a repeating block:", classes="dialog-title", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("This one  o", id="one")
                yield Button("This & following  f", id="following")
                yield Button("Whole series  s", id="series", variant="warning")

    def action_pick(self, scope: str | None) -> None:
        self.dismiss(scope)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)
