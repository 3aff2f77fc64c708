"""The roadmap: stages and topics as a tree, with status marks and what is next up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from ...curriculum import Curriculum
from ..text import plain

if TYPE_CHECKING:  # the services are loaded with the data, after the first frame
    from ...services.overview import Overview

MARKS = {"not_started": "○", "in_progress": "◐", "done": "●", "skipped": "⊘"}


@dataclass(frozen=True)
class TopicRef:
    topic_id: str


class RoadmapTree(Tree[TopicRef | str]):
    BINDINGS = [Binding("escape", "leave_filter", "Clear filter", show=False)]

    def action_leave_filter(self) -> None:
        self.post_message(RoadmapPane.FilterEscaped())


class RoadmapPane(Vertical):
    """Left pane. Posts TopicChosen when the cursor rests on a topic."""

    class TopicChosen(Message):
        def __init__(self, topic_id: str) -> None:
            self.topic_id = topic_id
            super().__init__()

    class FilterEscaped(Message):
        """Escape in the filter or the tree: clear the filter's text, or close an empty one."""

    def __init__(self, curriculum: Curriculum, **kwargs) -> None:
        super().__init__(**kwargs)
        self.curriculum = curriculum
        self.overview: Overview | None = None
        self.current_topic: str | None = None
        self.border_title = "Roadmap"
        self.border_subtitle = "dim: off path"
        self.hide_off_path = False
        self.preview_ids: frozenset[str] | None = None  # a path the setup is showing

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Find a topic…  (esc to clear)", id="topic-filter")
        tree = RoadmapTree(plain(self.curriculum.track.title, one_line=True), id="roadmap-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree
        yield Static("", id="roadmap-legend")

    def on_mount(self) -> None:
        self.query_one("#topic-filter").display = False
        self.query_one("#roadmap-legend", Static).update(
            Text.assemble(
                ("○ to do ◐ started ● done ⊘ skipped ", "dim"),
                ("★ next up", "bold"),
            )
        )
        self.rebuild()

    @property
    def tree(self) -> RoadmapTree:
        return self.query_one(RoadmapTree)

    @property
    def filter_text(self) -> str:
        return self.query_one("#topic-filter", Input).value.strip().lower()

    def show(self, overview: Overview) -> None:
        first = self.overview is None
        self.overview = overview
        self.rebuild()
        if first:
            self.call_after_refresh(self.fill_height)

    def fill_height(self) -> None:
        """Open further stages, in roadmap order, while their topics fit the rows the
        tree has: a tall terminal shows more of the roadmap than the first stage."""
        tree = self.tree
        rows = tree.scrollable_content_region.height
        shown = sum(1 + (len(n.children) if n.is_expanded else 0) for n in tree.root.children)
        for node in tree.root.children:
            if node.is_expanded:
                continue
            if shown + len(node.children) > rows:
                break
            node.expand()
            shown += len(node.children)

    def on_path(self) -> frozenset[str] | None:
        """The topics on the path shown: the one the setup previews, else the learner's."""
        if self.preview_ids is not None:
            return self.preview_ids
        return self.overview.on_path if self.overview else None

    def preview_path(self, topic_ids: frozenset[str] | None) -> None:
        """Show the roadmap as a path would make it (None: back to the learner's own)."""
        self.preview_ids = topic_ids
        self.rebuild()

    def toggle_off_path(self) -> bool:
        """Hide or show the topics off the path; True when they are now hidden."""
        self.hide_off_path = not self.hide_off_path
        self.border_subtitle = "off path: hidden" if self.hide_off_path else "dim: off path"
        self.rebuild()
        return self.hide_off_path

    def rebuild(self) -> None:
        """Relabel the tree, keeping which stages are open and where the cursor is."""
        tree = self.tree
        selected = self.current_topic
        opened = {
            node.data for node in tree.root.children if node.is_expanded and node.data
        } or None
        status = self.overview.status if self.overview else {}
        next_up = set(self.overview.next_up) if self.overview else set()
        stages = {p.stage.id: p for p in self.overview.stages} if self.overview else {}
        if self.preview_ids is not None:
            from ...services.progress import stage_progress

            stages = {
                p.stage.id: p for p in stage_progress(self.curriculum, status, self.preview_ids)
            }
        needle = self.filter_text
        on_path = self.on_path()
        tree.clear()
        cursor_node: TreeNode | None = None
        for stage in self.curriculum.stages:
            topics = [
                t for t in stage.topics if not needle or needle in t.title.lower() or needle in t.id
            ]
            if self.hide_off_path and on_path is not None:
                topics = [t for t in topics if t.id in on_path]
            if (needle or self.hide_off_path) and not topics:
                continue
            off_stage = on_path is not None and not any(t.id in on_path for t in stage.topics)
            label = plain(stage.title, "dim" if off_stage else "bold", one_line=True)
            if stage.id in stages and not off_stage:
                p = stages[stage.id]
                label.append(f"  {p.done}/{p.total} · {p.hours_done:g}/{p.hours_total:g}h", "dim")
            expand = bool(needle) or (opened is None and stage is self.curriculum.stages[0])
            expand = expand or (opened is not None and stage.id in opened)
            node = tree.root.add(label, data=stage.id, expand=expand)
            for topic in topics:
                state = status.get(topic.id, "not_started")
                text = Text(f"{MARKS[state]} ")
                style = {"done": "dim", "skipped": "dim strike"}.get(state, "")
                if on_path is not None and topic.id not in on_path:
                    style = "dim italic"
                text.append_text(plain(topic.title, style, one_line=True))
                if topic.id in next_up:
                    text.append(" ★", "bold")
                leaf = node.add_leaf(text, data=TopicRef(topic.id))
                if selected == topic.id:
                    cursor_node = leaf
        if cursor_node is not None:
            # The tree lays out its lines on the next refresh; move the cursor after it.
            self.call_after_refresh(tree.move_cursor, cursor_node)

    def selected_topic(self) -> str | None:
        return self.current_topic

    def highlighted_stage(self) -> str | None:
        """The stage under the cursor, when the cursor is on a stage rather than a topic."""
        node = self.tree.cursor_node
        return node.data if node is not None and isinstance(node.data, str) else None

    def select_topic(self, topic_id: str) -> None:
        for stage_node in self.tree.root.children:
            for leaf in stage_node.children:
                if isinstance(leaf.data, TopicRef) and leaf.data.topic_id == topic_id:
                    stage_node.expand()
                    self._move_to(leaf)
                    return

    def _move_to(self, leaf: TreeNode) -> None:
        assert isinstance(leaf.data, TopicRef)
        self.current_topic = leaf.data.topic_id
        # The tree lays out its lines on the next refresh; move the cursor after it.
        self.call_after_refresh(self.tree.move_cursor, leaf)
        self.post_message(self.TopicChosen(leaf.data.topic_id))

    def open_filter(self) -> None:
        box = self.query_one("#topic-filter", Input)
        box.display = True
        box.focus()

    def set_all_expanded(self, expanded: bool) -> None:
        for node in self.tree.root.children:
            if expanded:
                node.expand()
            else:
                node.collapse()

    @on(Input.Changed, "#topic-filter")
    def _filter_changed(self) -> None:
        self.rebuild()

    @on(Input.Submitted, "#topic-filter")
    def _filter_done(self) -> None:
        self.enter_results()

    def enter_results(self) -> None:
        """From the filter into the tree, on the first topic it found."""
        tree = self.tree
        tree.focus()
        for stage_node in tree.root.children:
            if stage_node.children:
                self._move_to(stage_node.children[0])
                break

    @on(FilterEscaped)
    def _escape_filter(self) -> None:
        box = self.query_one("#topic-filter", Input)
        if not box.display:
            return
        if box.value:
            box.value = ""  # the first escape clears; the tree shows every topic again
            self.rebuild()
            return
        box.display = False
        self.tree.focus()

    def on_key(self, event: events.Key) -> None:
        box = self.query_one("#topic-filter", Input)
        if not box.has_focus:
            return
        if event.key == "escape":
            event.stop()
            self.post_message(self.FilterEscaped())
        elif event.key == "down":
            event.stop()
            self.enter_results()

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        if isinstance(event.node.data, TopicRef) and event.node.data.topic_id != self.current_topic:
            self.current_topic = event.node.data.topic_id
            self.post_message(self.TopicChosen(event.node.data.topic_id))
