"""The Textual application: the planner, the first screen, global keys, themes, palette.

The first frame is drawn before the database is opened: the app is given a planner that
holds the curriculum (`planner.prepare_planner`), shows the main screen with its roadmap
and a "loading…" status line, and opens the database in a worker. Nothing imported here
or by the main screen's first frame imports SQLModel or the services that use it; other
screens are imported when they are opened.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.command import Provider
from textual.message import Message
from textual.worker import Worker, WorkerState

from ..errors import PlannerError
from . import loading
from .errors import notify_error, reports_errors
from .screens.main_screen import MainScreen
from .text import say
from .timer_controller import TimerController

if TYPE_CHECKING:
    from ..planner import Planner


def planner_commands() -> type[Provider]:
    """The palette's planner entries, imported when the palette first opens."""
    from .commands import PlannerCommands

    return PlannerCommands


class PlannerApp(App[None]):
    CSS_PATH = ["global.tcss"]
    TITLE = "mlplanner"
    COMMANDS = App.COMMANDS | {planner_commands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("question_mark", "help", "Help", key_display="?", id="help"),
        Binding("f1", "help", "Help", show=False, id="help-f1"),
    ]

    class Opened(Message):
        """The database is open; what the start-up needs to know from it."""

        def __init__(self, running, new_learner: bool) -> None:
            self.running = running  # the stored focus timer, or None
            self.new_learner = new_learner
            super().__init__()

    class OpenFailed(Message):
        def __init__(self, error: PlannerError) -> None:
            self.error = error
            super().__init__()

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
        self.open_error: PlannerError | None = None
        """Why the database could not be opened; the app has exited (the CLI reports it)."""
        if tz is not None:
            planner.use_zone(tz)
        if user_config is not None:
            planner.user_config, planner.config_error = user_config, None
        if planner.is_connected:  # opened already: show its theme from the first frame
            self._adopt_theme()
        elif (theme := planner.stored_theme()) in self.available_themes:
            self.theme = theme  # the first frame wears it, before the database is opened
        self.timer = TimerController(self)
        self.keymap: dict[str, str] = {}
        self._collector_paused = False
        self._opened_once = self._main_loaded = self._new_learner_found = False

    def _adopt_theme(self) -> None:
        if self.planner.settings.theme in self.available_themes:
            self.theme = self.planner.settings.theme

    def set_keymap(self, keymap) -> None:
        """Kept readable here so help and the palette show the keys as rebound."""
        super().set_keymap(keymap)
        self.keymap = dict(keymap)

    def update_keymap(self, keymap) -> None:
        super().update_keymap(keymap)
        self.keymap = {**self.keymap, **keymap}

    def on_mount(self) -> None:
        self._pause_garbage_collection()
        if self.planner.user_config.keys:
            self.set_keymap(self.planner.user_config.keys)
        self.push_screen(MainScreen())
        if self.start_review is not None:  # its own worker waits for the database
            kind, ident = self.start_review
            self.open_review(kind, ident)
        if self.planner.config_error:
            notify_error(self, self.planner.config_error, "Config ignored")
        for warning in self.planner.content_warnings:
            say(self, str(warning), title="Content file skipped", severity="warning", timeout=10)
        if self.planner.is_connected:
            self.open_planner()
        else:  # the first frame is not kept waiting
            self.call_after_refresh(self.open_planner)

    def _pause_garbage_collection(self) -> None:
        """Start-up makes many objects and frees few (imports, widgets): Python's cyclic
        collector, run every few hundred allocations, would walk them all again and again.
        It is paused until the main screen has its data, or for 10 s at most."""
        if gc.isenabled():
            gc.disable()
            self._collector_paused = True
            self.set_timer(10, self.start_up_done)

    def start_up_done(self) -> None:
        """The main screen has its data: collect garbage again, and open the database the
        ordinary way if the screen was filled without it (the next action needs it)."""
        if self._collector_paused:
            self._collector_paused = False
            gc.enable()
        if not self.planner.is_connected and self.is_running:
            self.call_after_refresh(self.connect_in_background)

    @work(
        thread=True,
        exclusive=True,
        group="connect",
        exit_on_error=False,
        description="Opening your planner",
    )
    def connect_in_background(self) -> None:
        """Load the database layer and open the database while the learner reads the
        screen, so their first action does not wait for it."""
        with loading.IMPORTS:
            try:
                self.planner.connect()
            except PlannerError as error:
                self.post_message(self.OpenFailed(error))

    def on_unmount(self) -> None:
        self.start_up_done()

    @work(
        thread=True,
        exclusive=True,
        group="open",
        exit_on_error=False,
        description="Opening your planner",
    )
    def open_planner(self) -> None:
        """Open the database off the UI thread, then start what needs it (the main screen's
        own worker reads its data meanwhile, waiting for the database if it must)."""
        planner = self.planner
        was_open = planner.is_connected
        if not was_open:
            with planner.lean_reads() as lean:  # sqlite3 alone: SQLAlchemy waits (see below)
                if lean is not None:
                    start = lean.start
                    new_learner = self.offer_setup and self.start_review is None
                    self.post_message(self.Opened(start.timer, new_learner and start.new_learner))
                    return
        with loading.IMPORTS:  # what follows imports the store and services, once
            try:
                planner.connect()
            except PlannerError as error:
                self.post_message(self.OpenFailed(error))
                return
            if was_open:
                planner.reload_settings()  # another window or a command may have changed them
            running = self.timer.read()
            new_learner = self.offer_setup and self.start_review is None and self._new_learner()
        self.post_message(self.Opened(running, new_learner))

    @on(Opened)
    def _opened(self, message: Opened) -> None:
        self._adopt_theme()
        self.timer.start(message.running)
        if self.planner.user_config.keys:
            self.report_key_conflicts()
        self._new_learner_found = message.new_learner
        self._opened_once = True
        if self._main_loaded:
            self.call_after_refresh(self._ask_at_start)

    def main_loaded(self) -> None:
        """The main screen has its first data (or could not read it, and says why): the
        start-up questions follow, so they never cover a screen still loading."""
        self.start_up_done()
        if not self._main_loaded:
            self._main_loaded = True
            if self._opened_once:
                self.call_after_refresh(self._ask_at_start)

    def _ask_at_start(self) -> None:
        if self.timer.is_stale():
            self.offer_stale_timer()
        elif self._new_learner_found:
            self.start_setup()

    @on(OpenFailed)
    def _cannot_open(self, message: OpenFailed) -> None:
        """Nothing works without the database: leave, and let the caller say why."""
        self.open_error = message.error
        self.exit(return_code=message.error.exit_status)

    @work(thread=True, exit_on_error=False, description="Checking your keys")
    def report_key_conflicts(self) -> None:
        """A [keys] entry that takes a key another action of the same screen uses. The
        screens' modules are imported off the UI thread (they load the services)."""
        with loading.IMPORTS:
            from .keys import key_conflicts
            from .screens.card_browser import CardBrowser
            from .screens.history_screen import HistoryScreen
            from .screens.review_screen import ReviewScreen
            from .screens.stats_screen import StatsScreen

        screens = {"main screen": MainScreen, "review": ReviewScreen, "logbook": HistoryScreen}
        screens |= {"card browser": CardBrowser, "statistics": StatsScreen}
        scopes = {name: [*cls.BINDINGS, *self.BINDINGS] for name, cls in screens.items()}
        for conflict in key_conflicts(scopes, self.planner.user_config.keys):
            self.call_from_thread(
                say,
                self,
                conflict.sentence(),
                title="Key taken twice",
                severity="warning",
                timeout=15,
            )

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
        with loading.IMPORTS:  # the database layer may be loading in a worker meanwhile
            from .screens.setup_steps import (
                BlocksStep,
                ElectivesStep,
                KnownStep,
                PathStep,
                TargetStep,
            )

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
        from .screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
