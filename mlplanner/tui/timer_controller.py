"""The focus timer as the app shows it: stored in the database, ticking in the status line.

The controller owns the running timer and publishes its one-line text on `changed`
(a Textual `Signal`); whoever shows it subscribes, so nothing scans the screen stack.
The services are imported where they are used: the app draws its first screen before it
opens the database, and so before SQLModel is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.signal import Signal

if TYPE_CHECKING:
    from .app import PlannerApp


class TimerController:
    def __init__(self, app: PlannerApp) -> None:
        self.app = app
        self.running = None  # the stored timer row, or None
        self.phase_name: str | None = None
        self.changed: Signal[str] = Signal(app, "timer-changed")

    @property
    def planner(self):
        return self.app.planner

    def start(self, running=None) -> None:
        """Show `running` (as `read` returned it) and tick once a second; touch it once a
        minute."""
        self.running = running
        self.tick()
        self.app.set_interval(1, self.tick)
        self.app.set_interval(60, self.touch)

    def read(self):
        """The stored timer row, or None: safe off the UI thread."""
        from ..services import timer as timer_service

        with self.planner.session() as session:
            return timer_service.current(session)

    def load(self) -> None:
        self.running = self.read()
        self.tick()

    def is_stale(self) -> bool:
        from ..services import timer as timer_service

        return self.running is not None and timer_service.is_stale(
            self.running, self.planner.clock()
        )

    def text(self) -> str:
        running = self.running
        if running is None:
            return ""
        from ..services import settings as settings_service
        from ..services import timer as timer_service

        now = self.planner.clock()
        active = timer_service.active_time(running, now)
        seconds = int(active.total_seconds())
        clock = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        title = self.planner.curriculum.topic_title(running.topic_id, "study")
        if running.paused_at:
            return f"{clock} {title} (paused)"
        if running.pomodoro:
            phase = timer_service.phase(active, settings_service.pomodoro(self.planner.settings))
            left = int(phase.remaining.total_seconds())
            return f"{clock} {title} · {phase.name} {left // 60}:{left % 60:02d} left"
        return f"{clock} {title}"

    def tick(self) -> None:
        running = self.running
        if running is not None and running.pomodoro and running.paused_at is None:
            from ..services import settings as settings_service
            from ..services import timer as timer_service

            phase = timer_service.phase(
                timer_service.active_time(running, self.planner.clock()),
                settings_service.pomodoro(self.planner.settings),
            )
            if self.phase_name is not None and phase.name != self.phase_name:
                message = "Time to study" if phase.name == "work" else f"Take a {phase.name}"
                self.app.notify(message, title="Pomodoro")
                self.app.bell()
            self.phase_name = phase.name
        self.changed.publish(self.text())

    def touch(self) -> None:
        from ..services import timer as timer_service

        if self.running is not None:
            with self.planner.session() as session:
                timer_service.touch(session, self.planner.clock)
            self.load()

    def toggle(self, topic_id: str | None, pomodoro: bool = False) -> str:
        """Start a timer, or stop the running one and log it; returns what happened.

        Raises TimerError (a PlannerError) when the timer cannot do that now."""
        from ..services import settings as settings_service
        from ..services import timer as timer_service
        from ..services.durations import format_duration

        with self.planner.session() as session:
            if timer_service.current(session) is None:
                timer_service.start(session, self.planner.clock, topic_id, pomodoro)
                message = "Pomodoro started: 25 minutes of work" if pomodoro else "Timer started"
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
        self.phase_name = None
        self.load()
        return message

    def pause(self) -> str:
        """Pause or resume; raises TimerError when no timer runs."""
        from ..services import timer as timer_service

        with self.planner.session() as session:
            running = timer_service.pause(session, self.planner.clock)
            paused = running.paused_at is not None
        self.load()
        return "Timer paused" if paused else "Timer resumed"

    def stale_question(self) -> str:
        assert self.running is not None
        tz = self.planner.tz
        last = self.running.last_activity_at.astimezone(tz)
        return (
            f"A focus timer has been running since "
            f"{self.running.started_at.astimezone(tz):%a %d %b %H:%M}, over 12 hours.\n"
            f"Log it up to your last activity at {last:%a %H:%M}? (No keeps it running.)"
        )

    def stop_at_last_activity(self) -> str:
        from ..services import settings as settings_service
        from ..services import timer as timer_service
        from ..services.durations import format_duration

        with self.planner.session() as session:
            logged = timer_service.stop(
                session,
                self.planner.clock,
                settings_service.pomodoro(self.planner.settings),
                until_last_activity=True,
            )
        self.load()
        return f"Logged {format_duration(logged.duration_s)}" if logged else "Nothing to log"
