"""The main screen: roadmap, week and resources, read in one glance."""

from __future__ import annotations

from datetime import timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from ...services import logbook, progress
from ...services.days import study_day, week_start
from ...services.durations import format_duration
from ...services.overview import Overview, load_overview
from ..components.resources_pane import ResourceList, ResourcesPane
from ..components.roadmap_pane import RoadmapPane
from ..components.status_line import StatusLine
from ..components.week_pane import WeekPane
from ..keys import main_bindings
from .history_screen import HistoryScreen
from .log_form import LogForm, LoggedValues
from .stats_screen import StatsScreen

WIDE = 150


class MainScreen(Screen[None]):
    BINDINGS = main_bindings()

    class Loaded(Message):
        def __init__(self, overview: Overview) -> None:
            self.overview = overview
            super().__init__()

    def __init__(self) -> None:
        super().__init__()
        self.overview: Overview | None = None
        self.week_offset = 0

    @property
    def planner(self):
        return self.app.planner

    def compose(self) -> ComposeResult:
        curriculum = self.planner.curriculum
        yield StatusLine(curriculum.track.title, id="status-line")
        with Horizontal(id="panes"):
            yield RoadmapPane(curriculum, id="roadmap")
            with Vertical(id="side"):
                yield WeekPane(id="week")
                yield ResourcesPane(curriculum, id="resources")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#roadmap-tree").focus()
        self._apply_width(self.size.width)
        self.show_timer(self.app.timer_text())
        self.reload()

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width >= WIDE, "-wide")

    # Loading -----------------------------------------------------------------

    def week_first_day(self):
        app = self.app
        today = study_day(self.planner.clock(), app.tz, app.settings.rollover_hour)
        return week_start(today, app.user_config.first_weekday) + timedelta(weeks=self.week_offset)

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def reload(self) -> None:
        """Read the screen's data off the UI thread so the first paint never waits on it."""
        app = self.app
        with self.planner.session() as session:
            overview = load_overview(
                session,
                self.planner.curriculum,
                self.planner.clock(),
                app.settings,
                app.tz,
                self.week_first_day(),
                app.user_config.first_weekday,
            )
        self.post_message(self.Loaded(overview))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.overview = message.overview
        self.query_one(StatusLine).show(message.overview.dashboard)
        self.query_one(WeekPane).show(message.overview.week, message.overview.today)
        roadmap = self.query_one(RoadmapPane)
        roadmap.show(message.overview)
        if roadmap.selected_topic() is None and message.overview.next_up:
            roadmap.select_topic(message.overview.next_up[0])
        self._show_topic(roadmap.selected_topic())

    def _show_topic(self, topic_id: str | None) -> None:
        curriculum = self.planner.curriculum
        topic = curriculum.topic(topic_id) if topic_id else None
        self.query_one(ResourcesPane).show(topic, self.overview)

    @on(RoadmapPane.TopicChosen)
    def _topic_chosen(self, message: RoadmapPane.TopicChosen) -> None:
        self._show_topic(message.topic_id)

    # Actions -----------------------------------------------------------------

    def action_set_status(self, status: str) -> None:
        topic_id = self.query_one(RoadmapPane).selected_topic()
        if topic_id is None:
            self.notify("Move to a topic first.", severity="warning")
            return
        with self.planner.session() as session:
            progress.set_status(session, topic_id, status, self.planner.clock)
        title = self.planner.curriculum.topic(topic_id).title
        self.notify(f"{title}: {status.replace('_', ' ')}", timeout=2)
        self.reload()

    def action_find_topic(self) -> None:
        self.query_one(RoadmapPane).open_filter()

    def action_collapse_all(self) -> None:
        self.query_one(RoadmapPane).set_all_expanded(False)

    def action_expand_all(self) -> None:
        self.query_one(RoadmapPane).set_all_expanded(True)

    def action_week(self, step: int) -> None:
        self.week_offset = 0 if step == 0 else self.week_offset + step
        self.reload()

    def action_focus_pane(self, pane: str) -> None:
        target = {"roadmap": "#roadmap-tree", "week": "#week", "resources": "#resource-list"}
        self.query_one(target[pane]).focus()

    def action_open_resource(self) -> None:
        resource = self.query_one(ResourcesPane).highlighted_resource()
        if resource is None:
            self.notify("This topic has no resource to open.", severity="warning")
            return
        self.app.open_url(resource.url)
        self.notify(f"Opening {resource.url}", timeout=3)

    def action_toggle_resource(self) -> None:
        resource = self.query_one(ResourcesPane).highlighted_resource()
        if resource is None:
            self.notify("Highlight a resource first.", severity="warning")
            return
        with self.planner.session() as session:
            done = progress.toggle_resource(session, resource.id, self.planner.clock)
        self.notify(f"{resource.title}: {'done' if done else 'not done'}", timeout=2)
        self.reload()

    @on(ResourceList.OptionSelected)
    def _resource_selected(self) -> None:
        self.action_open_resource()

    # Logging -----------------------------------------------------------------

    @work
    async def action_log_session(self) -> None:
        topic_id = self.query_one(RoadmapPane).selected_topic()
        title = self.planner.curriculum.topic(topic_id).title if topic_id else ""
        values: LoggedValues | None = await self.app.push_screen_wait(LogForm(topic=title))
        if values is None:
            return
        try:
            with self.planner.session() as session:
                logbook.log_session(
                    session,
                    self.planner.clock,
                    values.duration,
                    values.started_at,
                    values.topic_id,
                    values.note,
                )
        except logbook.LogError as exc:
            self.notify(str(exc), title="Not logged", severity="error")
            return
        self.notify(f"Logged {format_duration(values.duration)}", timeout=2)
        self.reload()

    def action_history(self) -> None:
        self.app.push_screen(HistoryScreen(), callback=lambda _result: self.reload())

    def action_statistics(self) -> None:
        self.app.push_screen(StatsScreen())

    def action_toggle_timer(self) -> None:
        self.app.toggle_timer(self.query_one(RoadmapPane).selected_topic())

    def action_start_pomodoro(self) -> None:
        self.app.toggle_timer(self.query_one(RoadmapPane).selected_topic(), pomodoro=True)

    def action_pause_timer(self) -> None:
        self.app.pause_timer()

    def show_timer(self, text: str) -> None:
        self.query_one(StatusLine).set_timer(text)
