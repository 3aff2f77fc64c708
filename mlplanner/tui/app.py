"""The Textual application: screens, global keys, themes, the command palette."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..config import ConfigError, UserConfig
from ..planner import Planner
from ..services import settings as settings_service
from ..services.days import local_zone
from .keys import palette_actions
from .screens.help_screen import HelpScreen
from .screens.main_screen import MainScreen


class PlannerApp(App[None]):
    CSS_PATH = ["app.tcss"]
    TITLE = "mlplanner"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("f1", "help", "Help", show=False, id="help-f1"),
    ]

    def __init__(self, planner: Planner, tz: ZoneInfo | None = None, user_config=None):
        super().__init__()
        self.planner = planner
        self.tz = tz or local_zone()
        self._config_error: str | None = None
        if user_config is None:
            try:
                user_config = UserConfig.load(planner.paths.config_file)
            except ConfigError as exc:
                self._config_error = str(exc)
                user_config = UserConfig()
        self.user_config = user_config
        with planner.session() as session:
            self.settings = settings_service.load(session)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme

    def on_mount(self) -> None:
        if self.user_config.keys:
            self.set_keymap(self.user_config.keys)
        self.push_screen(MainScreen())
        if self._config_error:
            self.notify(self._config_error, title="Config ignored", severity="error", timeout=10)
        for warning in self.planner.content_warnings:
            self.notify(str(warning), title="Content file skipped", severity="warning", timeout=10)

    def watch_theme(self, theme: str) -> None:
        if not self.is_running or theme == self.settings.theme:
            return
        with self.planner.session() as session:
            self.settings = settings_service.update(session, theme=theme)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help_text, action in palette_actions(screen):
            yield SystemCommand(title, help_text, lambda a=action: screen.run_action(a))
