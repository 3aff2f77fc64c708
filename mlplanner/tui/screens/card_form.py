"""The form for a card of the learner's own: Markdown front and back, with a preview."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, Static, TextArea

from ...services.cards import CardError, check_text, clean_tags
from ...services.topics import UnknownTopic, resolve_topic
from ..safe_markdown import SafeMarkdown
from ..text import clean
from .form_screen import FormScreen, suggestions, topic_field


@dataclass(frozen=True)
class CardValues:
    topic_id: str
    front: str
    back: str
    tags: str


class CardForm(FormScreen[CardValues]):
    """Returns the checked values, or None when cancelled; stores nothing itself."""

    CSS_PATH = "card_form.tcss"

    SAVE_ON_ENTER = False  # the front and back take several lines

    def __init__(
        self,
        title: str = "New card",
        topic_id: str = "",
        front: str = "",
        back: str = "",
        tags: str = "",
        topic_locked: bool = False,
    ) -> None:
        super().__init__()
        self.form_title = title
        self.initial = {"topic": topic_id, "front": front, "back": back, "tags": tags}
        self.topic_locked = topic_locked

    def compose(self) -> ComposeResult:
        curriculum = self.planner.curriculum
        names = [t.title for t in curriculum.topics] + [t.id for t in curriculum.topics]
        topic = curriculum.find_topic(self.initial["topic"])
        with Vertical(id="card-dialog", classes="dialog"):
            yield Static(self.form_title, classes="dialog-title")
            with Horizontal(id="card-columns"):
                with Vertical(id="card-fields"):
                    yield Label("Topic")
                    yield Input(
                        topic_field(curriculum, topic.title)
                        if topic
                        else clean(self.initial["topic"]),
                        id="card-topic",
                        suggester=SuggestFromList(suggestions(names), case_sensitive=False),
                        disabled=self.topic_locked,
                    )
                    yield Label("Front (Markdown; ``` for code)")
                    yield TextArea(clean(self.initial["front"]), id="card-front", soft_wrap=True)
                    yield Label("Back")
                    yield TextArea(clean(self.initial["back"]), id="card-back", soft_wrap=True)
                    yield Label("Tags (space separated)")
                    yield Input(clean(self.initial["tags"], one_line=True), id="card-tags")
                with VerticalScroll(id="card-preview"):
                    yield Static("Preview", classes="dialog-help")
                    yield SafeMarkdown(self.initial["front"], id="card-preview-front")
                    yield Static("───", classes="dialog-help")
                    yield SafeMarkdown(self.initial["back"], id="card-preview-back")
            yield self.error_line("card-error")
            yield from self.buttons("card")

    def on_mount(self) -> None:
        first = "#card-front" if self.topic_locked or self.initial["topic"] else "#card-topic"
        self.query_one(first).focus()

    @on(TextArea.Changed, "#card-front")
    def _front_changed(self, event: TextArea.Changed) -> None:
        self.query_one("#card-preview-front", SafeMarkdown).update(event.text_area.text)

    @on(TextArea.Changed, "#card-back")
    def _back_changed(self, event: TextArea.Changed) -> None:
        self.query_one("#card-preview-back", SafeMarkdown).update(event.text_area.text)

    def check(self) -> CardValues:
        topic_text = self.query_one("#card-topic", Input).value.strip()
        if self.topic_locked:
            topic_id = self.initial["topic"]
        elif not topic_text:
            raise CardError("choose a topic for the card")
        else:
            try:
                topic_id = resolve_topic(self.planner.curriculum, topic_text)
            except UnknownTopic as exc:
                raise CardError(str(exc)) from None
        front, back = check_text(
            self.query_one("#card-front", TextArea).text,
            self.query_one("#card-back", TextArea).text,
        )
        tags = clean_tags(self.query_one("#card-tags", Input).value)
        return CardValues(topic_id, front, back, tags)
