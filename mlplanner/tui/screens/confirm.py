"""A yes/no question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..text import plain


class Confirm(ModalScreen[bool]):
    """A question answered yes (y) or no (n, escape). The buttons may say what yes and no
    mean here ("Discard", "Keep timing"); the keys stay y and n."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm-yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm-no"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(plain(self.question, limit=1000), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button(plain(f"{self.yes}  y", one_line=True), variant="error", id="yes")
                yield Button(plain(f"{self.no}  n", one_line=True), id="no")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
