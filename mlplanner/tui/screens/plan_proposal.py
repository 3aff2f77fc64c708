"""The auto-plan's proposal: keep, drop or edit each block before anything is saved."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from ...services.autoplan import Proposal
from ..errors import reports_errors
from ..text import plain
from .base import PlannerModal
from .block_form import BlockDraft, BlockForm, BlockValues


def label(p: Proposal) -> Text:
    hours, minutes = divmod(p.duration_min, 60)
    length = f"{hours}h{minutes:02d}" if hours else f"{minutes}m"
    text = Text(f"{p.day:%a %d %b}  {p.start:%H:%M}  {length:>5}  ")
    return text.append_text(plain(p.topic_title, one_line=True, limit=200))


class PlanProposal(PlannerModal[list[Proposal] | None]):
    CSS_PATH = "plan_proposal.tcss"
    BINDINGS = [
        Binding("ctrl+s", "accept", "Accept", id="accept-plan"),
        Binding("e", "edit", "Edit", id="edit-proposal"),
        Binding("escape", "discard", "Discard", id="discard-plan"),
    ]

    def __init__(self, proposals: list[Proposal]) -> None:
        super().__init__()
        self.proposals = proposals

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="plan-dialog"):
            yield Static("Plan my week — proposed blocks", classes="dialog-title")
            yield Static(
                "space keeps or drops a block · e edits it · ctrl+s saves the kept ones · "
                "esc discards",
                classes="dialog-help",
            )
            yield SelectionList[int](
                *[Selection(label(p), i, True) for i, p in enumerate(self.proposals)],
                id="plan-list",
            )

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def action_accept(self) -> None:
        kept = set(self.query_one(SelectionList).selected)
        self.dismiss([p for i, p in enumerate(self.proposals) if i in kept])

    def action_discard(self) -> None:
        self.dismiss(None)

    @work(exit_on_error=False, description="Editing the proposal")
    @reports_errors
    async def action_edit(self) -> None:
        listing = self.query_one(SelectionList)
        index = listing.highlighted
        if index is None:
            return
        p = self.proposals[index]
        values: BlockValues | None = await self.app.push_screen_wait(
            BlockForm(
                BlockDraft(p.day, p.start, p.duration_min, p.topic_title), "Edit the proposal"
            )
        )
        if values is None:
            return
        curriculum = self.planner.curriculum
        self.proposals[index] = replace(
            p,
            day=values.start_date,
            start=values.start_time,
            duration_min=values.duration_min,
            topic_id=values.topic_id or p.topic_id,
            topic_title=curriculum.topic_title(values.topic_id, p.topic_title),
        )
        listing.replace_option_prompt_at_index(index, label(self.proposals[index]))
