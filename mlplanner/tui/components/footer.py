"""The key footer, rebuilt once however often the bindings change between two frames."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class PlannerFooter(Footer):
    """Textual's footer rebuilds itself (a widget per key) each time its screen's bindings
    change. At start-up they change several times before the first frames are out (the
    screen is pushed, the roadmap takes focus, the terminal reports focus): this footer
    waits for the next refresh and rebuilds once for all of them."""

    _rebuild_pending = False

    def bindings_changed(self, screen: Screen) -> None:
        if self._rebuild_pending:
            return
        self._rebuild_pending = True
        self.call_after_refresh(self._bindings_settled, screen)

    def _bindings_settled(self, screen: Screen) -> None:
        self._rebuild_pending = False
        super().bindings_changed(screen)
