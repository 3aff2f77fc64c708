"""Every key of the app in one table: bindings, help groups and palette names.

Each binding has an id so a learner can rebind it from config.toml ([keys] id = "key").
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.binding import Binding
from textual.screen import Screen

# (group shown in help, binding, name in the command palette or None to leave it out)
MAIN_KEYS: list[tuple[str, Binding, str | None]] = [
    (
        "Roadmap",
        Binding("slash", "find_topic", "Find", key_display="/", id="find-topic"),
        "Find a topic",
    ),
    (
        "Roadmap",
        Binding("i", "set_status('in_progress')", "Started", id="mark-in-progress"),
        "Mark topic in progress",
    ),
    ("Roadmap", Binding("d", "set_status('done')", "Done", id="mark-done"), "Mark topic done"),
    (
        "Roadmap",
        Binding("x", "set_status('skipped')", "Skip", show=False, id="mark-skipped"),
        "Mark topic skipped",
    ),
    (
        "Roadmap",
        Binding("n", "set_status('not_started')", "Not started", show=False, id="mark-not-started"),
        "Mark topic not started",
    ),
    (
        "Roadmap",
        Binding(
            "minus",
            "collapse_all",
            "Collapse all",
            key_display="-",
            show=False,
            id="collapse-stages",
        ),
        "Collapse all stages",
    ),
    (
        "Roadmap",
        Binding(
            "plus", "expand_all", "Expand all", key_display="+", show=False, id="expand-stages"
        ),
        "Expand all stages",
    ),
    (
        "Week",
        Binding("left_square_bracket", "week(-1)", "◀ Week", key_display="[", id="previous-week"),
        "Previous week",
    ),
    (
        "Week",
        Binding("right_square_bracket", "week(1)", "Week ▶", key_display="]", id="next-week"),
        "Next week",
    ),
    ("Week", Binding("w", "week(0)", "This week", show=False, id="this-week"), "Back to this week"),
    (
        "Week",
        Binding("a", "add_block", "Add block", show=False, id="add-block"),
        "Add a study block",
    ),
    (
        "Week",
        Binding("e", "edit_block", "Edit block", show=False, id="edit-block"),
        "Edit or move the highlighted block",
    ),
    (
        "Week",
        Binding("delete", "delete_block", "Delete block", show=False, id="delete-block"),
        "Delete the highlighted block",
    ),
    (
        "Week",
        Binding("A", "plan_week", "Plan week", key_display="A", show=False, id="plan-week"),
        "Plan my week",
    ),
    (
        "Week",
        Binding("ctrl+e", "export_ics", "Export .ics", show=False, id="export-ics"),
        "Export the study plan as .ics",
    ),
    (
        "Resources",
        Binding("o", "open_resource", "Open", show=False, id="open-resource"),
        "Open the highlighted resource",
    ),
    (
        "Resources",
        Binding("m", "toggle_resource", "Mark read", show=False, id="toggle-resource"),
        "Mark resource done / not done",
    ),
    ("Log", Binding("l", "log_session", "Log", id="log-session"), "Log a study session"),
    (
        "Log",
        Binding("h", "history", "History", show=False, id="history"),
        "Logbook: edit and delete sessions",
    ),
    (
        "Log",
        Binding("s", "toggle_timer", "Timer", id="toggle-timer"),
        "Start / stop the focus timer",
    ),
    (
        "Log",
        Binding("p", "pause_timer", "Pause", show=False, id="pause-timer"),
        "Pause / resume the focus timer",
    ),
    (
        "Log",
        Binding(
            "S", "start_pomodoro", "Pomodoro", key_display="S", show=False, id="start-pomodoro"
        ),
        "Start a Pomodoro timer (25/5)",
    ),
    ("Log", Binding("g", "statistics", "Stats", id="statistics"), "Statistics"),
    (
        "Cards",
        Binding("r", "review('all')", "Review", id="review-all"),
        "Review the cards due today",
    ),
    (
        "Cards",
        Binding(
            "R",
            "review('selection')",
            "Review topic",
            key_display="R",
            show=False,
            id="review-selection",
        ),
        "Review the highlighted topic or stage",
    ),
    (
        "Cards",
        Binding("c", "add_card", "Add card", show=False, id="add-card"),
        "Add a card to the highlighted topic",
    ),
    (
        "Cards",
        Binding("b", "browse_cards", "Cards", show=False, id="browse-cards"),
        "Card browser: search, edit, suspend, reset",
    ),
    (
        "Panes",
        Binding("1", "focus_pane('roadmap')", "Roadmap", show=False, id="focus-roadmap"),
        "Go to the roadmap",
    ),
    (
        "Panes",
        Binding("2", "focus_pane('week')", "Week", show=False, id="focus-week"),
        "Go to the week",
    ),
    (
        "Panes",
        Binding("3", "focus_pane('resources')", "Resources", show=False, id="focus-resources"),
        "Go to the resources",
    ),
]

# Keys handled by widgets themselves, listed so the help screen is complete.
WIDGET_KEYS: list[tuple[str, str, str]] = [
    ("Roadmap", "enter / space", "Open or close a stage; choose a topic"),
    ("Roadmap", "up / down", "Move in the roadmap"),
    ("Roadmap", "escape", "Leave the topic filter"),
    ("Resources", "enter", "Open the highlighted resource in the browser"),
    ("Week", "enter", "Edit the highlighted block; on a day, add one"),
    ("Panes", "tab / shift+tab", "Next / previous pane"),
    ("App", "ctrl+p", "Command palette: every action by name, and themes"),
]

APP_KEYS: list[tuple[str, str, str]] = [
    ("App", "? / f1", "This help"),
    ("App", "ctrl+q", "Quit"),
]


def main_bindings() -> list[Binding]:
    return [binding for _group, binding, _title in MAIN_KEYS]


def palette_actions(screen: Screen) -> Iterable[tuple[str, str, str]]:
    """(title, help, action) for the palette, for the actions the screen offers."""
    from .screens.main_screen import MainScreen

    if not isinstance(screen, MainScreen):
        return
    for group, binding, title in MAIN_KEYS:
        if title:
            yield title, f"{group} · key {binding.key_display or binding.key}", binding.action
