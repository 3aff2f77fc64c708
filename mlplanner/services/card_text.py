"""What a card's text may be: both sides present, of a bounded length, tags cleaned.

Shared by the learner's own cards, the review screen's edits and the card import."""

from __future__ import annotations

from ..errors import BadInput

MAX_TEXT = 20_000


class CardError(BadInput):
    """A card that cannot be stored or changed, with a message for the learner."""

    title = "Card"


def check_text(front: str, back: str) -> tuple[str, str]:
    front, back = front.strip(), back.strip()
    if not front:
        raise CardError("the front is empty")
    if not back:
        raise CardError("the back is empty")
    if len(front) > MAX_TEXT or len(back) > MAX_TEXT:
        raise CardError(f"a side holds at most {MAX_TEXT:,} characters")
    return front, back


def clean_tags(tags: str) -> str:
    return " ".join(dict.fromkeys(t for t in tags.replace(",", " ").split() if t))
