"""Every key on one screen."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import APP_KEYS, MAIN_KEYS, WIDGET_KEYS


def key_table(overrides: dict[str, str]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=True)
    table.add_column("group", style="bold", no_wrap=True)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("what it does")
    rows = [(g, k, d) for g, k, d in APP_KEYS]
    for group, binding, title in MAIN_KEYS:
        key = overrides.get(binding.id or "", binding.key_display or binding.key)
        rows.append((group, key, title or binding.description))
    rows += WIDGET_KEYS
    order = ["App", "Roadmap", "Week", "Resources", "Panes"]
    rows.sort(key=lambda r: order.index(r[0]) if r[0] in order else len(order))
    previous = None
    for group, key, description in rows:
        table.add_row(group if group != previous else "", key, description)
        previous = group
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="close-help"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("f1", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(key_table(self.app.user_config.keys), id="help-table")
            yield Static(
                Text('esc closes · rebind keys in config.toml: [keys] binding-id = "key"', "dim"),
                id="help-footer",
            )
