"""The Textual application: screens, global keys, themes, the command palette."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..planner import Planner
from ..services import settings as settings_service
from ..services import timer as timer_service
from ..services.durations import format_duration
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

    def __init__(
        self,
        planner: Planner,
        tz: ZoneInfo | None = None,
        user_config=None,
        start_review: tuple[str, str | None] | None = None,
    ):
        super().__init__()
        self.planner = planner
        self.start_review = start_review
        if tz is not None:
            planner.tz = tz
        if user_config is not None:
            planner.user_config, planner.config_error = user_config, None
        planner.reload_settings()  # another window or a command may have changed them
        if planner.settings.theme in self.available_themes:
            self.theme = planner.settings.theme

    def on_mount(self) -> None:
        if self.planner.user_config.keys:
            self.set_keymap(self.planner.user_config.keys)
        self.running_timer = None
        self._timer_phase: str | None = None
        self.load_timer()
        self.push_screen(MainScreen())
        if self.start_review is not None:
            kind, ident = self.start_review
            self.open_review(kind, ident)
        self.set_interval(1, self.tick_timer)
        self.set_interval(60, self.touch_timer)
        if self.running_timer is not None and timer_service.is_stale(
            self.running_timer, self.planner.clock()
        ):
            self.offer_stale_timer()
        if self.planner.config_error:
            self.notify(
                str(self.planner.config_error), title="Config ignored", severity="error", timeout=10
            )
        for warning in self.planner.content_warnings:
            self.notify(str(warning), title="Content file skipped", severity="warning", timeout=10)

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

        def back(_result) -> None:
            screen = self.screen
            if isinstance(screen, MainScreen):
                screen.reload()

        self.push_screen(ReviewScreen(scope, title), callback=back)

    def watch_theme(self, theme: str) -> None:
        if not self.is_running or theme == self.planner.settings.theme:
            return
        self.planner.update_settings(theme=theme)

    # The focus timer: stored in the database, shown in the status line ---------

    def load_timer(self) -> None:
        with self.planner.session() as session:
            self.running_timer = timer_service.current(session)
        self.tick_timer()

    def timer_text(self) -> str:
        running = self.running_timer
        if running is None:
            return ""
        now = self.planner.clock()
        active = timer_service.active_time(running, now)
        seconds = int(active.total_seconds())
        clock = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        curriculum = self.planner.curriculum
        title = curriculum.topic_title(running.topic_id, "study")
        if running.paused_at:
            return f"{clock} {title} (paused)"
        if running.pomodoro:
            phase = timer_service.phase(active, settings_service.pomodoro(self.planner.settings))
            left = int(phase.remaining.total_seconds())
            return f"{clock} {title} · {phase.name} {left // 60}:{left % 60:02d} left"
        return f"{clock} {title}"

    def tick_timer(self) -> None:
        running = self.running_timer
        if running is not None and running.pomodoro and running.paused_at is None:
            phase = timer_service.phase(
                timer_service.active_time(running, self.planner.clock()),
                settings_service.pomodoro(self.planner.settings),
            )
            if self._timer_phase is not None and phase.name != self._timer_phase:
                message = "Time to study" if phase.name == "work" else f"Take a {phase.name}"
                self.notify(message, title="Pomodoro")
                self.bell()
            self._timer_phase = phase.name
        text = self.timer_text()
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen) and screen.is_mounted:
                screen.show_timer(text)

    def touch_timer(self) -> None:
        if self.running_timer is not None:
            with self.planner.session() as session:
                timer_service.touch(session, self.planner.clock)
            self.load_timer()

    def toggle_timer(self, topic_id: str | None, pomodoro: bool = False) -> None:
        try:
            with self.planner.session() as session:
                if timer_service.current(session) is None:
                    timer_service.start(session, self.planner.clock, topic_id, pomodoro)
                    message = (
                        "Pomodoro started: 25 minutes of work" if pomodoro else "Timer started"
                    )
                else:
                    logged = timer_service.stop(
                        session,
                        self.planner.clock,
                        settings_service.pomodoro(self.planner.settings),
                    )
                    message = (
                        f"Logged {format_duration(logged.duration_s)}"
                        if logged
                        else "Timer stopped; under a minute, nothing logged"
                    )
        except (timer_service.TimerError, ValueError) as exc:
            self.notify(str(exc), title="Timer", severity="error")
            return
        self._timer_phase = None
        self.notify(message, title="Timer", timeout=3)
        self.load_timer()
        self.refresh_main()

    def pause_timer(self) -> None:
        try:
            with self.planner.session() as session:
                running = timer_service.pause(session, self.planner.clock)
                paused = running.paused_at is not None
        except timer_service.TimerError as exc:
            self.notify(str(exc), title="Timer", severity="warning")
            return
        self.notify("Timer paused" if paused else "Timer resumed", timeout=2)
        self.load_timer()

    @work
    async def offer_stale_timer(self) -> None:
        from .screens.confirm import Confirm

        running = self.running_timer
        last = running.last_activity_at.astimezone(self.planner.tz)
        question = (
            f"A focus timer has been running since "
            f"{running.started_at.astimezone(self.planner.tz):%a %d %b %H:%M}, over 12 hours.\n"
            f"Log it up to your last activity at {last:%a %H:%M}? (No keeps it running.)"
        )
        if await self.push_screen_wait(Confirm(question)):
            with self.planner.session() as session:
                logged = timer_service.stop(
                    session,
                    self.planner.clock,
                    settings_service.pomodoro(self.planner.settings),
                    until_last_activity=True,
                )
            done = f"Logged {format_duration(logged.duration_s)}" if logged else "Nothing to log"
            self.notify(done, title="Timer")
            self.load_timer()
            self.refresh_main()

    def refresh_main(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.reload()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for title, help_text, action in palette_actions(screen):
            yield SystemCommand(title, help_text, lambda a=action: screen.run_action(a))
