"""Every setting `mlplanner settings` knows, in one form; saved through the planner, so the
same rules apply as on the command line and the change is seen at once everywhere."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from ...errors import BadInput, PlannerError
from ...services.settings import Settings
from ..text import clean
from ..themes import THEME_NAMES
from .form_screen import FormScreen

# setting name → (label, hint under it)
FIELDS: dict[str, tuple[str, str]] = {
    "weekly_target_hours": ("Weekly target (hours)", "0–100"),
    "target_date": ("Target date", "finish the path by, e.g. 2027-12-31; empty: none"),
    "availability": ("Availability", "e.g. mon-fri 19:00-21:00; sat 09:00-13:00"),
    "session_minutes": ("Planned session (min)", "blocks the auto-plan proposes: 15–720"),
    "time_zone": ("Time zone", "e.g. Europe/Paris; empty: the system's zone"),
    "rollover_hour": ("Day starts at (hour)", "0–23: a study day ends at this hour"),
    "desired_retention": ("Desired retention", "0.70–0.99"),
    "new_cards_per_day": ("New cards per day", "0 or more"),
    "reviews_per_day": ("Reviews per day", "0 or more"),
    "pomodoro_work_min": ("Pomodoro work (min)", "1–240"),
    "pomodoro_break_min": ("Pomodoro break (min)", "1–120"),
    "pomodoro_long_break_min": ("Long break (min)", "1–240"),
    "pomodoro_long_every": ("Long break every", "1–12 Pomodoros"),
    "reminder_minutes": ("Calendar reminder (min)", "before a block in the .ics export; 0: none"),
    "theme": ("Theme", ""),
}


def setting_names() -> list[str]:
    names = list(Settings._fields)
    return [n for n in FIELDS if n in names] + [n for n in names if n not in FIELDS]


def parse(name: str, text: str, current: Any) -> Any:
    """The typed value of a field, as `mlplanner settings KEY VALUE` reads it."""
    kind = type(current)
    if kind is str:
        return text.strip()
    try:
        return kind(text.strip())
    except ValueError:
        label = FIELDS.get(name, (name, ""))[0]
        noun = "whole number" if kind is int else "number"
        raise BadInput(f"{label}: '{text.strip()}' is not a {noun}", title="Settings") from None


class SettingsScreen(FormScreen[bool]):
    """Returns True when something was saved."""

    CSS_PATH = "settings_screen.tcss"
    SAVE_ON_ENTER = False

    def compose(self) -> ComposeResult:
        current = self.planner.settings
        with VerticalScroll(id="settings-dialog", classes="dialog"):
            yield Static("Settings", classes="dialog-title")
            yield Static(
                "tab moves between fields · ctrl+s saves · esc leaves them as they were",
                classes="dialog-help",
            )
            for name in setting_names():
                label, hint = FIELDS.get(name, (name, ""))
                with Horizontal(classes="setting-row"):
                    yield Label(label, classes="setting-label")
                    value = getattr(current, name)
                    if name == "theme":
                        names = list(THEME_NAMES)
                        if value not in names:
                            names.insert(0, value)
                        yield Select(
                            [(n, n) for n in names],
                            value=value,
                            allow_blank=False,
                            id=f"setting-{name}",
                        )
                    else:
                        yield Input(
                            f"{value:g}"
                            if isinstance(value, float)
                            else clean(value, one_line=True),
                            id=f"setting-{name}",
                        )
                if hint:
                    yield Static(Text(hint), classes="setting-hint")
            yield self.error_line("settings-error")
            yield from self.buttons("settings")

    def on_mount(self) -> None:
        self.query_one("#setting-weekly_target_hours", Input).focus()

    def changes(self) -> dict[str, Any]:
        current = self.planner.settings
        result: dict[str, Any] = {}
        for name in setting_names():
            old = getattr(current, name)
            if name == "theme":
                new: Any = self.query_one(f"#setting-{name}", Select).value
            else:
                new = parse(name, self.query_one(f"#setting-{name}", Input).value, old)
            if new != old:
                result[name] = new
        return result

    def check(self) -> bool:
        changes = self.changes()
        if not changes:
            return False
        try:
            self.planner.update_settings(**changes)
        except PlannerError:
            raise
        except ValueError as exc:
            raise BadInput(str(exc), title="Settings") from None
        if "theme" in changes:
            self.app.theme = changes["theme"]
        return True
