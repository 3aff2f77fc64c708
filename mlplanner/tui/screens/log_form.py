"""The form for logging (or editing) a study session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static

from ...errors import PlannerError
from ...services.durations import InputError, parse_duration, parse_moment
from ...services.logbook import LogError, OverlapError, check_session
from ...services.topics import UnknownTopic, resolve_topic
from ..text import clean, say
from .form_screen import FormScreen, suggestions, topic_field
from .overlap_question import OverlapQuestion


@dataclass(frozen=True)
class LoggedValues:
    duration: timedelta
    started_at: datetime | None  # None: it ended now
    topic_id: str | None
    note: str
    allow_overlap: bool = False  # the learner chose to keep both


class LogForm(FormScreen[LoggedValues]):
    """Returns the checked values, or None when cancelled; stores them through `save` when
    given, staying open if that fails.

    When `save` refuses the session because it overlaps one already logged, the form asks
    (OverlapQuestion): adjust it to the free time next to that session, keep both, or
    cancel and go on editing. An exact copy of a logged session is refused, never asked."""

    def __init__(
        self,
        title: str = "Log a study session",
        topic: str = "",
        duration: str = "",
        when: str = "now",
        note: str = "",
        save: Callable[[LoggedValues], object] | None = None,
    ) -> None:
        super().__init__()
        self.save = save
        self.form_title = title
        self.initial = {"topic": topic, "duration": duration, "when": when, "note": note}

    def compose(self) -> ComposeResult:
        curriculum = self.planner.curriculum
        names = [t.title for t in curriculum.topics] + [t.id for t in curriculum.topics]
        with Vertical(id="log-dialog", classes="dialog"):
            yield Static(self.form_title, classes="dialog-title")
            yield Label("Topic (type to search; empty for none)")
            yield Input(
                topic_field(curriculum, self.initial["topic"]),
                id="log-topic",
                suggester=SuggestFromList(suggestions(names), case_sensitive=False),
            )
            yield Label("Duration: 90m, 1h30, 1.5h or 1:30")
            yield Input(self.initial["duration"], id="log-duration", placeholder="1h30")
            yield Label("Started: now (ended now), 19:00, yesterday 19:00, 2026-03-10 18:30")
            yield Input(self.initial["when"], id="log-when")
            yield Label("Note")
            yield Input(clean(self.initial["note"], one_line=True), id="log-note")
            yield self.error_line("log-error")
            yield from self.buttons("log")

    def on_mount(self) -> None:
        first_empty = "#log-topic" if not self.initial["topic"] else "#log-duration"
        self.query_one(first_empty, Input).focus()

    def action_save(self) -> None:
        if self.save is None:
            super().action_save()
            return
        try:
            values = self.check()
        except PlannerError as exc:
            self.show_error(str(exc))
            return
        self._store(values)

    def _store(self, values: LoggedValues) -> None:
        assert self.save is not None
        try:
            self.save(values)
        except OverlapError as exc:
            if exc.duplicate or values.allow_overlap:
                self.show_error(f"Not saved: {exc}")
                return
            self._ask_about_overlap(values, exc)
            return
        except PlannerError as exc:
            self.show_error(f"Not saved: {exc}")
            say(self, str(exc), title=exc.title, severity="error")
            return
        self.dismiss(values)

    def _ask_about_overlap(self, values: LoggedValues, exc: OverlapError) -> None:
        start = values.started_at or self.planner.clock() - values.duration
        self.show_error(str(exc))

        def answered(answer: str | None) -> None:
            if answer == "keep":
                self._store(replace(values, allow_overlap=True))
            elif answer == "adjust" and exc.adjusted is not None:
                begin, length = exc.adjusted
                self._store(replace(values, started_at=begin, duration=length))

        question = OverlapQuestion(
            (start, values.duration),
            exc.existing_id,
            (exc.existing_start, exc.existing_end),
            exc.adjusted,
        )
        self.app.push_screen(question, answered)

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def check(self) -> LoggedValues:
        """Read the fields; raises InputError with a message fit for the form."""
        topic_text = self.value("#log-topic")
        try:
            topic_id = resolve_topic(self.planner.curriculum, topic_text) if topic_text else None
        except UnknownTopic as exc:
            raise InputError(str(exc)) from None
        duration = parse_duration(self.value("#log-duration"))
        now = self.planner.clock()
        when = self.value("#log-when")
        started = None if when.lower() in ("", "now") else parse_moment(when, now, self.planner.tz)
        try:
            check_session(duration, started or now - duration, now)
        except LogError as exc:
            raise InputError(str(exc)) from None
        return LoggedValues(duration, started, topic_id, self.value("#log-note"))
