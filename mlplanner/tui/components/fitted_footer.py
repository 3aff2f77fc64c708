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
        self.call_after_refresh(self._fit)

    def _show_all(self) -> None:
        keys = list(self.query("FooterKey"))
        if any(not key.display for key in keys):
            for key in keys:
                key.display = True
            self.call_after_refresh(self._fit)
        else:
            self._fit()

    def _fit(self) -> None:
        """Hide, from the first that does not fit, the keys the footer would cut."""
        keys = [key for key in self.query("FooterKey") if not key.has_class("-command-palette")]
        palette = [key for key in self.query("FooterKey") if key.has_class("-command-palette")]
        limit = self.region.right
        if palette and palette[0].display:
            limit = palette[0].region.x
        cut = False
        for key in keys:
            region = key.region  # empty when the key lies wholly outside the footer
            cut = cut or not region.width or region.right > limit
            if cut:
                key.display = False
