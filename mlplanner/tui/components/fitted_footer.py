"""A footer that shows only the keys that fit whole: none is cut in the middle of a word
on a narrow terminal; the ones left out are in help (?) and the palette (ctrl+p)."""

from __future__ import annotations

from textual.widgets import Footer


class FittedFooter(Footer):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("compact", True)
        super().__init__(**kwargs)

    def on_resize(self) -> None:
        self.call_after_refresh(self._show_all)

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._show_all)

    def _entries(self) -> list:
        """The footer's keys, groups and labels in order; the palette key stays."""
        return [
            child
            for child in self.children
            if not (child.has_class("-command-palette") or child.id == "textual-footer-palette")
        ]

    def _show_all(self) -> None:
        entries = self._entries()
        for entry in entries:
            entry.display = True
        self.call_after_refresh(self._fit, 3)

    def _fit(self, tries: int) -> None:
        """Hide, from the first that does not fit, the entries the footer would cut."""
        entries = self._entries()
        if not entries:
            return
        if not entries[0].region.width:  # not laid out yet
            if tries:
                self.call_after_refresh(self._fit, tries - 1)
            return
        limit = self.region.right
        for child in self.children:
            if child.has_class("-command-palette") and child.display and child.region.width:
                limit = child.region.x
        cut = False
        for entry in entries:
            region = entry.region  # empty when the entry lies wholly outside the footer
            cut = cut or not region.width or region.right > limit
            if cut:
                entry.display = False
