"""The setup a new learner goes through (and anyone can run again with P): path, electives,
what they already know, their weekly target, their study blocks.

Each step is a form: it stores its result only when the learner confirms (ctrl+s, or
enter on a path), inside one unit of work, and Escape leaves the database as it was.
While a path or an elective is highlighted the roadmap behind shows what it would give."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Select, SelectionList, Static
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from ...errors import BadInput, PlannerError
from ...services import autoplan, learner, planning, progress
from ...services.durations import format_hours
from ...services.learner import LearnerPlan
from ...services.projection import finish_date, hours_per_week_needed, parse_target_date
from ...services.projection import remaining_hours as path_hours_left
from ...services.recurrence import weekly_rule
from ...services.stats import logged_per_topic
from ...services.week import week_view
from ...vocabulary import FINISHED_STATUSES
from ..text import clean, plain
from .form_screen import FormScreen

Preview = Callable[[frozenset[str] | None], None]
STEPS = 5


def step_title(number: int, title: str) -> Static:
    return Static(
        Text(f"Set up my plan · step {number} of {STEPS} · {title}"), classes="dialog-title"
    )


def hours_text(hours: float) -> str:
    return f"{hours:,.0f} h"


class SetupStep(FormScreen[bool]):
    """A step returns True when it stored something, False when there was nothing to store,
    None when the learner left the setup with Escape."""

    CSS_PATH = "setup_steps.tcss"

    def __init__(self, preview: Preview | None = None) -> None:
        super().__init__()
        self.preview = preview or (lambda ids: None)

    def action_cancel(self) -> None:
        self.preview(None)
        super().action_cancel()

    def action_save(self) -> None:
        try:
            values = self.check()
        except PlannerError as exc:
            self.show_error(str(exc))
            return
        self.preview(None)
        self.dismiss(values)

    def footer(self, prefix: str, save: str = "Next  ctrl+s") -> ComposeResult:
        yield self.error_line(f"{prefix}-error")
        with Horizontal(classes="dialog-buttons"):
            yield Button(save, variant="primary", id=f"{prefix}-save", classes="form-save")
            yield Button("Leave setup  esc", id=f"{prefix}-cancel", classes="form-cancel")


# 1. The path ------------------------------------------------------------------------


def path_prompt(summary: learner.PathSummary) -> Text:
    text = Text()
    text.append_text(plain(summary.title, "bold", one_line=True))
    text.append(f"  {hours_text(summary.hours)} · {summary.topics} topics", "dim")
    if summary.default:
        text.append("  (default)", "italic")
    text.append("\n")
    text.append_text(plain(summary.summary))
    return text


class PathStep(SetupStep):
    """Pick a path: each with its hours and summary; enter or ctrl+s chooses."""

    SAVE_ON_ENTER = False

    def compose(self) -> ComposeResult:
        curriculum = self.planner.curriculum
        self.paths = learner.list_paths(curriculum)
        with Vertical(id="path-dialog", classes="dialog setup-dialog"):
            yield step_title(1, "your path")
            yield Static(
                "Which role are you aiming for? Topics off the path are dimmed behind this "
                "dialog and count in no total; you can change this later (P).",
                classes="dialog-help",
            )
            yield OptionList(*[Option(path_prompt(p), id=p.id) for p in self.paths], id="path-list")
            yield from self.footer("path", "Choose  enter")

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        current = self.planner.plan()
        ids = [p.id for p in self.paths]
        if current.path is not None and current.path.id in ids:
            listing.highlighted = ids.index(current.path.id)
        listing.focus()

    def highlighted_path(self) -> str | None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return None
        return self.paths[listing.highlighted].id

    @on(OptionList.OptionHighlighted, "#path-list")
    def _highlighted(self) -> None:
        path_id = self.highlighted_path()
        if path_id is not None:
            self.preview(learner.preview(self.planner.curriculum, path_id).topic_ids)

    @on(OptionList.OptionSelected, "#path-list")
    def _selected(self) -> None:
        self.action_save()

    def check(self) -> bool:
        path_id = self.highlighted_path()
        if path_id is None:
            raise BadInput("highlight a path first", title="Path")
        current = self.planner.plan()
        same = current.path is not None and current.path.id == path_id
        with self.planner.session() as session:
            learner.choose_path(
                session, self.planner.curriculum, path_id, dict(current.picks) if same else None
            )
        return True


# 2. Electives -----------------------------------------------------------------------


def picks_wanted(group) -> str:
    if group.min_picks == group.max_picks:
        return f"pick {group.min_picks}"
    return f"pick {group.min_picks} to {group.max_picks}"


class ElectivesStep(SetupStep):
    """One checklist per elective group of the chosen path; space ticks a topic."""

    def __init__(self, plan: LearnerPlan, preview: Preview | None = None) -> None:
        super().__init__(preview)
        self.plan = plan

    def compose(self) -> ComposeResult:
        curriculum = self.planner.curriculum
        with VerticalScroll(id="electives-dialog", classes="dialog setup-dialog"):
            yield step_title(2, "electives")
            yield Static(
                "space ticks a topic · tab goes to the next group · ctrl+s confirms · "
                "esc leaves the setup",
                classes="dialog-help",
            )
            for index, choice in enumerate(self.plan.groups):
                group = choice.group
                yield Label(plain(f"{group.title} — {picks_wanted(group)}", one_line=True))
                if group.summary:
                    yield Static(plain(group.summary), classes="dialog-help")
                yield SelectionList[str](
                    *[
                        Selection(
                            plain(
                                f"{curriculum.topic_title(t, t)}  {hours_text(self._hours(t))}",
                                one_line=True,
                            ),
                            t,
                            t in choice.picked,
                        )
                        for t in choice.offered
                    ],
                    id=f"group-{index}",
                    classes="setup-list",
                )
            yield from self.footer("electives")

    def _hours(self, topic_id: str) -> float:
        topic = self.planner.curriculum.find_topic(topic_id)
        return topic.hours if topic else 0.0

    def on_mount(self) -> None:
        lists = self.query(SelectionList)
        if lists:
            lists.first().focus()

    def picks(self) -> dict[str, list[str]]:
        result = {}
        for index, choice in enumerate(self.plan.groups):
            listing = self.query_one(f"#group-{index}", SelectionList)
            result[choice.group.id] = [t for t in choice.offered if t in listing.selected]
        return result

    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        assert self.plan.path is not None
        try:
            shown = learner.preview(self.planner.curriculum, self.plan.path.id, self.picks())
        except PlannerError as exc:
            self.show_error(str(exc))
            return
        self.query_one(".form-error", Static).update("")
        self.preview(shown.topic_ids)

    def check(self) -> bool:
        assert self.plan.path is not None
        picks = self.picks()
        with self.planner.session() as session:
            learner.choose_path(session, self.planner.curriculum, self.plan.path.id, picks)
        return True


# 3. What the learner already knows --------------------------------------------------


class KnownStep(SetupStep):
    """Per stage, a checklist of the path's topics not yet finished: tick what you know."""

    BINDINGS = [Binding("ctrl+a", "tick_stage", "Tick / untick the stage", id="setup-tick-stage")]

    def __init__(self, plan: LearnerPlan, preview: Preview | None = None) -> None:
        super().__init__(preview)
        self.plan = plan

    def compose(self) -> ComposeResult:
        with self.planner.session() as session:
            status = progress.statuses(session)
        self.finished = sum(1 for t in self.plan.topic_ids if status.get(t) in FINISHED_STATUSES)
        with VerticalScroll(id="known-dialog", classes="dialog setup-dialog"):
            yield step_title(3, "what you already know")
            yield Static(
                "Tick the topics you already know, so the plan does not start you on them. "
                "space ticks · ctrl+a ticks a whole stage · tab: next stage · ctrl+s confirms",
                classes="dialog-help",
            )
            yield Select(
                [
                    ("mark them done (I know this)", "done"),
                    ("mark them skipped (not for me)", "skipped"),
                ],
                value="done",
                allow_blank=False,
                id="known-status",
            )
            if self.finished:
                yield Static(
                    Text(f"{self.finished} topics of your path are already done or skipped."),
                    classes="dialog-help",
                )
            for stage in self.planner.curriculum.stages:
                topics = [
                    t
                    for t in stage.topics
                    if self.plan.on_path(t.id) and status.get(t.id) not in FINISHED_STATUSES
                ]
                if not topics:
                    continue
                yield Label(plain(stage.title, one_line=True))
                yield SelectionList[str](
                    *[
                        Selection(plain(f"{t.title}  {hours_text(t.hours)}", one_line=True), t.id)
                        for t in topics
                    ],
                    id=f"known-{stage.id}",
                    classes="setup-list",
                )
            yield from self.footer("known")

    def on_mount(self) -> None:
        lists = self.query(SelectionList)
        if lists:
            lists.first().focus()

    def action_tick_stage(self) -> None:
        focused = self.focused
        if not isinstance(focused, SelectionList):
            return
        if len(focused.selected) == focused.option_count:
            focused.deselect_all()
        else:
            focused.select_all()

    def ticked(self) -> list[str]:
        return [t for listing in self.query(SelectionList) for t in listing.selected]

    def check(self) -> bool:
        ticked = self.ticked()
        if not ticked:
            return False
        status = str(self.query_one("#known-status", Select).value)
        with self.planner.session() as session:
            progress.set_statuses(session, ticked, status, self.planner.clock)
        return True


# 4. Weekly target, availability, target date ----------------------------------------


class TargetStep(SetupStep):
    """The weekly hours and the windows to study in, or a date to finish by (from which the
    weekly hours it needs are shown, and ctrl+t takes them as the target)."""

    BINDINGS = [Binding("ctrl+t", "use_needed", "Use the hours needed", id="setup-use-needed")]

    def compose(self) -> ComposeResult:
        settings = self.planner.settings
        planner = self.planner
        with planner.session() as session:
            plan = learner.plan(session, planner.curriculum)
            self.left = path_hours_left(
                planner.curriculum,
                progress.statuses(session),
                logged_per_topic(session),
                plan.topic_ids,
            )
        self.today = planner.calendar.today(planner.clock())
        self.needed: float | None = None
        with VerticalScroll(id="target-dialog", classes="dialog setup-dialog"):
            yield step_title(4, "your week")
            yield Static(Text(f"Your path has {hours_text(self.left)} left."), id="target-left")
            yield Static("", id="target-estimate")
            yield Label("Hours a week")
            yield Input(f"{settings.weekly_target_hours:g}", id="target-hours")
            yield Label("When you can study (days and times)")
            yield Input(clean(settings.availability, one_line=True), id="target-availability")
            yield Static("e.g. mon-fri 19:00-21:00; sat 09:00-13:00", classes="dialog-help")
            yield Label("Or: a date to finish by (YYYY-MM-DD, empty for none)")
            yield Input(clean(settings.target_date, one_line=True), id="target-date")
            yield from self.footer("target")

    def on_mount(self) -> None:
        self.query_one("#target-hours", Input).focus()
        self._estimate()

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    @on(Input.Changed)
    def _estimate(self) -> None:
        text = Text()
        try:
            hours = float(self._value("#target-hours"))
        except ValueError:
            hours = 0.0
        if hours > 0:
            finish = finish_date(self.today, self.left, hours)
            when = f"{finish:%b %Y}" if finish else "more than ten years from now"
            text.append(f"At {hours:g} h a week you finish in {when}.")
        self.needed = None
        try:
            target = parse_target_date(self._value("#target-date"))
        except ValueError:
            target = None
            text.append("\nThe finish date is not a date like 2027-12-31.")
        if target is not None:
            needed = hours_per_week_needed(self.left, self.today, target)
            if needed is None:
                text.append(f"\n{target:%d %b %Y} is not after today.")
            else:
                self.needed = needed
                text.append(f"\nTo finish by {target:%d %b %Y}: ")
                text.append(f"{format_hours(needed)} h a week", "bold")
                text.append(" (ctrl+t uses it as your weekly hours).")
        self.query_one("#target-estimate", Static).update(text)

    def action_use_needed(self) -> None:
        if self.needed is None:
            self.show_error("type a date to finish by first")
            return
        hours = max(0.5, round(self.needed * 2 + 0.49) / 2)  # rounded up to half an hour
        self.query_one("#target-hours", Input).value = f"{hours:g}"

    def check(self) -> bool:
        try:
            hours = float(self._value("#target-hours"))
        except ValueError:
            raise BadInput(
                f"hours a week: '{self._value('#target-hours')}' is not a number",
                title="Settings",
            ) from None
        changes = {
            "weekly_target_hours": hours,
            "availability": self._value("#target-availability"),
            "target_date": self._value("#target-date"),
        }
        settings = self.planner.settings
        changes = {k: v for k, v in changes.items() if getattr(settings, k) != v}
        if not changes:
            return False
        try:
            self.planner.update_settings(**changes)
        except PlannerError:
            raise
        except ValueError as exc:
            raise BadInput(str(exc), title="Settings") from None
        return True


# 5. Study blocks ---------------------------------------------------------------------


@dataclass(frozen=True)
class WeeklyBlock:
    """A recurring block the setup proposes: every week on a weekday, from `first`."""

    first: date
    start: time
    duration_min: int

    def label(self) -> Text:
        hours, minutes = divmod(self.duration_min, 60)
        length = f"{hours}h{minutes:02d}" if hours else f"{minutes}m"
        return Text(
            f"every {self.first:%A}".ljust(16)
            + f"{self.start:%H:%M}  {length:>5}  from {self.first:%d %b}"
        )


def weekly_blocks(planner) -> list[WeeklyBlock]:
    """Blocks for next week's free time in the availability windows, up to the weekly target
    (the auto-plan's proposal), each to repeat every week."""
    curriculum, calendar = planner.curriculum, planner.calendar
    first = calendar.this_week(planner.clock()) + timedelta(weeks=1)
    windows = autoplan.parse_windows(planner.settings.availability)
    with planner.session() as session:
        week = week_view(session, curriculum, first, calendar, planner.settings.weekly_target_hours)
        topics = autoplan.topics_to_plan(session, curriculum)
        if not topics:  # everything done: blocks are still study time
            topics = [(curriculum.topics[0].id, 1e6)]
        titles = {t.id: t.title for t in curriculum.topics}
        proposals = autoplan.propose(
            week,
            windows,
            [(topic_id, 1e6) for topic_id, _hours in topics[:1]],
            titles,
            planner.tz,
            planner.clock(),
            planner.settings.session_minutes,
            session=session,
        )
    return [WeeklyBlock(p.day, p.start, p.duration_min) for p in proposals]


class BlocksStep(SetupStep):
    """Show the recurring blocks the availability gives; ctrl+s creates the ticked ones."""

    def compose(self) -> ComposeResult:
        self.blocks = weekly_blocks(self.planner)
        settings = self.planner.settings
        with Vertical(id="blocks-dialog", classes="dialog setup-dialog"):
            yield step_title(5, "study blocks (optional)")
            if self.blocks:
                yield Static(
                    plain(
                        f"Weekly blocks in your free time ({settings.availability}) up to "
                        f"{settings.weekly_target_hours:g} h a week. space keeps or drops "
                        "one · ctrl+s creates the kept ones · esc creates none"
                    ),
                    classes="dialog-help",
                )
            else:
                yield Static(
                    "Nothing to add: your blocks already meet the weekly target, or your "
                    "availability leaves no free time. esc or ctrl+s finishes the setup.",
                    classes="dialog-help",
                )
            yield SelectionList[int](
                *[Selection(b.label(), i, True) for i, b in enumerate(self.blocks)],
                id="blocks-list",
                classes="setup-list",
            )
            yield from self.footer("blocks", "Create  ctrl+s")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def check(self) -> bool:
        kept = [self.blocks[i] for i in sorted(self.query_one(SelectionList).selected)]
        if not kept:
            return False
        planner = self.planner
        with planner.session() as session:
            for block in kept:
                planning.add_block(
                    session,
                    planner.clock,
                    block.first,
                    block.start,
                    block.duration_min,
                    planner.tz.key,
                    weekly_rule([block.first.weekday()], 1, None, None),
                )
        return True
