"""Every key on one screen."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..context import UsesPlanner
from ..keys import APP_KEYS, MAIN_KEYS, WIDGET_KEYS


def screen_keys() -> list[tuple[str, list[Binding]]]:
    """The keys of the screens opened from the main one, as each screen binds them."""
    from .card_browser import CardBrowser
    from .review_screen import ReviewScreen

    return [("Review screen", ReviewScreen.BINDINGS), ("Card browser", CardBrowser.BINDINGS)]


def key_table(overrides: dict[str, str]) -> Table:
    """Keys by group; binding ids are shown so a learner knows what to rebind."""
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 1), expand=True)
    table.add_column("key", style="bold", no_wrap=True, min_width=14)
    table.add_column("what it does", ratio=1)
    table.add_column("id", style="dim", no_wrap=True)
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for group, key, description in APP_KEYS:
        groups.setdefault(group, []).append((key, description, ""))
    for group, binding, title in MAIN_KEYS:
        key = overrides.get(binding.id or "", binding.key_display or binding.key)
        groups.setdefault(group, []).append((key, title or binding.description, binding.id or ""))
    for group, key, description in WIDGET_KEYS:
        groups.setdefault(group, []).append((key, description, ""))
    for group, bindings in screen_keys():
        for binding in bindings:
            key = overrides.get(binding.id or "", binding.key_display or binding.key)
            groups.setdefault(group, []).append((key, binding.description, binding.id or ""))
    for index, (group, rows) in enumerate(groups.items()):
        if index:
            table.add_row("", "", "")
        table.add_row(Text(group, style="bold underline"), "", "")
        for key, description, binding_id in rows:
            table.add_row(key, description, binding_id)
    return table


class HelpScreen(UsesPlanner, ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="close-help"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("f1", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(key_table(self.planner.user_config.keys), id="help-table")
            yield Static(
                Text('esc closes · rebind keys in config.toml: [keys] binding-id = "key"', "dim"),
                id="help-footer",
            )
