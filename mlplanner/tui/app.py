"""The Textual application: the planner, the first screen, global keys, themes, palette."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from ..planner import Planner
from .commands import PlannerCommands
from .errors import notify_error, reports_errors
from .screens.help_screen import HelpScreen
from .screens.main_screen import MainScreen
from .text import say
from .timer_controller import TimerController


class PlannerApp(App[None]):
    CSS_PATH = ["global.tcss"]
    TITLE = "mlplanner"
    COMMANDS = App.COMMANDS | {PlannerCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("f1", "help", "Help", show=False, id="help-f1"),
    ]

    def __init__(
        self,
        planner: Planner,
        tz: ZoneInfo | None = None,
        user_config=None,
        start_review: tuple[str, str | None] | None = None,
        offer_setup: bool = True,
    ):
        super().__init__()
        self.planner = planner
        self.start_review = start_review
        self.offer_setup = offer_setup
        if tz is not None:
            planner.tz = tz
        if user_config is not None:
            planner.user_config, planner.config_error = user_config, None
        planner.reload_settings()  # another window or a command may have changed them
        if planner.settings.theme in self.available_themes:
            self.theme = planner.settings.theme
        self.timer = TimerController(self)
        self.keymap: dict[str, str] = {}

    def set_keymap(self, keymap) -> None:
        """Kept readable here so help and the palette show the keys as rebound."""
        super().set_keymap(keymap)
        self.keymap = dict(keymap)

    def update_keymap(self, keymap) -> None:
        super().update_keymap(keymap)
        self.keymap = {**self.keymap, **keymap}

    def on_mount(self) -> None:
        if self.planner.user_config.keys:
            self.set_keymap(self.planner.user_config.keys)
            self.report_key_conflicts()
        self.timer.start()
        self.push_screen(MainScreen())
        if self.start_review is not None:
            kind, ident = self.start_review
            self.open_review(kind, ident)
        if self.timer.is_stale():
            self.offer_stale_timer()
        elif self.offer_setup and self.start_review is None and self._new_learner():
            self.start_setup()
        if self.planner.config_error:
            notify_error(self, self.planner.config_error, "Config ignored")
        for warning in self.planner.content_warnings:
            say(self, str(warning), title="Content file skipped", severity="warning", timeout=10)

    def report_key_conflicts(self) -> None:
        """A [keys] entry that takes a key another action of the same screen uses."""
        from .keys import key_conflicts
        from .screens.card_browser import CardBrowser
        from .screens.history_screen import HistoryScreen
        from .screens.review_screen import ReviewScreen
        from .screens.stats_screen import StatsScreen

        screens = {"main screen": MainScreen, "review": ReviewScreen, "logbook": HistoryScreen}
        screens |= {"card browser": CardBrowser, "statistics": StatsScreen}
        scopes = {name: [*cls.BINDINGS, *self.BINDINGS] for name, cls in screens.items()}
        for conflict in key_conflicts(scopes, self.planner.user_config.keys):
            say(self, conflict.sentence(), title="Key taken twice", severity="warning", timeout=15)

    def open_review(self, kind: str, ident: str | None) -> None:
        """Review all due cards ("all"), or those of a "topic" or a "stage"."""
        from .screens.review_screen import ReviewScreen

        curriculum = self.planner.curriculum
        scope, title = None, ""
        if kind == "topic" and ident:
            scope, title = [ident], curriculum.topic_title(ident, ident)
        elif kind == "stage" and ident:
            stage = curriculum.find_stage(ident)
            scope = [t.id for t in stage.topics] if stage else []
            title = stage.title if stage else ident
        self.push_screen(ReviewScreen(scope, title))

    def _new_learner(self) -> bool:
        from ..services.learner import needs_setup

        with self.planner.session() as session:
            return needs_setup(session, self.planner.curriculum)

    def _main_screen(self) -> MainScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    def _preview_path(self, topic_ids: frozenset[str] | None) -> None:
        main = self._main_screen()
        if main is not None:
            main.preview_path(topic_ids)

    def start_setup(self) -> None:
        """The setup: path, electives, what is known, the week, blocks (P runs it again)."""
        self.run_setup()

    @work(exit_on_error=False, exclusive=True, group="setup", description="Setting up your plan")
    @reports_errors
    async def run_setup(self) -> None:
        from .screens.setup_steps import BlocksStep, ElectivesStep, KnownStep, PathStep, TargetStep

        preview = self._preview_path
        if await self.push_screen_wait(PathStep(preview)) is None:
            self._setup_left()
            return
        plan = self.planner.plan()
        if plan.groups and await self.push_screen_wait(ElectivesStep(plan, preview)) is None:
            self._setup_left()
            return
        plan = self.planner.plan()
        for step in (KnownStep(plan, preview), TargetStep(preview), BlocksStep(preview)):
            if await self.push_screen_wait(step) is None:
                self._setup_left()
                return
        self.notify("Your plan is set up. P or the palette runs the setup again.", title="Setup")

    def _setup_left(self) -> None:
        self.notify(
            "Setup left; what you confirmed is kept. P or ctrl+p “Set up my plan” runs it again.",
            title="Setup",
            timeout=4,
        )

    def watch_theme(self, theme: str) -> None:
        if not self.is_running or theme == self.planner.settings.theme:
            return
        self.planner.update_settings(theme=theme)

    @work(exit_on_error=False, description="Logging the stale timer")
    @reports_errors
    async def offer_stale_timer(self) -> None:
        from .screens.confirm import Confirm

        if await self.push_screen_wait(Confirm(self.timer.stale_question())):
            say(self, self.timer.stop_at_last_activity(), title="Timer")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            notify_error(self, event.worker.error)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
