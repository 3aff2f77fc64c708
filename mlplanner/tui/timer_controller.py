"""The focus timer as the app shows it: stored in the database, ticking in the status line.

The controller owns the running timer and publishes its one-line text on `changed`
(a Textual `Signal`); whoever shows it subscribes, so nothing scans the screen stack.
The services are imported where they are used: the app draws its first screen before it
opens the database, and so before SQLModel is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.signal import Signal

from ..errors import PlannerError
from .errors import notify_error
from .text import say

if TYPE_CHECKING:
    from ..services.timer import Pomodoro
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

    @property
    def rhythm(self) -> Pomodoro:
        """The Pomodoro lengths from the learner's settings."""
        from ..services import settings as settings_service

        return settings_service.pomodoro(self.planner.settings)

    @property
    def is_paused(self) -> bool:
        return self.running is not None and self.running.paused_at is not None

    def text(self) -> str:
        """The timer on one line, readable without colour: ⏱ running, ⏸ paused; a Pomodoro
        leads with its phase and what is left of it, in the words `timer status` uses."""
        running = self.running
        if running is None:
            return ""
        from ..services import timer as timer_service

        active = timer_service.active_time(running, self.planner.clock())
        title = self.planner.curriculum.topic_title(running.topic_id, "study")
        parts = ["⏸ paused" if running.paused_at else "⏱"]
        if running.pomodoro:
            phase = timer_service.phase(active, self.rhythm)
            parts.append(f"{timer_service.phase_words(phase, self.rhythm)} ·")
        parts += [timer_service.clock_text(active), title]
        return " ".join(parts)

    def phase_notice(self, name: str) -> str:
        """Said when a Pomodoro phase begins, with its configured length."""
        from ..services import timer as timer_service

        minutes = timer_service.phase_length(name, self.rhythm)
        if name == "work":
            return f"Time to study: {minutes} minutes of work"
        return f"Take a {minutes}-minute {name}"

    def tick(self) -> None:
        running = self.running
        if running is not None and running.pomodoro and running.paused_at is None:
            from ..services import timer as timer_service

            phase = timer_service.phase(
                timer_service.active_time(running, self.planner.clock()), self.rhythm
            )
            if self.phase_name is not None and phase.name != self.phase_name:
                self.app.notify(self.phase_notice(phase.name), title="Pomodoro")
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
        from ..services import timer as timer_service
        from ..services.durations import format_duration

        with self.planner.session() as session:
            if timer_service.current(session) is None:
                timer_service.start(session, self.planner.clock, topic_id, pomodoro)
                message = (
                    f"Pomodoro started: {self.rhythm.work_min} minutes of work, "
                    f"then a {self.rhythm.break_min}-minute break"
                    if pomodoro
                    else "Timer started"
                )
            else:
                logged = timer_service.stop(session, self.planner.clock, self.rhythm)
                message = (
                    f"Logged {format_duration(logged.duration_s)}"
                    if logged
                    else "Timer stopped; under a minute, nothing logged"
                )
        self.phase_name = None
        self.load()
        return message

    def toggle_from(self, screen: Screen, topic_id: str | None, pomodoro: bool = False) -> None:
        """What the timer key does: start a timer, or stop and log the running one. A timer
        that ran under a minute would log nothing: the learner is asked first whether to
        keep timing or discard it.

        Raises TimerError (a PlannerError) when the timer cannot do that now."""
        from ..services import timer as timer_service
        from .screens.confirm import Confirm

        with self.planner.session() as session:
            running = timer_service.current(session)
            short = running is not None and timer_service.ran_under_a_minute(
                running, self.planner.clock(), self.rhythm
            )
        if not short:
            say(screen, self.toggle(topic_id, pomodoro), title="Timer", timeout=3)
            return

        def answered(discard: bool | None) -> None:
            if not discard:
                return
            try:
                say(screen, self.discard(), title="Timer", timeout=3)
            except PlannerError as error:  # stopped elsewhere meanwhile
                notify_error(screen, error)

        question = Confirm(
            "The timer ran under a minute: nothing would be logged.\nDiscard it, or keep timing?",
            yes="Discard",
            no="Keep timing",
        )
        screen.app.push_screen(question, answered)

    def discard(self) -> str:
        from ..services import timer as timer_service

        with self.planner.session() as session:
            timer_service.discard(session)
        self.phase_name = None
        self.load()
        return "Timer discarded; nothing logged"

    def pause(self) -> str:
        """Pause or resume; raises TimerError when no timer runs. The notice gives the time
        run so far, as the status line shows it."""
        from ..services import timer as timer_service

        with self.planner.session() as session:
            running = timer_service.pause(session, self.planner.clock)
            paused = running.paused_at is not None
            shown = timer_service.clock_text(
                timer_service.active_time(running, self.planner.clock())
            )
        self.load()
        return f"Timer paused at {shown}" if paused else f"Timer resumed at {shown}"

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
        from ..services import timer as timer_service
        from ..services.durations import format_duration

        with self.planner.session() as session:
            logged = timer_service.stop(
                session,
                self.planner.clock,
                self.rhythm,
                until_last_activity=True,
            )
        self.load()
        return f"Logged {format_duration(logged.duration_s)}" if logged else "Nothing to log"
