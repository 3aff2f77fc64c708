"""Cards out to Anki: a package (.apkg, made with genanki) or "Notes in Plain Text" (.txt).

Each topic is an Anki subdeck, `mlplanner::<stage title>::<topic title>`, and each card a
note whose GUID comes from the card's id: exporting again and importing into Anki updates
the notes instead of adding them twice. The package holds the cards' Markdown rendered as
simple HTML (markdown-it, as the TUI renders it), MathJax (`\\(...\\)`, `\\[...\\]`) kept as
written for Anki to typeset. The text export keeps the Markdown as it is (`#html:false`),
so importing it back gives the very same cards.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import genanki  # type: ignore[import-untyped]
from markdown_it import MarkdownIt
from sqlmodel import Session, col, select

from ..curriculum import Curriculum
from ..errors import BadInput
from ..store.models import CardRecord
from .card_filters import in_collection

ROOT_DECK = "mlplanner"
# Fixed once: Anki knows a note type by its id, so every export uses the same one.
MODEL_ID = 1_607_392_319
MODEL = genanki.Model(
    MODEL_ID,
    "mlplanner card",
    fields=[{"name": "Front"}, {"name": "Back"}],
    templates=[
        {
            "name": "Card 1",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}',
        }
    ],
    css=".card { font-family: sans-serif; font-size: 20px; text-align: left; }",
)

_MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)
_RENDERER = MarkdownIt("commonmark", {"html": False})


class CardExportError(BadInput):
    title = "Export"


@dataclass(frozen=True)
class ExportCard:
    id: str
    deck: str
    front: str  # Markdown
    back: str
    tags: tuple[str, ...]

    @property
    def guid(self) -> str:
        return str(genanki.guid_for(self.id))


def deck_name(stage_title: str, topic_title: str) -> str:
    # "::" separates Anki's subdecks: a title holding it would make one more level.
    parts = (stage_title.replace("::", ":"), topic_title.replace("::", ":"))
    return "::".join((ROOT_DECK, *parts))


def select_cards(
    session: Session,
    curriculum: Curriculum,
    topic_id: str | None = None,
    stage_id: str | None = None,
) -> list[ExportCard]:
    """The collection's cards (not hidden, not removed) of a topic, a stage or all, in the
    curriculum's order and each topic's card order."""
    if stage_id is not None and curriculum.find_stage(stage_id) is None:
        known = ", ".join(s.id for s in curriculum.stages)
        raise CardExportError(f"no stage '{stage_id}' (stages: {known})")
    decks: dict[str, str] = {}
    for stage in curriculum.stages:
        if stage_id is not None and stage.id != stage_id:
            continue
        for topic in stage.topics:
            if topic_id is None or topic.id == topic_id:
                decks[topic.id] = deck_name(stage.title, topic.title)
    if not decks:
        return []
    records = session.exec(
        select(CardRecord)
        .where(*in_collection(), col(CardRecord.topic_id).in_(list(decks)))
        .order_by(col(CardRecord.position), col(CardRecord.id))
    ).all()
    order = {topic: index for index, topic in enumerate(decks)}
    records = sorted(records, key=lambda r: order[r.topic_id])
    return [
        ExportCard(r.id, decks[r.topic_id], r.front, r.back, tuple(r.tags.split())) for r in records
    ]


def to_html(markdown: str) -> str:
    """Markdown as the simple HTML Anki shows, MathJax left as written."""
    spans: list[str] = []  # held out of Markdown's reach (a private-use mark for each)

    def keep(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"\ue000{len(spans) - 1}\ue001"

    rendered = _RENDERER.render(_MATH.sub(keep, markdown)).strip()
    return re.sub(
        "\ue000(\\d+)\ue001", lambda m: html.escape(spans[int(m.group(1))], quote=False), rendered
    )


def _deck_id(name: str) -> int:
    return int(hashlib.sha256(name.encode()).hexdigest()[:15], 16)


def apkg_bytes(cards: list[ExportCard]) -> bytes:
    """An Anki package (.apkg) of the cards, one subdeck per topic."""
    decks: dict[str, genanki.Deck] = {}
    for card in cards:
        deck = decks.get(card.deck)
        if deck is None:
            deck = decks[card.deck] = genanki.Deck(_deck_id(card.deck), card.deck)
        deck.add_note(
            genanki.Note(
                model=MODEL,
                fields=[to_html(card.front), to_html(card.back)],
                tags=list(card.tags),
                guid=card.guid,
            )
        )
    package = genanki.Package(
        list(decks.values()) or [genanki.Deck(_deck_id(ROOT_DECK), ROOT_DECK)]
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cards.apkg"
        package.write_to_file(str(path))
        return path.read_bytes()


def text_export(cards: list[ExportCard]) -> str:
    """Anki's "Notes in Plain Text" with its header lines: GUID, note type, deck, front,
    back, tags; the fields as Markdown text (`#html:false`)."""
    buffer = io.StringIO(newline="")
    buffer.write(
        "#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n"
        "#deck column:3\n#tags column:6\n"
    )
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    for card in cards:
        writer.writerow([card.guid, "Basic", card.deck, card.front, card.back, " ".join(card.tags)])
    return buffer.getvalue()
