"""Every key of the main screen in one table (bindings, help groups, palette names), and
the reading of any screen's bindings that help and the palette share.

Each binding has an id so a learner can rebind it from config.toml ([keys] id = "key");
help and the palette apply that keymap, so they show the keys as rebound.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
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
        Binding("v", "toggle_off_path", "Path only", show=False, id="toggle-off-path"),
        "Hide / show topics off your path",
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
        Binding("u", "undo_block_delete", "Undo delete", show=False, id="undo-block-delete"),
        "Undo the last block deletion",
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
        "Start a Pomodoro timer (lengths in settings)",
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
        "Plan",
        Binding("P", "setup", "Set up", key_display="P", show=False, id="setup-plan"),
        "Set up my plan",
    ),
    (
        "Plan",
        Binding("comma", "settings", "Settings", key_display=",", show=False, id="settings"),
        "Settings",
    ),
    (
        "Plan",
        Binding("f2", "settings", "Settings", show=False, id="settings-f2"),
        None,
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

# What the app's own bindings are called in help and the palette, by action.
APP_TITLES = {"help": "This help", "quit": "Quit"}


def main_bindings() -> list[Binding]:
    return [binding for _group, binding, _title in MAIN_KEYS]


def key_text(binding: Binding) -> str:
    return binding.key_display or binding.key


def key_for(node_class: type[DOMNode], binding_id: str, keymap: Mapping[str, str]) -> str:
    """The key(s) of one binding as the learner has them (after the keymap), for notices
    such as "block deleted — u to undo"."""
    for row in bound_keys(node_class, keymap):
        if row.binding_id == binding_id:
            return row.keys
    raise KeyError(binding_id)


@dataclass(frozen=True)
class KeyRow:
    """One action as help shows it: its keys (after the keymap), what it does, its id."""

    keys: str
    description: str
    binding_id: str
    action: str


def bound_keys(node_class: type[DOMNode], keymap: Mapping[str, str]) -> list[KeyRow]:
    """The bindings a class of this app declares (itself and its planner bases), with the
    learner's keymap applied: one row per binding id (or per action, for bindings without
    an id), in the order declared."""
    declared: list[Binding] = []
    for base in reversed(node_class.__mro__):
        if base.__module__.startswith("mlplanner."):
            declared += Binding.make_bindings(base.__dict__.get("BINDINGS", []))
    bindings = BindingsMap(declared)
    bindings.apply_keymap(dict(keymap))

    def row_of(binding: Binding) -> str:
        return binding.id or f"{binding.action}\0{binding.description}"

    rows: dict[str, tuple[Binding, list[str]]] = {}
    for binding in declared:
        rows.setdefault(row_of(binding), (binding, []))
    for key_bindings in bindings.key_to_bindings.values():
        for binding in key_bindings:
            keys = rows[row_of(binding)][1]
            if key_text(binding) not in keys:
                keys.append(key_text(binding))
    return [
        KeyRow(" / ".join(keys), binding.description, binding.id or "", binding.action)
        for binding, keys in rows.values()
    ]


def palette_actions(screen: Screen, keymap: Mapping[str, str]) -> Iterable[tuple[str, str, str]]:
    """(title, help, action) for the palette: every action the screen binds, by name."""
    named = {binding.id: (group, title) for group, binding, title in MAIN_KEYS if binding.id}
    for row in bound_keys(type(screen), keymap):
        if row.binding_id in named:
            group, title = named[row.binding_id]
            if title:
                yield title, f"{group} · key {row.keys}", row.action
        elif row.description:
            yield row.description, f"key {row.keys}", row.action
