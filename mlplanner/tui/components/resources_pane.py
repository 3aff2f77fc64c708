"""The topic in hand: what it is, what to learn, what it needs, and where to learn it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...curriculum import Curriculum, Topic
from ..text import clean, plain
from .roadmap_pane import MARKS

if TYPE_CHECKING:  # the services are loaded with the data, after the first frame
    from ...services.overview import Overview

STATUS_WORDS = {
    "not_started": "not started",
    "in_progress": "in progress",
    "done": "done",
    "skipped": "skipped",
}


def describe(topic: Topic, curriculum: Curriculum, overview: Overview | None) -> Text:
    status = overview.status if overview else {}
    text = Text()
    text.append_text(plain(topic.title, "bold", one_line=True))
    state = status.get(topic.id, "not_started")
    text.append(f"  {MARKS[state]} {STATUS_WORDS[state]} · ~{topic.hours:g}h\n", "dim")
    text.append_text(plain(topic.summary))
    text.append("\nObjectives\n", "bold")
    for objective in topic.objectives:
        text.append(" • ")
        text.append_text(plain(objective))
        text.append("\n")
    text.append("Prerequisites  ", "bold")
    if not topic.prerequisites:
        text.append("none", "dim")
    for number, pid in enumerate(topic.prerequisites):
        pstate = status.get(pid, "not_started")
        text.append(" · " if number else "")
        text.append(f"{MARKS[pstate]} ")
        text.append_text(plain(curriculum.topic_title(pid, pid), one_line=True))
        text.append(f" {STATUS_WORDS[pstate]}", "dim")
    return text


class ResourceList(OptionList):
    pass


class ResourcesPane(Vertical):
    def __init__(self, curriculum: Curriculum, **kwargs) -> None:
        super().__init__(**kwargs)
        self.curriculum = curriculum
        self.topic: Topic | None = None
        self.overview: Overview | None = None
        self.border_title = "Topic & resources"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="topic-scroll"):
            yield Static("Choose a topic in the roadmap.", id="topic-details")
        yield Static("Resources  (enter opens, m marks done)", id="resources-title")
        yield ResourceList(id="resource-list")

    def show(self, topic: Topic | None, overview: Overview | None) -> None:
        self.topic, self.overview = topic, overview
        details = self.query_one("#topic-details", Static)
        options = self.query_one(ResourceList)
        highlighted = options.highlighted
        options.clear_options()
        if topic is None:
            self.border_title = "Topic & resources"
            details.update("Choose a topic in the roadmap.")
            return
        # The id, as `--topic` and the card browser's `topic:` take it.
        self.border_title = Text.assemble(
            "Topic ", plain(topic.id, "bold", one_line=True, limit=80), " & resources"
        )
        details.update(describe(topic, self.curriculum, overview))
        done = overview.done_resources if overview else frozenset()
        for resource in topic.resources:
            label = Text()
            label.append("✓ " if resource.id in done else "  ", "bold")
            label.append_text(plain(resource.title, one_line=True))
            label.append(
                f"\n   {clean(resource.kind, one_line=True)} · {'free' if resource.free else 'paid'}"
                f" · ~{resource.hours:g}h",
                "dim",
            )
            options.add_option(Option(label, id=resource.id))
        if topic.resources:
            options.highlighted = min(highlighted or 0, len(topic.resources) - 1)

    def highlighted_resource(self):
        options = self.query_one(ResourceList)
        if self.topic is None or options.highlighted is None:
            return None
        return self.topic.resources[options.highlighted]
