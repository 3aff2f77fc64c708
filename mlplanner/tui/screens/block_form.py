"""Adding or changing a study block: when, how long, which topic, how it repeats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, Select, Static

from ...services.durations import DAY_FORMS, InputError, parse_day, parse_duration
from ...services.planning import MAX_BLOCK_MIN, PlanError, build_rrule, check_block, rule_parts
from ...services.topics import UnknownTopic, resolve_topic
from ..text import clean
from .form_screen import FormScreen, suggestions, topic_field

DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class DayBox(Checkbox):
    """A weekday to repeat on. Its mark is a ✓ or a blank, not only a colour, so a checked
    box reads as checked in every theme, focused or not, and without colour at all."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 (Textual's name)
        return "✓" if self.value else " "


@dataclass(frozen=True)
class BlockValues:
    start_date: date
    start_time: time
    duration_min: int
    topic_id: str | None
    note: str
    rrule: str | None


@dataclass(frozen=True)
class BlockDraft:
    """What the form starts with."""

    day: date
    start: time = time(19, 0)
    duration_min: int = 90
    topic: str = ""
    note: str = ""
    repeat: str = "once"  # once | weekly
    weekdays: tuple[int, ...] = ()
    interval: int = 1
    until: date | None = None
    count: int | None = None


def draft_from_rule(
    day: date, start: time, minutes: int, topic: str, note: str, rule: str | None
) -> BlockDraft:
    if not rule:
        return BlockDraft(day, start, minutes, topic, note)
    parts = rule_parts(rule)
    codes = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    weekdays = tuple(codes.index(c) for c in parts.get("BYDAY", "").split(",") if c in codes)
    until = datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date() if "UNTIL" in parts else None
    return BlockDraft(
        day,
        start,
        minutes,
        topic,
        note,
        "weekly",
        weekdays or (day.weekday(),),
        int(parts.get("INTERVAL", 1)),
        until,
        int(parts["COUNT"]) if "COUNT" in parts else None,
    )


class BlockForm(FormScreen[BlockValues]):
    CSS_PATH = "block_form.tcss"
    # The whole form needs about 37 rows; below 40, its fields scroll (block_form.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-rows-24"), (28, "-rows-28"), (34, "-rows-34"), (40, "-tall")]

    def __init__(
        self, draft: BlockDraft, title: str = "Plan a study block", next_up: tuple[str, ...] = ()
    ) -> None:
        super().__init__()
        self.draft = draft
        self.form_title = title
        self.next_up = next_up

    def compose(self) -> ComposeResult:
        curriculum = self.planner.curriculum
        first = list(self.next_up)
        ordered = [curriculum.topic_title(t, t) for t in first] + [
            t.title for t in curriculum.topics if t.id not in first
        ]
        d = self.draft
        ends = "until" if d.until else ("count" if d.count else "never")
        with Vertical(id="block-dialog", classes="dialog"):
            yield Static(self.form_title, classes="dialog-title")
            # The fields scroll on a short terminal; the error and Save stay in view.
            with VerticalScroll(id="block-fields"):
                with Horizontal(classes="form-row"):
                    with Vertical():
                        yield Label("Day (mon, tomorrow)")
                        yield Input(d.day.isoformat(), id="block-day")
                    with Vertical():
                        yield Label("Start (HH:MM)")
                        yield Input(d.start.strftime("%H:%M"), id="block-start")
                    with Vertical():
                        yield Label("Length (90m, 1h30)")
                        yield Input(f"{d.duration_min}m", id="block-length")
                yield Label("Topic (type to search; next-up topics come first)")
                yield Input(
                    topic_field(curriculum, d.topic),
                    id="block-topic",
                    suggester=SuggestFromList(suggestions(ordered), case_sensitive=False),
                )
                yield Label("Note")
                yield Input(clean(d.note, one_line=True), id="block-note")
                yield Label("Repeat")
                yield Select(
                    [("Once", "once"), ("Every week", "weekly")],
                    value=d.repeat,
                    allow_blank=False,
                    id="block-repeat",
                )
                with Horizontal(id="block-weekdays", classes="form-row"):
                    for index, name in enumerate(DAY_LABELS):
                        yield DayBox(name, index in d.weekdays, id=f"block-wd-{index}")
                with Horizontal(classes="form-row", id="block-repeat-details"):
                    with Vertical():
                        yield Label("Every N weeks")
                        yield Input(str(d.interval), id="block-interval")
                    with Vertical():
                        yield Label("Ends")
                        yield Select(
                            [
                                ("Never", "never"),
                                ("On a date", "until"),
                                ("After N times", "count"),
                            ],
                            value=ends,
                            allow_blank=False,
                            id="block-ends",
                        )
                    with Vertical():
                        yield Label("Date or times")
                        yield Input(
                            d.until.isoformat() if d.until else (str(d.count) if d.count else ""),
                            id="block-end-value",
                        )
            yield self.error_line("block-error")
            yield from self.buttons("block")

    def on_mount(self) -> None:
        self._show_repeat()
        self.query_one("#block-day", Input).focus()

    @on(Select.Changed, "#block-repeat")
    def _show_repeat(self) -> None:
        weekly = self.query_one("#block-repeat", Select).value == "weekly"
        self.query_one("#block-weekdays").display = weekly
        self.query_one("#block-repeat-details").display = weekly

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def check(self) -> BlockValues:
        curriculum = self.planner.curriculum
        day_text = self.value("#block-day")
        if not day_text:
            raise InputError(f"enter a day: {DAY_FORMS}")
        day = parse_day(day_text, self.planner.calendar.today(self.planner.clock()))
        try:
            start = datetime.strptime(self.value("#block-start"), "%H:%M").time()
        except ValueError:
            raise InputError(f"'{self.value('#block-start')}' is not a time like 19:00") from None
        minutes = round(parse_duration(self.value("#block-length")).total_seconds() / 60)
        if minutes > MAX_BLOCK_MIN:
            raise InputError("a block lasts at most 12 hours")
        topic_text = self.value("#block-topic")
        try:
            topic_id = resolve_topic(curriculum, topic_text) if topic_text else None
        except UnknownTopic as exc:
            raise InputError(str(exc)) from None
        rule = None
        if self.query_one("#block-repeat", Select).value == "weekly":
            weekdays = [i for i in range(7) if self.query_one(f"#block-wd-{i}", Checkbox).value]
            try:
                interval = int(self.value("#block-interval") or "1")
            except ValueError:
                raise InputError("every N weeks: N is a whole number") from None
            ends = self.query_one("#block-ends", Select).value
            end_value = self.value("#block-end-value")
            until = count = None
            if ends == "until":
                if not end_value:
                    raise InputError(f"ends on a date: enter it ({DAY_FORMS})")
                until = parse_day(end_value, self.planner.calendar.today(self.planner.clock()))
            elif ends == "count":
                if not end_value.isdigit():
                    raise InputError("after N times: N is a whole number")
                count = int(end_value)
            try:
                rule = build_rrule(weekdays or [day.weekday()], interval, until, count)
            except PlanError as exc:
                raise InputError(str(exc)) from None
        try:
            check_block(day, start, minutes, rule, self.planner.tz.key)
        except PlanError as exc:
            raise InputError(str(exc)) from None
        return BlockValues(day, start, minutes, topic_id, self.value("#block-note"), rule)
