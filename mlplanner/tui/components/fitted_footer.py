"""A footer that shows only the keys that fit whole: none is cut in the middle of a word
on a narrow terminal; the ones left out are in help (?) and the palette (ctrl+p).

Widths are measured from each entry's own text and styles, not from the last layout, so
the answer is the same however late the footer was laid out (a screen behind a dialog)."""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget

from .footer import PlannerFooter

_ROOM = Size(1000, 1)


def _width(entry: Widget) -> int:
    """Columns an entry takes in the footer's row, margins included."""
    if entry.children:
        inner = sum(_width(child) for child in entry.children if child.display)
    else:
        inner = entry.get_content_width(_ROOM, _ROOM)
    return inner + entry.styles.gutter.width + entry.styles.margin.width


class FittedFooter(PlannerFooter):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)

    def on_resize(self) -> None:
        self._fit()

    async def recompose(self) -> None:
        await super().recompose()
        self._fit()
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Show the entries in order while they fit beside the palette key; hide the rest."""
        width = self.size.width or self.app.size.width
        palette = [c for c in self.children if c.has_class("-command-palette")]
        room = width - sum(_width(key) for key in palette)
        cut = False
        for entry in self.children:
            if entry in palette:
                continue
            room -= _width(entry)
            cut = cut or room < 0
            entry.display = not cut
