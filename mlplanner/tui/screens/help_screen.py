"""Every key on one screen, read from the bindings as they are at run time."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.widgets import Static

from ..keys import APP_TITLES, MAIN_KEYS, WIDGET_KEYS, bound_keys
from ..text import plain
from .base import PlannerModal


def screen_groups() -> list[tuple[str, type[DOMNode]]]:
    """Every screen and dialog, under the heading its keys get in help (the main screen's
    keys have groups of their own, from keys.MAIN_KEYS)."""
    from .card_browser import CardBrowser, CardDetail
    from .confirm import Confirm
    from .form_screen import FormScreen
    from .history_screen import HistoryScreen
    from .overlap_question import OverlapQuestion
    from .plan_proposal import PlanProposal
    from .review_screen import ReviewScreen
    from .scope_question import ScopeQuestion
    from .setup_steps import KnownStep, TargetStep
    from .stats_screen import StatsScreen

    return [
        ("Review screen", ReviewScreen),
        ("Card browser", CardBrowser),
        ("Card details", CardDetail),
        ("Logbook", HistoryScreen),
        ("Statistics", StatsScreen),
        ("Forms", FormScreen),
        ("Overlapping session", OverlapQuestion),
        ("Plan my week", PlanProposal),
        ("Setup: what you know", KnownStep),
        ("Setup: your week", TargetStep),
        ("Questions", Confirm),
        ("Repeating blocks", ScopeQuestion),
        ("Help", HelpScreen),
    ]


def key_table(app_class: type[App[object]], keymap: Mapping[str, str]) -> Table:
    """Keys by group; binding ids are shown so a learner knows what to rebind."""
    from .main_screen import MainScreen

    table = Table(box=None, show_header=False, padding=(0, 2, 0, 1), expand=True)
    table.add_column("key", style="bold", min_width=14, max_width=15)
    table.add_column("what it does", ratio=1)
    table.add_column("id", style="dim", no_wrap=True)
    groups: dict[str, list[tuple[str, str, str]]] = {}
    app_rows: dict[str, tuple[list[str], list[str]]] = {}  # ? and f1 both open help
    for row in sorted(bound_keys(app_class, keymap), key=lambda row: row.action != "help"):
        keys, ids = app_rows.setdefault(APP_TITLES.get(row.action, row.description), ([], []))
        keys.append(row.keys)
        ids.append(row.binding_id)
    for description, (keys, ids) in app_rows.items():
        groups.setdefault("App", []).append((" / ".join(keys), description, " ".join(ids)))
    main_rows = {row.binding_id: row for row in bound_keys(MainScreen, keymap)}
    for group, binding, title in MAIN_KEYS:
        row = main_rows[binding.id or ""]
        groups.setdefault(group, []).append((row.keys, title or row.description, row.binding_id))
    for group, key, description in WIDGET_KEYS:
        groups.setdefault(group, []).append((key, description, ""))
    for group, screen_class in screen_groups():
        for row in bound_keys(screen_class, keymap):
            groups.setdefault(group, []).append((row.keys, row.description, row.binding_id))
    for index, (group, rows) in enumerate(groups.items()):
        if index:
            table.add_row("", "", "")
        table.add_row(Text(group, style="bold underline"), "", "")
        for key, description, binding_id in rows:
            table.add_row(plain(key, one_line=True), Text(description), Text(binding_id))
    return table


class HelpScreen(PlannerModal[None]):
    CSS_PATH = "help_screen.tcss"
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="close-help"),
        Binding("question_mark", "dismiss", "Close", key_display="?", show=False),
        Binding("f1", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(key_table(type(self.app), self.planner_app.keymap), id="help-table")
            yield Static(
                Text('esc closes · rebind keys in config.toml: [keys] binding-id = "key"', "dim"),
                id="help-footer",
            )
