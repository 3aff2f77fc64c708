"""Flashcard review: front, reveal, grade 1-4 with each grade's interval, undo."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Footer, Rule, Static

from ...errors import PlannerError
from ...services import progress, reviews
from ...services.reviews import GRADE_NAMES, GRADES, ReviewCard, ReviewConfig, ReviewError
from ..errors import reports_errors
from ..safe_markdown import SafeMarkdown
from ..text import plain, say
from .base import PlannerScreen
from .card_form import CardForm, CardValues
from .confirm import Confirm

MAX_ANSWER_MS = 60_000  # a card left on screen longer counts as a minute, as in Anki
STUDY_AHEAD_DAYS = 3


def when_label(due: datetime | None, now: datetime, tz) -> str:
    if due is None:
        return "no card is scheduled yet"
    if due <= now:
        return "now"
    local = due.astimezone(tz)
    if (due - now).total_seconds() < 86400:
        return f"at {local:%H:%M}"
    return f"on {local:%a %d %b}"


class ReviewScreen(PlannerScreen[None]):
    """Reviews the cards due today, for every topic or a scope (a topic or a stage).

    `phase` is where the session stands: "loading" (the queue is being read), "question"
    (a card's front), "revealed" (its answer and the grades) or "ended" (the summary).
    The footer's keys follow it through `check_action`."""

    CSS_PATH = "review_screen.tcss"

    BINDINGS = [
        Binding("space", "reveal", "Show answer", id="review-reveal"),
        Binding("enter", "reveal", "Show answer", show=False, id="review-reveal-enter"),
        Binding("1", "grade(1)", "Again", id="review-again"),
        Binding("2", "grade(2)", "Hard", id="review-hard"),
        Binding("3", "grade(3)", "Good", id="review-good"),
        Binding("4", "grade(4)", "Easy", id="review-easy"),
        Binding("u", "undo", "Undo", id="review-undo"),
        Binding("ctrl+z", "undo", "Undo", show=False, id="review-undo-ctrl-z"),
        Binding("e", "edit_card", "Edit", id="review-edit"),
        Binding("exclamation_mark", "suspend", "Suspend", key_display="!", id="review-suspend"),
        Binding("minus", "bury", "Bury", key_display="-", id="review-bury"),
        Binding("a", "study_ahead", "Study ahead", show=False, id="review-ahead"),
        Binding("down", "scroll_card(1)", "Scroll", show=False, id="review-scroll-down"),
        Binding("up", "scroll_card(-1)", "Scroll up", show=False, id="review-scroll-up"),
        Binding("pagedown", "scroll_card(10)", "Page down", show=False, id="review-page-down"),
        Binding("pageup", "scroll_card(-10)", "Page up", show=False, id="review-page-up"),
        Binding("escape", "finish", "End", id="review-end"),
    ]

    phase: reactive[str] = reactive("loading", bindings=True)

    class QueueBuilt(Message):
        def __init__(self, queue: reviews.ReviewQueue) -> None:
            self.queue = queue
            super().__init__()

    def __init__(self, scope: list[str] | None = None, scope_title: str = "") -> None:
        super().__init__()
        self.scope = scope
        self.scope_title = scope_title
        self.queue: reviews.ReviewQueue | None = None
        self.card: ReviewCard | None = None
        self.outcomes: dict | None = None
        self.shown_at: datetime | None = None
        # An edit whose save failed, kept for the next try on the same card.
        self.unsaved_edit: tuple[ReviewCard | None, CardValues | None] = (None, None)

    @property
    def finished(self) -> bool:
        return self.phase == "ended"

    def watch_phase(self, phase: str) -> None:
        self.set_class(phase == "revealed", "-revealed")
        self.set_class(phase == "ended", "-ended")

    def now(self) -> datetime:
        return self.planner.clock()

    def config(self) -> ReviewConfig:
        return self.planner.review_config()

    def compose(self) -> ComposeResult:
        yield Static("Reading your cards…", id="review-progress", classes="pending")
        with VerticalScroll(id="review-card"):
            yield Static("", id="review-topic")
            yield SafeMarkdown("", id="review-front")
            yield Rule(id="review-rule")
            yield SafeMarkdown("", id="review-back")
        with Horizontal(id="review-buttons"):
            yield Button("Show answer  [space]", id="review-show", variant="primary")
            for grade in GRADES:
                yield Button(GRADE_NAMES[grade], id=f"grade-{grade}", classes="grade")
        with Vertical(id="review-end-panel"):
            yield Static("", id="review-summary")
        yield Footer()

    def on_mount(self) -> None:
        self.start()

    @work(
        thread=True,
        exclusive=True,
        group="review-queue",
        exit_on_error=False,
        description="Reading the cards due",
    )
    def start(self, ahead_days: int = 0) -> None:
        with self.planner.session() as session:
            status = progress.statuses(session)
            queue = reviews.build_queue(
                session,
                self.planner.curriculum,
                status,
                self.now(),
                self.config(),
                scope=self.scope,
                ahead_days=ahead_days,
            )
        self.post_message(self.QueueBuilt(queue))

    @on(QueueBuilt)
    def _queue_built(self, message: QueueBuilt) -> None:
        self.queue = message.queue
        self.show_next()
        if self.card is None and self.queue.ahead:
            self.notify(
                f"Nothing is due in the next {STUDY_AHEAD_DAYS} days either.",
                timeout=3,
                markup=False,
            )

    # Showing -----------------------------------------------------------------

    def _progress(self) -> None:
        assert self.queue is not None
        new, learning, review = self.queue.counts()
        text = Text()
        text.append("Left today  ", "bold")
        text.append(f"{new} new", "blue")
        text.append("  ·  ")
        text.append(f"{learning} learning", "red")
        text.append("  ·  ")
        text.append(f"{review} to review", "green")
        if self.queue.ahead:
            text.append("   (studying ahead)", "italic")
        if self.scope_title:
            text.append("   ")
            text.append_text(plain(self.scope_title, "dim", one_line=True))
        self.query_one("#review-progress", Static).update(text)

    def show_next(self) -> None:
        assert self.queue is not None
        self.card = self.queue.next_card(self.now())
        self.unsaved_edit = (None, None)  # kept for a retry on the card shown, no longer
        self.outcomes = None
        self._progress()
        if self.card is None:
            self._show_end()
            return
        self.phase = "question"
        self.refresh_bindings()  # the same phase again is a new card: undo may now apply
        label = self.planner.curriculum.topic_title(self.card.topic_id, self.card.topic_id)
        if self.card.is_leech:
            label += "  · leech"
        self.query_one("#review-topic", Static).update(plain(label, "dim", one_line=True))
        self.query_one("#review-front", SafeMarkdown).update(self.card.front)
        self.query_one("#review-back", SafeMarkdown).update("")
        self.query_one("#review-card").scroll_home(animate=False)
        self.query_one("#review-show", Button).focus()
        self.shown_at = self.now()

    def _show_end(self) -> None:
        assert self.queue is not None
        self.phase = "ended"
        self.refresh_bindings()
        now = self.now()
        with self.planner.session() as session:
            upcoming = reviews.next_due(session, now, self.scope)
        learning_due = self.queue.next_learning_due()
        if learning_due is not None and (upcoming is None or learning_due < upcoming):
            upcoming = learning_due
        when = when_label(upcoming, now, self.planner.tz)
        text = Text()
        if self.queue.reviewed:
            seconds = self.queue.time_ms // 1000
            again = self.queue.again / self.queue.reviewed
            text.append("Done for now.\n\n", "bold")
            text.append(f"Cards reviewed: {self.queue.reviewed}\n")
            text.append(f"Again: {again:.0%}\n")
            text.append(f"Time: {seconds // 60} min {seconds % 60:02d} s\n")
            if self.queue.leeches:
                text.append(f"Leeches suspended: {self.queue.leeches}\n", "yellow")
            if self._remaining():
                new, learning, review = self.queue.counts()
                text.append(
                    f"Still due today: {new} new, {learning} learning, {review} to review. "
                    "Press space to go on.\n\n"
                )
            else:
                text.append(f"Next card due {when}.\n\n")
            text.append("Press escape to go back; u takes back the last action.", "dim")
        else:
            text.append("Nothing is due", "bold")
            if self.scope_title:
                text.append(" in ")
                text.append_text(plain(self.scope_title, one_line=True))
            text.append(".\n\n")
            text.append(f"The next card is due {when}.\n\n")
            text.append(
                f"Press a to study ahead: cards due in the next {STUDY_AHEAD_DAYS} days. "
                "Their schedule adapts to the early review.\n",
            )
            text.append("Press escape to go back.", "dim")
        self.query_one("#review-summary", Static).update(text)

    # Actions -----------------------------------------------------------------

    def _remaining(self) -> bool:
        return self.queue is not None and (
            bool(self.queue.main) or self.queue.next_card_due_soon(self.now())
        )

    def action_reveal(self) -> None:
        if self.finished and self._remaining():
            self.show_next()
            return
        if self.card is None or self.outcomes is not None:
            return
        now = self.now()
        self.outcomes = reviews.preview(self.card, now, self.config().scheduler())
        for grade in GRADES:
            label = reviews.interval_label(self.outcomes[grade], now)
            button = self.query_one(f"#grade-{grade}", Button)
            button.label = f"{grade} {GRADE_NAMES[grade]} · {label}"
        self.query_one("#review-back", SafeMarkdown).update(self.card.back)
        self.phase = "revealed"
        self.query_one("#grade-3", Button).focus()

    @reports_errors
    def action_grade(self, grade: int) -> None:
        if self.card is None or self.queue is None:
            return
        if self.outcomes is None:
            self.action_reveal()
            return
        now = self.now()
        spent = int((now - self.shown_at).total_seconds() * 1000) if self.shown_at else 0
        duration = max(0, min(MAX_ANSWER_MS, spent))
        card = self.card
        try:
            with self.planner.transaction() as db:  # no ORM session: answers are hot
                done = self.queue.store_answer(db, card, grade, now, self.outcomes[grade], duration)
        except reviews.StaleCard:  # answered in another window since it was shown
            with self.planner.session() as session:
                shown = self.queue.reload(session, card, now)
            self.notify(
                "This card was answered in another window or changed there; "
                + ("showing it as it is now." if shown else "it is not due any more."),
                severity="warning",
                timeout=5,
            )
            self.show_next()
            return
        except PlannerError as error:
            self.not_saved("Answer", error, "The card is still here: grade it again.")
            return
        self.queue.record_answer(done)  # committed: now the session counts it
        if done.leech:
            self.notify(
                f"Failed {done.card.lapses} times: tagged '{reviews.LEECH_TAG}' and suspended. "
                "Rewrite it or find another angle, then unsuspend it from the card browser.",
                title="Leech",
                severity="warning",
                timeout=8,
            )
        self.show_next()

    def not_saved(self, what: str, error: PlannerError, retry: str) -> None:
        """A write that failed (the database busy, read-only or full): nothing changed,
        on screen or in the session, so the same key tries again."""
        say(self, f"{error} {retry}", title=f"{what} not saved", severity="error", timeout=8)

    @reports_errors
    def action_undo(self) -> None:
        """Take back the last action of this session, whatever it was, in the database
        too; its card is shown again."""
        if self.queue is None:
            return
        if not self.queue.can_undo:
            self.notify("Nothing to undo in this session.", severity="warning", timeout=2)
            return
        try:
            with self.planner.session() as session:
                action = self.queue.store_undo(session)
        except ReviewError as exc:  # the card changed elsewhere since: nothing overwritten
            say(self, str(exc), severity="warning", timeout=6, title=exc.title)
            self.refresh_bindings()  # that action was dropped: maybe nothing left to undo
            return
        except PlannerError as error:
            self.not_saved("Undo", error, "Nothing was taken back: press u to try again.")
            return
        if self.card is not None:  # the card on screen waits behind the one taken back
            self.queue.put_back(self.card)
            self.card = None
        self.queue.record_undo(action)
        self.show_next()
        self.notify(f"{action.name.capitalize()} taken back.", timeout=2, markup=False)

    @reports_errors
    def action_suspend(self) -> None:
        card, queue = self.card, self.queue
        if card is None or queue is None:
            return
        try:
            with self.planner.session() as session:
                action = queue.store_suspend(session, card, self.now())
        except PlannerError as error:
            self.not_saved("Suspension", error, "The card is still here: press ! again.")
            return
        queue.record(action)
        self.notify("Card suspended; u takes it back.", timeout=3)
        self.show_next()

    @reports_errors
    def action_bury(self) -> None:
        card, queue = self.card, self.queue
        if card is None or queue is None:
            return
        try:
            with self.planner.session() as session:
                action = queue.store_bury(session, card, self.now())
        except PlannerError as error:
            self.not_saved("Burying", error, "The card is still here: press - again.")
            return
        queue.record(action)
        self.notify("Card buried until tomorrow; u takes it back.", timeout=3)
        self.show_next()

    @work(exit_on_error=False, description="Editing the card")
    @reports_errors
    async def action_edit_card(self) -> None:
        card, queue = self.card, self.queue
        if card is None or queue is None:
            return
        if card.origin != "user":
            hide = await self.app.push_screen_wait(
                Confirm(
                    "This card comes from the curriculum, so its text is not yours to edit. "
                    "Hide it from reviews?"
                )
            )
            if hide and self.card is card:
                try:
                    with self.planner.session() as session:
                        action = queue.store_hide(session, card, self.now())
                except PlannerError as error:
                    self.not_saved("Hiding", error, "The card is still here: press e again.")
                    return
                queue.record(action)
                self.notify("Card hidden; u takes it back.", timeout=3)
                self.show_next()
            return
        # After a failed save the form opens again with what was typed.
        unsaved = self.unsaved_edit[1] if self.unsaved_edit[0] is card else None
        values: CardValues | None = await self.app.push_screen_wait(
            CardForm(
                title="Edit card",
                topic_id=card.topic_id,
                front=unsaved.front if unsaved else card.front,
                back=unsaved.back if unsaved else card.back,
                tags=unsaved.tags if unsaved else card.tags,
                topic_locked=True,
            )
        )
        if values is None or self.card is not card:
            return
        try:
            with self.planner.session() as session:
                action = queue.store_edit(
                    session, card, values.front, values.back, values.tags, self.now()
                )
        except PlannerError as error:
            self.unsaved_edit = (card, values)
            self.not_saved("Edit", error, "Press e to edit it again, with what you typed.")
            return
        self.unsaved_edit = (None, None)
        queue.record(action)
        self.query_one("#review-front", SafeMarkdown).update(card.front)
        if self.outcomes is not None:
            self.query_one("#review-back", SafeMarkdown).update(card.back)
        self.notify("Card saved; u takes the edit back.", timeout=2)

    def action_scroll_card(self, lines: int) -> None:
        """Long answers scroll while the focus stays on the grade buttons."""
        card = self.query_one("#review-card", VerticalScroll)
        card.scroll_relative(y=lines, animate=False)

    def action_study_ahead(self) -> None:
        if not self.finished:
            return
        self.start(ahead_days=STUDY_AHEAD_DAYS)

    def action_finish(self) -> None:
        if self.finished or self.queue is None or not self.queue.reviewed:
            self.dismiss(None)
            return
        if self.card is not None:
            self.queue.put_back(self.card)
            self.card = None
        self._progress()
        self._show_end()

    @on(Button.Pressed, "#review-show")
    def _show_pressed(self) -> None:
        self.action_reveal()

    @on(Button.Pressed, ".grade")
    def _grade_pressed(self, event: Button.Pressed) -> None:
        self.action_grade(int(str(event.button.id).split("-")[1]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that do nothing in the current phase are left out of the footer."""
        phase = self.phase
        if action == "reveal":
            return phase == "question" or (phase == "ended" and self._remaining())
        if action == "grade":
            return phase == "revealed"
        if action in ("suspend", "bury", "edit_card"):
            return phase in ("question", "revealed")
        if action == "study_ahead":
            return phase == "ended"
        if action == "undo":
            return bool(self.queue and self.queue.can_undo)
        return True
