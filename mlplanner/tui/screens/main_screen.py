"""The main screen: roadmap, week and resources, read in one glance.

Its first frame needs only the curriculum: the services (and SQLModel under them) are
imported by the worker that reads the screen's data, and the screens and forms it opens
when they are opened, so the app draws before any of them is loaded.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message

from ...errors import PlannerError
from .. import loading
from ..components.fitted_footer import FittedFooter
from ..components.resources_pane import ResourceList, ResourcesPane
from ..components.roadmap_pane import RoadmapPane
from ..components.status_line import StatusLine
from ..components.week_pane import ShownBlock, WeekList, WeekPane
from ..errors import reports_errors
from ..keys import key_for, main_bindings
from ..text import open_link, say
from .base import PlannerScreen

if TYPE_CHECKING:
    from ...services import planning
    from ...services.overview import Overview
    from .block_form import BlockValues
    from .card_form import CardValues
    from .log_form import LoggedValues

WIDE = 150


class MainScreen(PlannerScreen[None]):
    """Reloads its data whenever it comes back on top: after a form, a review, the logbook."""

    CSS_PATH = [
        "main_screen.tcss",
        "../components/status_line.tcss",
        "../components/roadmap_pane.tcss",
        "../components/week_pane.tcss",
        "../components/resources_pane.tcss",
    ]

    BINDINGS = main_bindings()
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    class Loaded(Message):
        def __init__(self, overview: Overview) -> None:
            self.overview = overview
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.overview: Overview | None = None
        self.week_offset = 0
        self.deleted_blocks: list[planning.RemovedBlock] = []  # undone last first

    def compose(self) -> ComposeResult:
        curriculum = self.planner.curriculum
        yield StatusLine(curriculum.track.title, id="status-line", classes="pending")
        with Horizontal(id="panes"):
            yield RoadmapPane(curriculum, id="roadmap")
            with Vertical(id="side"):
                yield WeekPane(id="week")
                yield ResourcesPane(curriculum, id="resources")
        yield FittedFooter()

    def on_mount(self) -> None:
        self.query_one("#roadmap-tree").focus()

    def on_screen_resume(self) -> None:
        if self.overview is None and not self.planner.is_connected:
            self.call_after_refresh(self.reload)  # the first frame is not kept waiting
        else:
            self.reload()

    # Loading -----------------------------------------------------------------

    def week_first_day(self):
        return self.planner.calendar.this_week(self.planner.clock()) + timedelta(
            weeks=self.week_offset
        )

    @work(
        thread=True,
        exclusive=True,
        group="overview",
        exit_on_error=False,
        description="Reading your plan",
    )
    def reload(self) -> None:
        """Read the screen's data off the UI thread so the first paint never waits on it
        (the first read also opens the database, unless the app's worker is at it)."""
        planner = self.planner
        try:
            overview = self._read_lean() if not planner.is_connected else None
            if overview is None:  # the ordinary way: the database opened, if it is not yet
                with loading.IMPORTS:  # the first time, this imports SQLModel and the services
                    from ...services.overview import load_overview

                with planner.session() as session:
                    overview = load_overview(
                        session,
                        planner.curriculum,
                        planner.clock(),
                        planner.settings,
                        planner.calendar,
                        self.week_first_day(),
                    )
        except PlannerError:
            if self.overview is None:  # the start-up goes on without the first data
                self.app.call_from_thread(self.planner_app.main_loaded)
            raise
        self.post_message(self.Loaded(overview))

    def _read_lean(self) -> Overview | None:
        """The first read, with sqlite3 alone when it can be (`Planner.lean_reads`); None
        when it cannot, or when it fails (the ordinary way then reads, and says why if it
        fails too)."""
        from ...services.overview import read_overview

        planner = self.planner
        with planner.lean_reads() as lean:
            if lean is None:
                return None
            try:
                return read_overview(
                    lean.reads,
                    planner.curriculum,
                    planner.clock(),
                    planner.settings,
                    planner.calendar,
                    self.week_first_day(),
                )
            except PlannerError:
                return None

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.overview = message.overview
        self.query_one(StatusLine).show(message.overview.dashboard)
        self.query_one(WeekPane).show(message.overview, self.planner.tz)
        roadmap = self.query_one(RoadmapPane)
        roadmap.show(message.overview)
        if roadmap.selected_topic() is None:
            started = [t for t, s in message.overview.status.items() if s == "in_progress"]
            candidates = [*message.overview.next_up, *started, self.planner.curriculum.topics[0].id]
            roadmap.select_topic(candidates[0])
        self._show_topic(roadmap.selected_topic())
        self.planner_app.main_loaded()

    def _show_topic(self, topic_id: str | None) -> None:
        curriculum = self.planner.curriculum
        topic = curriculum.find_topic(topic_id)
        self.query_one(ResourcesPane).show(topic, self.overview)

    @on(RoadmapPane.TopicChosen)
    def _topic_chosen(self, message: RoadmapPane.TopicChosen) -> None:
        self._show_topic(message.topic_id)

    # Actions -----------------------------------------------------------------

    @reports_errors
    def action_set_status(self, status: str) -> None:
        from ...services import progress

        topic_id = self.query_one(RoadmapPane).selected_topic()
        if topic_id is None:
            self.notify("Move to a topic first.", severity="warning")
            return
        with self.planner.session() as session:
            progress.set_status(session, topic_id, status, self.planner.clock)
        title = self.planner.curriculum.topic_title(topic_id, topic_id)
        say(self, f"{title}: {status.replace('_', ' ')}", timeout=2)
        self.reload()

    def action_find_topic(self) -> None:
        self.query_one(RoadmapPane).open_filter()

    def action_toggle_off_path(self) -> None:
        hidden = self.query_one(RoadmapPane).toggle_off_path()
        self.notify(
            "Topics off your path hidden (v shows them)"
            if hidden
            else "Topics off your path shown, dimmed",
            timeout=2,
        )

    def preview_path(self, topic_ids: frozenset[str] | None) -> None:
        """The roadmap as a path in the setup would make it (None: the learner's own)."""
        self.query_one(RoadmapPane).preview_path(topic_ids)

    def action_settings(self) -> None:
        from .settings_screen import SettingsScreen

        self.app.push_screen(SettingsScreen())

    def action_setup(self) -> None:
        self.planner_app.start_setup()

    def action_collapse_all(self) -> None:
        self.query_one(RoadmapPane).set_all_expanded(False)

    def action_expand_all(self) -> None:
        self.query_one(RoadmapPane).set_all_expanded(True)

    def action_week(self, step: int) -> None:
        self.week_offset = 0 if step == 0 else self.week_offset + step
        self.reload()

    def action_focus_pane(self, pane: str) -> None:
        target = {"roadmap": "#roadmap-tree", "week": "#week-list", "resources": "#resource-list"}
        self.query_one(target[pane]).focus()

    def action_open_resource(self) -> None:
        resource = self.query_one(ResourcesPane).highlighted_resource()
        if resource is None:
            self.notify("This topic has no resource to open.", severity="warning")
            return
        if open_link(self, resource.url):
            say(self, f"Opening {resource.url}", timeout=3)

    @reports_errors
    def action_toggle_resource(self) -> None:
        from ...services import progress

        resource = self.query_one(ResourcesPane).highlighted_resource()
        if resource is None:
            self.notify("Highlight a resource first.", severity="warning")
            return
        with self.planner.session() as session:
            done = progress.toggle_resource(session, resource.id, self.planner.clock)
        say(self, f"{resource.title}: {'done' if done else 'not done'}", timeout=2)
        self.reload()

    @on(ResourceList.OptionSelected, "#resource-list")
    def _resource_selected(self) -> None:
        self.action_open_resource()

    # Logging -----------------------------------------------------------------

    @work(exit_on_error=False, description="Logging a study session")
    @reports_errors
    async def action_log_session(self) -> None:
        from ...services import logbook
        from ...services.durations import format_duration
        from .log_form import LogForm

        topic_id = self.query_one(RoadmapPane).selected_topic()
        title = self.planner.curriculum.topic_title(topic_id)

        def save(values: LoggedValues) -> None:  # the form stays open if this fails
            with self.planner.session() as session:
                logbook.log_session(
                    session,
                    self.planner.clock,
                    values.duration,
                    values.started_at,
                    values.topic_id,
                    values.note,
                    allow_overlap=values.allow_overlap,
                    tz=self.planner.tz,
                )

        form = LogForm(topic=title, save=save)
        values: LoggedValues | None = await self.app.push_screen_wait(form)
        if values is None:
            return
        self.notify(f"Logged {format_duration(values.duration)}", timeout=2, markup=False)
        self.reload()

    def action_history(self) -> None:
        from .history_screen import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def action_review(self, scope: str) -> None:
        roadmap = self.query_one(RoadmapPane)
        if scope == "all":
            self.planner_app.open_review("all", None)
        elif stage := roadmap.highlighted_stage():
            self.planner_app.open_review("stage", stage)
        elif topic := roadmap.selected_topic():
            self.planner_app.open_review("topic", topic)
        else:
            self.notify("Move to a topic or a stage first.", severity="warning")

    @work(exit_on_error=False, description="Adding a card")
    @reports_errors
    async def action_add_card(self) -> None:
        from ...services import cards as card_service
        from .card_form import CardForm

        topic_id = self.query_one(RoadmapPane).selected_topic() or ""
        values: CardValues | None = await self.app.push_screen_wait(CardForm(topic_id=topic_id))
        if values is None:
            return
        with self.planner.session() as session:
            card_service.add_card(
                session,
                values.topic_id,
                values.front,
                values.back,
                self.planner.clock(),
                values.tags,
            )
        title = self.planner.curriculum.topic_title(values.topic_id, values.topic_id)
        say(self, f"Card added to {title}; it comes up with the topic's new cards.", timeout=3)

    def action_browse_cards(self) -> None:
        from .card_browser import CardBrowser

        self.app.push_screen(CardBrowser())

    def action_statistics(self) -> None:
        from .stats_screen import StatsScreen

        self.app.push_screen(StatsScreen())

    @reports_errors
    def action_toggle_timer(self, pomodoro: bool = False) -> None:
        topic_id = self.query_one(RoadmapPane).selected_topic()
        self.planner_app.timer.toggle_from(self, topic_id, pomodoro)
        self.reload()

    def action_start_pomodoro(self) -> None:
        self.action_toggle_timer(pomodoro=True)

    @reports_errors
    def action_pause_timer(self) -> None:
        say(self, self.planner_app.timer.pause(), timeout=2)

    # Planning ----------------------------------------------------------------

    def _topic_title(self, topic_id: str | None) -> str:
        return self.planner.curriculum.topic_title(topic_id)

    def _next_up(self) -> tuple[str, ...]:
        return self.overview.next_up if self.overview else ()

    @reports_errors
    def _save(self, job, done: str, keeps_undo: bool = False) -> bool:
        """Run a change to the blocks and commit it. Any other change than a deletion or its
        undo ends what can be undone: a restore must not overwrite a later edit."""
        with self.planner.session() as session:
            job(session)
        if not keeps_undo:
            self.deleted_blocks.clear()
        self.notify(done, timeout=2)
        self.reload()
        return True

    @work(exit_on_error=False, description="Planning a study block")
    @reports_errors
    async def action_add_block(self) -> None:
        from ...services import planning
        from .block_form import BlockDraft, BlockForm

        week = self.query_one(WeekPane)
        day = week.selected_day() if week.has_focus_within else None
        if day is None:
            day = self.overview.today if self.overview else self.planner.clock().date()
            if self.overview and not (
                self.overview.week.start <= day <= self.overview.week.start + timedelta(days=6)
            ):
                day = self.overview.week.start
        topic = self._topic_title(self.query_one(RoadmapPane).selected_topic())
        values: BlockValues | None = await self.app.push_screen_wait(
            BlockForm(BlockDraft(day, topic=topic), next_up=self._next_up())
        )
        if values is None:
            return
        self._save(
            lambda s: planning.add_block(
                s,
                self.planner.clock,
                values.start_date,
                values.start_time,
                values.duration_min,
                self.planner.tz.key,
                values.rrule,
                values.topic_id,
                values.note,
            ),
            "Block planned",
        )

    def _highlighted_block(self) -> ShownBlock | None:
        entry = self.query_one(WeekPane).selected()
        if not isinstance(entry, ShownBlock):
            self.notify("Highlight a block in the week first (press 2).", severity="warning")
            return None
        return entry

    @work(exit_on_error=False, description="Changing a study block")
    @reports_errors
    async def action_edit_block(self) -> None:
        from ...services import planning
        from .block_form import BlockForm, draft_from_rule
        from .scope_question import ScopeQuestion

        shown = self._highlighted_block()
        if shown is None:
            return
        occurrence = shown.occurrence
        with self.planner.session() as session:
            block = planning.get_block(session, occurrence.block_id)
        scope = "series"
        if block.rrule:
            scope = await self.app.push_screen_wait(ScopeQuestion("Change"))
            if scope is None:
                return
        day = block.start_date if scope == "series" else occurrence.start.date()
        rule = block.rrule if scope != "one" else None
        draft = draft_from_rule(
            day,
            block.start_time,
            block.duration_min,
            self._topic_title(block.topic_id),
            block.note,
            rule,
        )
        values: BlockValues | None = await self.app.push_screen_wait(
            BlockForm(draft, "Change the study block", self._next_up())
        )
        if values is None:
            return
        fields = {
            "start_date": values.start_date,
            "start_time": values.start_time,
            "duration_min": values.duration_min,
            "topic_id": values.topic_id,
            "note": values.note,
        }
        clock, day = self.planner.clock, occurrence.start.date()
        self._save(
            lambda s: planning.change_block(
                s, clock, block.id, scope, day, rrule=values.rrule, **fields
            ),
            "Block changed",
        )

    @work(exit_on_error=False, description="Deleting a study block")
    @reports_errors
    async def action_delete_block(self) -> None:
        from ...services import planning
        from .confirm import Confirm
        from .scope_question import ScopeQuestion

        shown = self._highlighted_block()
        if shown is None:
            return
        occurrence = shown.occurrence
        day = occurrence.start.date()
        with self.planner.session() as session:
            block = planning.get_block(session, occurrence.block_id)
        if block.rrule:
            scope = await self.app.push_screen_wait(ScopeQuestion("Delete"))
        else:
            confirmed = await self.app.push_screen_wait(
                Confirm(f"Delete {occurrence.topic_title} on {day:%a %d %b}?")
            )
            scope = "series" if confirmed else None
        if scope is None:
            return

        removed: list[planning.RemovedBlock] = []

        def remove(session) -> None:
            removed.append(planning.remove_block(session, block.id, scope, day))

        undo = key_for(MainScreen, "undo-block-delete", self.planner_app.keymap)
        if self._save(remove, f"Block deleted — {undo} to undo", keeps_undo=True):
            self.deleted_blocks.extend(removed)  # only once the deletion is committed

    @reports_errors
    def action_undo_block_delete(self) -> None:
        from ...services import planning

        if not self.deleted_blocks:
            self.notify("No block deletion to undo", severity="warning", timeout=2)
            return
        kept = self.deleted_blocks.pop()
        restore = lambda s: planning.restore_block(s, kept)  # noqa: E731
        if not self._save(restore, "Block restored", keeps_undo=True):
            self.deleted_blocks.append(kept)

    @on(WeekList.OptionSelected, "#week-list")
    def _week_entry_chosen(self) -> None:
        if isinstance(self.query_one(WeekPane).selected(), ShownBlock):
            self.action_edit_block()
        else:
            self.action_add_block()

    @work(exit_on_error=False, description="Planning the week")
    @reports_errors
    async def action_plan_week(self) -> None:
        from ...services import autoplan, planning
        from .plan_proposal import PlanProposal

        if self.overview is None:
            return
        settings = self.planner.settings
        windows = autoplan.parse_windows(settings.availability)
        titles = {t.id: t.title for t in self.planner.curriculum.topics}
        with self.planner.session() as session:
            topics = autoplan.topics_to_plan(session, self.planner.curriculum)
            proposals = autoplan.propose(
                self.overview.week,
                windows,
                topics,
                titles,
                self.planner.tz,
                self.planner.clock(),
                settings.session_minutes,
                session=session,
            )
        if not proposals:
            self.notify(
                "Nothing to add: the week already meets the target, or no free window is left.",
                title="Plan my week",
            )
            return
        kept = await self.app.push_screen_wait(PlanProposal(proposals))
        if not kept:
            return

        def add_all(session) -> None:
            for p in kept:
                planning.add_block(
                    session,
                    self.planner.clock,
                    p.day,
                    p.start,
                    p.duration_min,
                    self.planner.tz.key,
                    topic_id=p.topic_id,
                )

        self._save(add_all, f"{len(kept)} blocks planned")

    @reports_errors
    def action_export_ics(self) -> None:
        from ...services.calendar_export import export_ics
        from .export_form import FILE_NAME, ExportForm

        with self.planner.session() as session:
            data = export_ics(
                session,
                self.planner.curriculum,
                self.planner.clock(),
                self.planner.settings.reminder_minutes,
            )
        if self.app.is_web:  # in a browser (mlplanner serve): a download, not a server file
            from io import BytesIO

            self.app.deliver_binary(
                BytesIO(data), save_filename=FILE_NAME, mime_type="text/calendar"
            )
            self.notify(f"Downloading {FILE_NAME}", title="Study plan exported", markup=False)
            return

        def written(target: Path | None) -> None:
            if target is not None:
                say(self, f"Wrote {target}", title="Study plan exported", timeout=5)

        self.app.push_screen(ExportForm(data), written)
